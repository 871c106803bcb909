# The session's transition table (docs/session.md) checked row by row on the
# real app with a fake hal, and every person event without a row checked to be
# ignored in each state. The table is read from the doc, so the doc and the
# firmware cannot drift apart. 1.25 ms ticks keep it quick; every duration in
# the firmware comes from the clock, so the behaviour is the same as at 1 kHz
# (the button and the session's step run every 16 ticks: every 20 ms here).
# Each test gets a unix-port interpreter of its own (make check's longest file):
# device-tests: one interpreter per test
from support import FakeHal, fake_flash, run_ticks, tick

from firmware import limits, names, states
from firmware.app import App

HAND = 3300
TICK_US = 1250
PERSON_EVENTS = ("hold", "hold_release", "short", "hand_in", "hand_out", "up", "down")
DOC = "docs/session.md"


class Rig:
    def __init__(self):
        hal = FakeHal()
        board = dict(hal.board)
        board["tick_us"] = TICK_US
        hal.board = board
        self.hal = hal
        self.app = App(hal, board, True, journal_dir=fake_flash())
        # 10 mA for the shortest session (1 min, SR-5), reversed midway: the
        # reversal comes at 30 s of current (every state is reached well before).
        self.app.ses.configure(10000, 60000, 1)
        self.app.reg.set_rates(1000, limits.RAMP_DOWN_UA_S)
        self.app.sup.start_watchdog()
        self.load = 0
        self.quick = False
        self.ms(1000)  # the button arms after 0.5 s released (SR-20)

    def ticks(self, n):
        run_ticks(self.app, n, self.load, TICK_US)

    def ms(self, ms):
        self.ticks(ms * 1000 // TICK_US)

    def until(self, cond, limit_ms):
        for _ in range(limit_ms * 1000 // TICK_US):
            if cond():
                return
            self.ticks(1)
        raise AssertionError("condition not reached in " + str(limit_ms) + " ms")

    @property
    def state(self):
        s = self.app.ses
        if s.state == states.PAUSED and s.user_paused:
            return "paused (user)"
        return names.STATES[s.state]

    # ---- person events ----
    def hold(self):
        # Held until the 2 s gesture fires; observed with the button still down.
        self.hal.button = True
        # 2 s, the debounce and the 20 ms steps of button and session; in a
        # fault the session asks the acknowledgement at one step and finds
        # the latch reset at the next.
        self.ms(2080)

    def hold_release(self):
        self.hal.button = True
        self.ms(2100)
        self.hal.button = False
        self.ms(40)

    def short(self):
        # 80 ms: a short press (50 ms - 1 s) that fits inside the 0.2 s checks.
        self.hal.button = True
        self.ms(80)
        self.hal.button = False
        self.ms(50)  # the release, debounced (20 ms) at the session's 20 ms here

    def up(self):
        # A press of the optional up button (issue 17), as short() for the button.
        self.hal.adjust = 1
        self.ms(80)
        self.hal.adjust = 0
        self.ms(50)

    def down(self):
        self.hal.adjust = 2
        self.ms(80)
        self.hal.adjust = 0
        self.ms(50)

    def hand_in(self):
        self.load = HAND
        self.ms(60 if self.quick else 200)  # quick: inside the 0.2 s checks

    def hand_out(self):
        self.load = 0
        self.ms(60 if self.quick else 150)

    # ---- firmware events ----
    def fault(self):
        self.hal.trip = True  # SR-15: the hardware trip input
        self.ticks(17)  # seen by the session at its next step

    def checks_pass(self):
        self.ms(250)

    def check_fails(self):
        self.hal.usb = True  # SR-17
        self.ms(250)

    def ramp_top(self):
        self.until(lambda: self.app.ses.state != states.RAMP_UP, 15000)

    def limited(self):
        # SR-14 (issue 14 D1): the rail cannot push more than 6 mA through the
        # load; the ramp (about 3 mA by now) runs into it and the session
        # treats at that current.
        self.hal.max_ua = 6000
        self.until(lambda: self.app.ses.state != states.RAMP_UP, 10000)

    def halfway(self):
        ses = self.app.ses
        self.until(lambda: ses.on_ms >= ses.duration_ms // 2, 70000)
        self.ticks(17)

    def timer(self):
        ses = self.app.ses
        ses.configure(ses.set_ua, 60000, 0)  # no reversal: the timer alone
        self.until(lambda: ses.state != states.TREAT, 70000)

    def dose_cap(self):
        ses = self.app.ses
        # SR-21's cap: the plan's dose + 10 % (the integration is tested elsewhere)
        ses.charge_mas = ses.planned_ua * (ses.duration_ms // 1000) // 1000 * 110 // 100
        self.ticks(17)

    def cap_45(self):
        ses = self.app.ses
        ses.configure(ses.set_ua, limits.MAX_ON_MS, 0)
        ses.on_ms = limits.MAX_ON_MS - 5  # the 45 minutes are tested elsewhere
        self.ticks(17)

    def surge(self):
        hal = self.hal
        ses = self.app.ses
        for _ in range(24):  # 2.5 mA over the set point: SR-6 needs 20 ms (16 ticks)
            tick(self.app, TICK_US)
            hal.bath(self.load)
            if ses.state != states.TREAT:
                break  # cut: the session re-ramps
            hal.i_ua += 2500

    def battery_low(self):
        self.hal.battery_mv = 2000  # read every 32 ticks, low for 1 s (SR-16)
        self.ms(1400)

    def usb_in(self):
        self.hal.usb = True
        self.ms(50)

    def no_contact_5min(self):
        # Five minutes in 20 ms ticks: every duration in the firmware comes from
        # the clock (issue 13), so 16 times fewer ticks reach the same end.
        run_ticks(self.app, 301000 // 20, self.load, 20000)

    def reversal_done(self):
        self.until(lambda: self.app.ses.state != states.REVERSING, 20000)

    def ramp_bottom(self):
        self.until(lambda: self.app.ses.state != states.RAMP_DOWN, 15000)


def _reach(name):
    # A fresh rig in the state `name` (the table's "from" column).
    r = Rig()
    if name == "idle":
        return r
    if name == "fault":
        r.fault()
        r.hal.trip = False  # the cause is gone; the latch stays until acknowledged
        return r
    r.hold_release()
    if name == "checks":
        r.quick = True
        return r
    r.checks_pass()
    if name == "wait_contact":
        return r
    r.hand_in()
    if name == "ramp_up":
        r.ms(3000)
        return r
    r.ramp_top()
    r.ms(2000)
    if name == "treat":
        return r
    if name == "paused":
        r.hand_out()
        return r
    if name == "paused (user)":
        r.short()
        return r
    if name == "reversing":
        r.halfway()
        return r
    if name == "ramp_down":
        r.hold()
        r.hal.button = False
        r.ms(40)
        return r
    if name == "done":
        r.hold()
        r.hal.button = False
        r.ramp_bottom()
        return r
    raise AssertionError("no way to reach " + name)


def _table():
    rows = []
    with open(DOC) as f:
        inside = False
        for line in f:
            if line.startswith("| from | event | to |"):
                inside = True
                continue
            if inside:
                if not line.startswith("|"):
                    break
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if cells[0].startswith("---"):
                    continue
                rows.append((cells[0], cells[1], cells[2]))
    return rows


def _check(frm, event, to):
    r = _reach(frm)
    assert r.state == frm, "could not reach " + frm + ", got " + r.state
    getattr(r, event)()
    assert r.state == to, frm + " + " + event + ": expected " + to + ", got " + r.state


def test_the_table_covers_every_state_but_safe_mode():
    froms = set(row[0] for row in _table())
    want = set(names.STATES) - set(("safe_mode",))
    want.add("paused (user)")
    assert froms == want, froms ^ want


def test_every_transition_of_the_table():
    rows = _table()
    assert len(rows) >= 40
    for frm, event, to in rows:
        _check(frm, event, to)


def test_every_person_event_without_a_row_is_ignored():
    rows = _table()
    acted = set((r[0], r[1]) for r in rows)
    froms = []
    for r in rows:
        if r[0] not in froms:
            froms.append(r[0])
    checked = 0
    for frm in froms:
        for event in PERSON_EVENTS:
            if (frm, event) in acted:
                continue
            if frm == "checks" and event in ("hold", "hold_release"):
                continue  # a 2 s hold outlasts the 0.2 s checks (docs/session.md)
            _check(frm, event, frm)
            checked += 1
    assert checked >= 20

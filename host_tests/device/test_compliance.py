# Issue 14 D1: a session whose load the rail cannot push the set point through
# (compliance, SR-14) is a treatment at the most the load allows, on the app
# with the fake hal's bath limited to FakeHal.max_ua: it leaves the ramp for
# treat, counts its time, reverses at half time (SR-11), is journaled with
# limited_s and reached_pct, shows its own LED pattern, and ramps on to the
# set point (SR-8's rates) when the load falls. The whole session on the
# simulated board, with the circuit model's compliance: test_compliance_4k.py
# and test_compliance_5k_6k.py.
from support import HAND, make_app, press, run_ticks

from firmware import journal, limits, states

SET_UA = 15000
LIMIT_UA = 9000  # what the rail pushes through the load: 60 % of the set point


def _started(duration_ms=120000, max_ua=LIMIT_UA):
    app, hal = make_app()
    app.ses.configure(SET_UA, duration_ms, 1)  # midway reversal
    run_ticks(app, 1000, HAND)
    hal.max_ua = max_ua
    press(app, 2100, HAND)
    run_ticks(app, 300, HAND)  # the pre-session checks (200 ms, output off)
    return app, hal


class _States:
    # The session's states in order of appearance (each change once).
    def __init__(self):
        self.seen = []

    def add(self, s):
        if not self.seen or self.seen[-1] != s:
            self.seen.append(s)


def _run(app, hal, ticks, seen, load=HAND):
    for _ in range(ticks):
        run_ticks(app, 1, load)
        seen.add(app.ses.state)


def test_a_limited_session_treats_reverses_and_journals_what_it_reached():
    # SR-14, SR-11 (issue 14 D1): the ramp runs into the compliance limit and
    # the session treats there; the midway reversal through zero (FakeHal.relay
    # raises if the output is on); the timer ends it; the record says for how
    # long it was limited and what it reached.
    app, hal = make_app()
    app.ses.configure(SET_UA, 120000, 1)
    run_ticks(app, 1000, HAND)
    hal.max_ua = LIMIT_UA
    press(app, 2100)
    run_ticks(app, 3000)  # no hand yet: the probe finds no contact ...
    ses = app.ses
    assert ses.state == states.WAIT_CONTACT
    assert app.reg.limited  # ... and the regulator sees the electrodes at the rail,
    assert ses.limited_ms == 0 and ses.on_ms == 0  # which is no current-on time
    seen = _States()
    _run(app, hal, 140000, seen)
    assert seen.seen == [states.WAIT_CONTACT, states.RAMP_UP, states.TREAT, states.REVERSING,
                         states.RAMP_UP, states.TREAT, states.RAMP_DOWN, states.DONE], seen.seen
    assert not hal.output_is_on
    assert hal.relay_switches == 1 and ses.reversals == 1
    rec = journal.last(app.journal_dir)
    assert (rec["end"], rec["fault"], rec["reversals"], rec["pauses"]) == (
        "timer", "none", 1, 0), rec
    ramp_down_s = LIMIT_UA // limits.RAMP_DOWN_UA_S
    assert rec["on_s"] in (120 + ramp_down_s - 1, 120 + ramp_down_s), rec
    assert (rec["min_ua"], rec["max_ua"]) == (LIMIT_UA, LIMIT_UA), rec
    # The electrodes take the rail less the sink's headroom and the sense drop.
    load = (58000 - 2000 - LIMIT_UA * hal.board["current_sense_ohm"] // 1000) * 1000 // LIMIT_UA
    assert rec["load_start_ohm"] == load and rec["load_end_ohm"] == load, rec
    assert rec["reached_pct"] == LIMIT_UA * 100 // SET_UA == 60, rec
    # Limited all the time at the top: the on time less two ramps up (0.5 mA/s
    # to the limit) and two ramps down (1 mA/s; released within 20 ms).
    ramp_up_s = LIMIT_UA // limits.RAMP_UP_DEFAULT_UA_S
    want = rec["on_s"] - 2 * ramp_up_s - 2 * ramp_down_s
    assert want - 2 <= rec["limited_s"] <= want + 1, (rec, want)
    # The mean: the limit over the on time less half the ramps.
    mean = LIMIT_UA * (rec["on_s"] - ramp_up_s - ramp_down_s) // rec["on_s"]
    assert mean - 150 <= rec["mean_ua"] <= mean + 100, (rec, mean)


def test_a_session_that_reaches_its_set_point_journals_100_and_no_limited_time():
    # SR-14: the same session on a load the rail can push: limited_s 0,
    # reached_pct 100.
    app, hal = _started(60000, 0)
    run_ticks(app, 80000, HAND)
    assert app.ses.state == states.DONE
    rec = journal.last(app.journal_dir)
    assert (rec["end"], rec["limited_s"], rec["reached_pct"]) == ("timer", 0, 100), rec


def test_a_limited_treatment_ramps_to_the_set_point_when_the_load_falls():
    # SR-8, SR-14 (issue 14 D1): the load falls (the skin softens, a hand
    # pressed flat): the current rises along the ramp, 0.5 mA/s, never more
    # than 0.2 mA within 10 ms, the session stays in treat; the limited
    # pattern of the LED gives way to steady on.
    app, hal = _started(1200000)
    run_ticks(app, 30000, HAND)
    ses = app.ses
    assert ses.state == states.TREAT and app.reg.limited
    assert LIMIT_UA <= hal.set_ua <= LIMIT_UA + 150  # the command held just above the flow
    hal.max_ua = 0  # the load falls: the rail can push the set point now
    last = [hal.i_ua] * 10  # the current of the last 10 ticks (1 ms each)
    worst = 0
    reached_ms = None
    for ms in range(20000):
        run_ticks(app, 1, HAND)
        assert ses.state == states.TREAT, ms
        step = hal.i_ua - last[ms % 10]
        worst = step if step > worst else worst
        last[ms % 10] = hal.i_ua
        if reached_ms is None and hal.i_ua >= SET_UA - 20:
            reached_ms = ms
    assert worst <= 200, worst
    assert not app.reg.limited and abs(hal.i_ua - SET_UA) <= 20, hal.i_ua
    # 6 mA at 0.5 mA/s: 12 s (the first 0.15 mA at once: the hold's margin).
    want_ms = (SET_UA - LIMIT_UA) * 1000 // limits.RAMP_UP_DEFAULT_UA_S
    assert want_ms - 500 <= reached_ms <= want_ms + 300, reached_ms


def test_the_led_shows_a_limited_treatment_with_a_dark_blip_every_2_s():
    # SR-14 (issue 14 D1): in treat while limited, on with 0.1 s dark every
    # 2 s (firmware/ui.py _LIMITED); steady on once the load lets the set point through.
    app, hal = _started(1200000)
    run_ticks(app, 30000, HAND)
    assert app.ses.state == states.TREAT
    dark = 0
    for _ in range(4000):
        run_ticks(app, 1, HAND)
        dark += 0 if hal.led_level else 1
    assert 190 <= dark <= 210, dark
    hal.max_ua = 0
    run_ticks(app, 20000, HAND)
    dark = 0
    for _ in range(4000):
        run_ticks(app, 1, HAND)
        dark += 0 if hal.led_level else 1
    assert dark == 0 and app.ses.state == states.TREAT


def test_the_density_guards_cap_is_the_top_of_the_ramp():
    # Issue 14 D1 with the density guard of issue 14 item 3: with the
    # regulator's goal capped below the set point (regulator.cap_ua), the ramp
    # ends at the cap and the session treats there (the guard itself: its own tests).
    app, hal = _started(1200000, 0)
    app.guard.update = _Cap(8000)  # the guard engaged: its cap, every step
    run_ticks(app, 15000, HAND)  # 8 mA at 0.5 mA/s: 16 s
    assert app.ses.state == states.RAMP_UP
    run_ticks(app, 1500, HAND)
    assert app.ses.state == states.TREAT and not app.reg.limited
    assert 7900 <= hal.i_ua <= 8050, hal.i_ua


def test_a_lifted_hand_in_the_ramp_pauses_and_is_never_treatment():
    # SR-10, SR-14: a lifted hand puts the electrodes at the rail, as
    # compliance does, but no current flows: the ramp pauses (50 ms), it
    # never counts as a limited treatment.
    app, hal = _started(1200000, 0)
    run_ticks(app, 5000, HAND)
    assert app.ses.state == states.RAMP_UP
    seen = _States()
    _run(app, hal, 200, seen, 0)
    assert seen.seen == [states.RAMP_UP, states.PAUSED], seen.seen
    assert app.ses.max_ua == 0  # nothing of it in the journal's extremes


class _Cap:
    # A density guard that caps at ua whatever it sees (SR-23's cap, given).
    def __init__(self, ua):
        self.ua = ua

    def __call__(self, i_ua, v_mv, set_ua, dt_us):
        return self.ua

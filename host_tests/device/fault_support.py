# Runs one case of the fault matrix (fault_matrix.py) through the whole firmware
# (boot.py, main.py) on the simulated board, in CPython and in the unix port,
# for fault_checks.py to check its outcome. A short hands session: 8 mA, ramp
# 1 mA/s, a planned minute of current (the midway reversal at 30 s) to keep the
# virtual time short.
import json
import os
import sys

from firmware import names
from tools.sim import fakemachine
from tools.sim import faults as injectors
from tools.sim.circuit import LIFTED
from tools.sim.clock import BoardReset
from tools.sim.simboard import SimBoard

SET_UA = 8000
RAMP_UA_S = 1000
START_S = 0.7  # the button is armed 0.5 s after boot (firmware/button.py)
HOLD_S = 2.2
_CONFIG = '{"profile": 0, "set_ua": 8000, "ramp_up_ua_s": 1000}'
_AT = {"boot": 0.000001, "idle": 0.3, "ramp": 6.0, "treat": 12.5}
_POLL_S = 0.01
_WDT_WAIT_S = 1.2  # the board's watchdog timeout (1 s) and a boot
_LIMIT_S = 120.0
# LED codes (firmware/ui.py): blinks of `on` ms every `slot` ms, then 2 s dark.
_FAULT_BLINK = (500, 200)
_REFUSAL_BLINK = (200, 60)
_PAUSE_MS = 2000

_STATE = names.STATUS.index("state")
_FAULT = names.STATUS.index("fault")
_ENABLED = names.STATUS.index("enabled")
_REFUSAL = names.STATUS.index("refusal")
_OVERRUNS = names.STATUS.index("overruns")
IDLE = names.STATES.index("idle")
RAMP_UP = names.STATES.index("ramp_up")
PAUSED = names.STATES.index("paused")
REVERSING = names.STATES.index("reversing")
DONE = names.STATES.index("done")
FAULT = names.STATES.index("fault")
_ST = names.STATES.index
# Stages reached through the session's states: when the poller starts looking
# (s), the person's press then (how long, 0: none), the state awaited, and how
# long after it is seen the fault goes in (rev_off: once the output is off).
_STAGES = {
    "checks": (2.5, 0, _ST("checks"), 0),
    # 2 ms: the status shows the state at the session's step (a job); the
    # probe's output goes on at the next tick's drive.
    "wait_contact": (2.5, 0, _ST("wait_contact"), 0.002),
    "pause": (12.0, 0.3, _ST("paused"), 0),  # a short press in treatment
    "ramp_down": (12.0, HOLD_S, _ST("ramp_down"), 0),  # a hold: the person stops
    "done": (12.0, HOLD_S, _ST("done"), 0.3),  # stopped, ramped down, journaled
    "rev_on": (20.0, 0, _ST("reversing"), 1.0),  # 1 s into its ramp to zero
    "rev_off": (20.0, 0, _ST("reversing"), 0.1),
}
_IN_SESSION = tuple(names.STATES.index(s) for s in (
    "wait_contact", "ramp_up", "treat", "paused", "reversing", "ramp_down"))
_OLD_RECORD = {"v": 1, "id": 7, "profile": 0, "reversed_start": 0, "end": "timer",
               "fault": "none"}


def _short_session(b):
    # The planned on time cut to a minute through the session's own validated
    # setter (1-45 min, SR-5); the config file's 10-minute floor is a clinical
    # rule, and a minute keeps the reversal within reach of the virtual clock.
    main = sys.modules.get("main")
    app = getattr(main, "app", None)
    if app is not None:
        app.ses.configure(SET_UA, 60000, app.ses.polarity)


def inject(b, name, arg):
    if name == "all":
        for n, a in arg:
            inject(b, n, a)
    elif name == "after":
        dt, n, a = arg
        b.at(b.clock.us / 1e6 + dt, lambda b: inject(b, n, a))
    else:
        getattr(injectors, name)(b, arg)


def _led_window_s(n, slot_on):
    # Long enough to hold one whole group whatever the phase: two periods + 1.6 s.
    return 2 * (n * slot_on[0] + _PAUSE_MS) / 1000 + 1.6


class Run:
    # One case on a fresh simulated board: the person starts a session, the
    # fault goes in at its time, a poller every 10 ms (virtual) records what
    # the status, the LED and the circuit show and plays the person's part the
    # outcome needs (acknowledge, restart, put the hand back, stop), then ends
    # the run once the outcome is seen.
    def __init__(self, row, seed):
        (self.id, _, _, self.when, self.injector, self.arg, self.outcome, self.code,
         self.bound, _) = row
        b = SimBoard("pico", seed=seed, flash_dir="build/sim_flash/fault_" + self.id)
        self.b = b
        for f in ("journal.jsonl", "journal.1.jsonl", "trace0.bin", "trace0.bin.tmp"):
            try:
                os.remove(b.flash + "/" + f)  # a clean flash: the folder is reused
            except OSError:
                pass
        b.write_file("config.json", _CONFIG)
        if self.outcome == "cut":
            b.write_file("journal.jsonl", json.dumps(_OLD_RECORD) + "\n")
        b.at(START_S, self._start)
        b.at(0.25, _short_session)
        self.led_pin = b.board["pin_led"]
        self.t_inj = None
        self.n0 = 0
        self.was_on = False
        self.state_at_inj = None
        self.states = []  # (t_us, state, boot) after the injection
        self.fault = 0
        self.t_fault = None
        self.refusal = 0
        self.led = None  # LED edges while they are read
        self.led_end = 0
        self.led_edges = []
        self.blink = _FAULT_BLINK
        self.over_ua = 0  # the most true current above set point + max(1 mA, 10 %)
        self.t_back = None  # when the hand went back in the water
        self.env_ua = 0  # the most true current above the ramp from t_back (SR-10)
        self.t_crash = None
        self.i_after_reset = 0  # the most true current seen after a reset (SR-4)
        self.step = 0
        self.final = None
        self.safe_files = None  # safe_reset: (journal, marker) as safe mode left them
        if self.when in _AT:
            b.at(_AT[self.when], self._inject)
        else:
            start, press = _STAGES[self.when][:2]
            b.at(start, self._poll)  # until the stage comes
            if press:
                b.press_button(start, press)

    def run(self):
        self.b.run(_LIMIT_S)
        self.final = self.b.status()
        return self

    # ---- during the run ----
    def _start(self, b):
        # The person holds the button to start, unless the board hangs (its
        # LED frozen): held on through the reset, the button would boot it in
        # safe mode (SR-20, a case of its own: F31).
        if not b.clock.hang:
            self._press(START_S)

    def _inject(self, b):
        self.t_inj = b.clock.us
        self.n0 = b.hw.current_reads
        self.was_on = b.circuit.gate > 0
        st = b.status()
        self.state_at_inj = st[_STATE] if st is not None else None
        self.step = 0
        inject(b, self.injector, self.arg)
        self._poll(b)

    def _end_at(self, t_s):
        self.b.clock.end_us = int(t_s * 1000000)

    def _press(self, t_s):
        self.b.press_button(t_s, HOLD_S)

    def _poll(self, b):
        t_us = b.clock.us
        t = t_us / 1e6
        if self.outcome in ("crash", "reset", "safe_reset") and self.t_inj is not None and (
                not b.resets) and (self.t_crash is not None or self.outcome != "crash"):
            # Quiet until the watchdog has reset the board and it booted again:
            # a reboot compiles the firmware anew, in a heap the size of a board's.
            b.at(t + _WDT_WAIT_S, self._poll)
        else:
            b.at(t + _POLL_S, self._poll)
        st = b.status()
        if self.t_inj is None:
            stage = _STAGES.get(self.when)
            if stage is not None and st is not None and st[_STATE] == stage[2] and (
                    self.when != "rev_off" or st[_ENABLED] == 0) and self.step == 0:
                self.step = -1
                b.at(t + stage[3], self._inject)
            return
        c = b.circuit
        c.update(t)
        if b.resets and c.i_ua > self.i_after_reset:
            self.i_after_reset = c.i_ua
        if self.t_crash is None and b.crashes:
            self.t_crash = t_us
        if self.led is not None:
            level = b.hw.level.get(self.led_pin, 0)
            if level != self.led[-1][1]:
                self.led.append((t_us, level))
            if t_us >= self.led_end:
                self.led_end = t_us
                self._led_done(t)
        if st is None:
            getattr(self, "_plan_" + self.outcome)(b, None, t)
            return
        s = st[_STATE]
        if not self.states or self.states[-1][1] != s or self.states[-1][2] != b.boots:
            self.states.append((t_us, s, b.boots))
        if st[_FAULT] and self.t_fault is None:
            self.t_fault = t_us
            self.fault = st[_FAULT]
        if st[_REFUSAL] and not self.refusal:
            self.refusal = st[_REFUSAL]
        if s in _IN_SESSION:
            margin = SET_UA // 10 if SET_UA // 10 > 1000 else 1000
            if c.i_ua - SET_UA - margin > self.over_ua:
                self.over_ua = c.i_ua - SET_UA - margin
            if self.t_back is not None:
                env = c.i_ua - RAMP_UA_S * (t_us - self.t_back) / 1e6
                if env > self.env_ua:
                    self.env_ua = env
        getattr(self, "_plan_" + self.outcome)(b, s, t)

    def _read_led(self, t, blink, n):
        self.led = [(int(t * 1000000), self.b.hw.level.get(self.led_pin, 0))]
        self.led_end = int((t + _led_window_s(n, blink)) * 1000000)
        self.blink = blink

    def _led_done(self, t):
        self.led_edges = self.led
        self.led = None
        if self.outcome == "latch" and self.fault == names.FAULTS.index("trip"):
            self._press(t)  # SR-15: acknowledge
            self._end_at(t + HOLD_S + 0.6)
        elif self.outcome == "safe_reset":
            # What safe mode wrote; then the person lets go and powers up again.
            b = self.b
            self.safe_files = (b.read_file("journal.jsonl"), b.read_file("session.run"))
            b.hw.button_down = False
            self.step = 2
            b.at(t + 0.5, _power_cut)
        else:
            self._end_at(t + 0.05)

    def _seen(self, state, boot=None):
        for _, s, bt in self.states:
            if s == state and (boot is None or bt == boot):
                return True
        return False

    def _plan_latch(self, b, s, t):
        # The LED is read once the person's start press is over (a leak found
        # before it: the press acknowledges, and the fault latches again).
        if self.step == 0 and self.t_fault is not None and t >= START_S + HOLD_S + 0.3:
            self.step = 1
            self._read_led(t, _FAULT_BLINK, self.fault)

    def _plan_stop(self, b, s, t):
        if self.step == 0 and s == DONE:
            self.step = 1
            if self.code[1] is None:
                self._end_at(t + 0.5)
            else:
                self._press(t + 0.7)  # the next start: refused
        elif self.step == 1 and self.refusal:
            self.step = 2
            self._read_led(t, _REFUSAL_BLINK, self.refusal)

    def _plan_pause(self, b, s, t):
        if self.step == 0 and s == PAUSED:
            self.step = 1
            if b.circuit.contact == LIFTED:
                b.at(t + 1.0, self._back)
        elif self.step == 1 and s == RAMP_UP and self.t_back is not None:
            self.step = 2
            self._press(t + 1.5)  # the person stops the session
        elif self.step == 2 and s == DONE:
            self.step = 3
            self._end_at(t + 0.5)

    def _back(self, b):
        b.circuit.reimmerse()
        self.t_back = b.clock.us

    def _plan_go_on(self, b, s, t):
        if self.step == 0:
            self.step = 1
            self._end_at(t + self.bound)

    def _plan_crash(self, b, s, t):
        if self.step == 0 and b.resets:
            self.step = 1
            self._end_at(t + 1.0)

    def _plan_reset(self, b, s, t):
        # Booted again: the LED is read for the RESET code (SR-4: shown).
        if self.step == 0 and b.resets and s is not None:
            self.step = 1
            self._read_led(t, _FAULT_BLINK, names.FAULTS.index("reset"))

    def _plan_safe_reset(self, b, s, t):
        # Booted again, into safe mode (no app: no status): the LED is read for
        # the RESET code (SR-4: shown there too); after the power-up that
        # follows (_led_done), the app runs a while at rest.
        if self.step == 0 and b.resets and s is None:
            self.step = 1
            self._read_led(t, _FAULT_BLINK, names.FAULTS.index("reset"))
        elif self.step == 2 and b.boots == 3 and s is not None:
            self.step = 3
            self._end_at(t + 3.0)

    def _plan_repl(self, b, s, t):
        if self.step == 0:
            self.step = 1
            self._end_at(t + 2.0)

    _plan_safe = _plan_repl

    def _plan_refuse(self, b, s, t):
        if self.step == 0 and self.refusal:
            self.step = 1
            self._read_led(t, _REFUSAL_BLINK, self.refusal)

    def _plan_cut(self, b, s, t):
        if self.step == 0 and b.resets and b.boots == 2 and s is not None:
            if s == FAULT:  # SR-4: a session was cut: acknowledge the RESET fault
                self.step = -2
                self._press(t + START_S)
            elif s == IDLE:
                self.step = 1
                self._press(t + START_S)  # the next session
        elif self.step == -2 and s == IDLE:
            self.step = 1
            self._press(t + START_S)  # the next session
        elif self.step == 1 and b.boots == 2 and s == RAMP_UP:
            self.step = 2
            self._press(t + 1.0)
        elif self.step == 2 and b.boots == 2 and s == DONE:
            self.step = 3
            self._end_at(t + 0.5)

    # ---- after the run ----
    def latency(self):
        # M5: ticks from the first evidence of the fault to enable low and
        # duty 0: the first tick after the injection, or for an exception
        # injected into a function the tick of its first raise.
        ev = self.b.evidence
        first = ev[1] if ev is not None else self.n0 + 1
        for t, n in self.b.hw.off_log:
            if t > self.t_inj:
                d = n - first
                return d if d > 0 else 0
        return None

    def enabled_after(self, t_us):
        return [e for e in self.b.hw.on_log if e[0] > t_us]


def _power_cut(b):
    raise BoardReset(fakemachine.PWRON_RESET)


def _table():
    # The table, released again once read (the unix port's heap holds a few
    # simulated boards, not them and the table).
    import fault_matrix

    del sys.modules["fault_matrix"]
    return fault_matrix


def case(case_id):
    return _table().case(case_id)


def case_ids():
    return tuple(row[0] for row in _table().CASES)


def run(case_id):
    # One case on its simulated board, its random seed from its number (F13:
    # 213). Its checks (fault_checks.check) are for the caller to load once the
    # run is over and the firmware's modules purged (gc.collect()).
    r = Run(case(case_id), 200 + int(case_id[1:])).run()
    assert r.t_inj is not None, (case_id, "never injected")
    return r

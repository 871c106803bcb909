# The application: wires hal, supervisor, regulator, session and LED, and
# runs the fixed-rate control loop. Every period (1 ms) the loop runs the
# tick (read -> check -> regulate -> drive -> feed the watchdog), then at most
# one slow job in what is left of the period (App.job). The slow jobs take
# turns over 32 periods: the button, the session's step, the density guard,
# the up and down buttons (each the period after the one before) and observe
# (rail, battery, the slow checks) every 16 ms; indicate (LED), record (trace,
# journal), the buzzer, the status report and, on a board with one, a slice
# of the display's frame every 32 ms. The other periods (17 of 32) run the
# tick alone. A job's decision reaches the output at the next tick's drive
# (1 ms later); the tick's own checks cut the output in the tick that reads
# the fault.
# docs/testing.md has the budget of each part.
# The tick and its job allocate nothing, frames included
# (host_tests/device/test_alloc.py measures it with micropython.mem_total in the
# unix port).
import time
from array import array

import micropython
from micropython import const

import firmware
from firmware import button, faults, limits, ui
from firmware.guard import DensityGuard
from firmware.regulator import Regulator
from firmware.session import (
    CHECK_SETTLE_MS,
    END_BATTERY,
    END_USB,
    POLARITY_ALTERNATE,
    REFUSE_BATTERY,
    REFUSE_LEAK,
    REFUSE_NONE,
    REFUSE_RAIL,
    REFUSE_UNCALIBRATED,
    REFUSE_USB,
    Session,
)
from firmware.states import (  # by name: one lookup each (issue 13)
    CHECKS,
    DONE,
    FAULT,
    IDLE,
    PAUSED,
    RAMP_DOWN,
    RAMP_UP,
    REVERSING,
    TREAT,
)
from firmware.supervisor import STOP, STOP_BATTERY, Supervisor
from firmware.trace import Trace

# The status snapshot: one preallocated array of integers, written by the
# control loop every tick (no allocation), read by the console and the host
# tools (simulator, monitor). Its fields are firmware/names.py STATUS, in that
# order (a test keeps them equal); their indexes are constants here, folded
# into the tick's code (no heap, M8).
_S_STATE = const(0)  # session state code (firmware/states.py)
_S_TARGET_UA = const(1)  # ramped set point the regulator is holding now
_S_SET_UA = const(2)  # the profile's set point (where the ramp is heading)
_S_I_UA = const(3)  # measured current
_S_V_MV = const(4)  # measured electrode voltage
_S_LOAD_OHM = const(5)  # V / I when I >= 100 uA, else 0
_S_REACHED_PCT = const(6)  # measured / target, percent (SR-14)
_S_FAULT = const(7)  # latched fault code, 0 = none (firmware/faults.py)
_S_ELAPSED_S = const(8)  # current-on time of the session, seconds
_S_TICKS = const(9)  # completed ticks since start
_S_OVERRUNS = const(10)  # ticks that started late (loop overrun counter)
_S_DUTY = const(11)  # set-PWM duty_u16 written this tick
_S_ENABLED = const(12)  # 1 when the output switch is on
_S_RAIL_MV = const(13)
_S_BATTERY_MV = const(14)
_S_I_AVG_UA = const(15)  # measured average; I_UA is the peak estimate in pulsed DC
_S_CHARGE_MAS = const(16)  # SR-21: charge delivered in this session, mA*s
_S_REFUSAL = const(17)  # the last refused start (session.py REFUSE_*), 0 = none
_S_LIMITED = const(18)  # 1 while compliance-limited (SR-14: the rail cannot push more)
_S_GUARD_PCT = const(19)  # SR-23: the density guard's cap, percent of the set point (100: none)
_S_SIZE = const(20)
status = array("i", [0] * _S_SIZE)

_TICKS_MAX = const(0x3FFFFFFF)  # time.ticks_* wrap at 2**30 on both ports (platform.md)
_TICKS_HALF = const(0x20000000)
_PROFILES = const(6)  # len(profiles.DEFAULTS) (a test keeps them equal)
_PICK_MS = const(4000)  # the profile gesture: saved this long after the last press
_DT_MAX_US = const(1 << 24)  # a longer gap (16 s) cannot happen on a board: the
# watchdog (8.4 s at most, platform.md) resets it first. A test's clock could:
# kept at this, every sum of 32 gaps (2**29) stays a machine word.
# The tick's own state: one preallocated array of integers, so App.tick runs
# as viper code over machine words (platform.md). The slow jobs read the
# readings from it.
_T_LAST_US = const(0)  # the last tick's now_us (once T_RUNNING)
_T_N = const(1)  # completed ticks, modulo 2**30 (the job slots need only the low bits)
_T_I_UA = const(2)  # the last readings: current (the peak in pulsed DC) ...
_T_V_MV = const(3)
_T_I_AVG_UA = const(4)  # ... and the measured average
_T_WANT = const(5)  # 1: the session wants the output on (its last step)
_T_SPAN16_US = const(6)  # the sum of the last 16 ticks' dt: decide's, the guard's, observe's
_T_SPAN32_US = const(7)  # of the last 32: the other slow jobs' dt
_T_TICK_US = const(8)  # the board's period
_T_PATH_OHM = const(9)  # R_sense + R_limit and the PTC: their drop is no sink headroom
_T_RUNNING = const(10)  # 1 once the first tick ran
_T_RAIL_MV = const(11)  # the last rail reading (observe), 0 if below 0: the sink's headroom
_T_DTS = const(12)  # the last 32 ticks' dt (us), a ring
_T_JOB_N = const(44)  # _T_N when the last job ran: one job a tick, however called
_T_SIZE = const(45)
# The slots (a tick's count modulo 32) with a job after them (job): bit k for
# slot k. Every 16: 0-3 and 8 (and 16-19, 24); every 32: 4, 6, 12, 20, 28.
_JOB_SLOTS = const(0x111F115F)
_F_SENSE = const(0)  # App._fast: hal.sense, the supervisor's check, the
_F_CHECK = const(1)  # regulator's target, its step, the supervisor's drive
_F_TARGET = const(2)  # (which ends the tick: it feeds the watchdog)
_F_STEP = const(3)
_F_DRIVE = const(4)
# Every word viper reads back is non-negative: on a 64-bit port (the unix port
# of the tests) viper's ptr32 loads zero-extend (the readings, which may be
# below zero, are only written here and read by bytecode).


class App:
    # Its inputs come in as arguments: startup.build's from the files (profile: the
    # config's; session_id and last_start_reversed: the journal's newest record;
    # show: the display's maker, status and session in, or None), the bench's
    # journal folder. No other module sets its fields.
    def __init__(self, hal, board, calibrated, profile=0, session_id=1,
                 last_start_reversed=False, journal_dir="", show=None):
        self.hal = hal
        self.board = board
        self.calibrated = calibrated
        t = array("i", [0] * _T_SIZE)
        self._t = t
        t[_T_TICK_US] = board["tick_us"]
        t[_T_PATH_OHM] = board["current_sense_ohm"] + board["limit_ohm"]
        t[_T_RAIL_MV] = board["rail_mv"]  # until the first reading
        self.reg = Regulator(board["sink_headroom_mv"])
        # SR-12: the supervisor has the regulator probe at an RP2040 widened code.
        self.sup = Supervisor(hal, board, self.reg.probe)
        self.ses = Session(self.reg, hal.relay)
        self.btn = button.Button()
        # The optional up and down buttons (issue 17), where the board has one.
        fitted = board["pin_up"] is not None or board["pin_down"] is not None
        self._up = button.Button() if fitted else None
        self._down = button.Button() if fitted else None
        self.bind()
        self.status = status
        self.rail_mv = board["rail_mv"]  # until the first reading
        self.battery_mv = hal.read_battery_mv()
        self.ms = 0  # loop time in ms (for the LED)
        self._us = 0
        self.overruns = 0
        self.overruns_at_start = 0  # the session's own: overruns - this
        self._fault_noted = 0  # the latched fault a journal record carries
        self._led_on = False
        self.profile = profile
        self.journal_dir = journal_dir  # "": the flash root
        # SR-11 "alternate": the relay position the last session started with
        # (from the journal at startup, then from each session).
        self.last_start_reversed = last_start_reversed
        self._start_armed = False  # a hold that began at rest: its release starts
        self._event = button.NONE  # the button's event for the session's next step
        self.trace = Trace()  # preallocated: the session's per-second samples
        self.guard = DensityGuard()  # SR-23: a hand lifted part way
        self._guard_state = IDLE  # the session state the guard last saw
        self.session_id = session_id  # the next session's journal id
        self.showing = 0  # the profile gesture: the profile shown (1-5), 0 = none
        self._show_ms = 0  # when it was last pressed
        self.start = None  # ISO UTC time of the start gesture, None: clock unknown
        self.warning = 0  # SR-22 (firmware/schedule.py), for this session
        self._sound_key = -1  # state, fault and refusal the buzzer last sounded for
        self._sound_ms = 0
        self._buzz_on = False
        self.display = None if show is None else show(status, self.ses)  # docs/display.md

    def bind(self):
        # The every-tick calls, bound once: a method looked up by name costs two
        # hash lookups a call (attribute lookups were half of the tick's
        # instructions in the unix port's profile). Again after one of them is
        # replaced (the simulator's fault injection does).
        self._fast: tuple = (self.hal.sense, self.sup.check, self.reg.target_ua,
                             self.reg.step, self.sup.drive)

    def refusal(self, i_ua):
        # Pre-session checks, each with its own refusal code (SR-9, SR-16, SR-17,
        # SR-19), run on every tick of the CHECKS window with the output off.
        # The trip input needs none: the supervisor latches it in every state.
        if not self.calibrated:
            return REFUSE_UNCALIBRATED
        if self.hal.usb_present() and not self.board["usb_treatment"]:
            return REFUSE_USB
        if i_ua > limits.OFF_LEAK_UA:
            return REFUSE_LEAK  # the zero reading (SR-9)
        if not self.sup.battery_ok_to_start(self.battery_mv):
            return REFUSE_BATTERY
        rail = self.rail_mv
        if rail * 100 < self.board["rail_mv"] * limits.RAIL_START_MIN_PCT:
            return REFUSE_RAIL
        if rail > limits.RAIL_START_MAX_MV:
            return REFUSE_RAIL
        return REFUSE_NONE

    def start_reversed(self):
        # The relay position a session starts with, and keeps unless it
        # reverses midway (SR-11: set in CHECKS, output off). "alternate":
        # opposite to the last session. A medicated tray B (4:
        # profiles.POLARITY_TRAY_B, a literal: that module is not loaded while
        # the app runs, M8) is + only with the relay reversed, in every
        # session whatever the last one did; tray A is + at rest.
        p = self.ses.polarity
        return p == 4 or (p == POLARITY_ALTERNATE and not self.last_start_reversed)

    @micropython.viper  # every tick: machine words, frame on the C stack (platform.md)
    def tick(self, now) -> int:
        # One tick, every millisecond: readings, the checks that see every
        # reading, regulation, drive, watchdog. Returns 1 when a slow job is due
        # after it (job), else 0. now: time.ticks_us() at the start of the
        # tick; every duration below comes from its differences (a late tick
        # never stretches one).
        now_us = int(now)  # a machine word (ticks_us < 2**30)
        t = ptr32(self._t)
        last = t[_T_LAST_US]
        t[_T_LAST_US] = now_us
        if not t[_T_RUNNING]:
            t[_T_RUNNING] = 1
            dt = t[_T_TICK_US]  # the first tick: one period
        else:  # time.ticks_diff, inline (the ports' ticks wrap at 2**30)
            dt = ((now_us - last + _TICKS_HALF) & _TICKS_MAX) - _TICKS_HALF
            if dt < 0:
                dt = 0
            elif dt > _DT_MAX_US:
                dt = _DT_MAX_US
        hal = self.hal
        fast = self._fast
        i_avg = int(fast[_F_SENSE]())  # the voltage and the trip input too
        # Pulsed DC: the sense RC makes the ADC read the average; the sink holds
        # the peak, which is what the set point and every check are about. With
        # the gate stopped the average is the current itself (SR-12 leak check).
        v_mv = int(hal.v_mv)
        pct = int(hal.pulse_duty_pct)
        i_ua = i_avg
        if pct != 100 and hal.output_is_on:
            # Both channels' RCs show the average of the gated pulse: scale both
            # to the peak, so the load (V / I), the short check (SR-13) and the
            # rail check see the pulse as it is.
            i_ua = i_avg * 100 // pct
            v_mv = v_mv * 100 // pct
        t[_T_I_UA] = i_ua
        t[_T_V_MV] = v_mv
        t[_T_I_AVG_UA] = i_avg
        if fast[_F_CHECK](i_ua, v_mv, fast[_F_TARGET](), dt):  # CUT
            self.ses.surge_cut()  # SR-6: re-ramp from zero
        # The slow jobs' time since each last ran: the sum of the last 16 or 32
        # ticks' dt, kept here (a ring of the dts) for the job after this tick.
        n = t[_T_N]
        k = n & 31
        t[_T_SPAN16_US] = t[_T_SPAN16_US] + dt - t[_T_DTS + ((k + 16) & 31)]
        t[_T_SPAN32_US] = t[_T_SPAN32_US] + dt - t[_T_DTS + k]
        t[_T_DTS + k] = dt
        # The sink's voltage: the rail (read before R_limit) less the electrodes and
        # the rest of the current's path (SR-14's compliance, the regulator).
        cmd = fast[_F_STEP](i_ua, t[_T_RAIL_MV] - v_mv - i_ua * t[_T_PATH_OHM] // 1000, dt)
        t[_T_N] = (n + 1) & _TICKS_MAX
        # The output, then the watchdog's feed: only after a tick whose checks ran.
        fast[_F_DRIVE](self.ses.state, t[_T_WANT], cmd)
        return (_JOB_SLOTS >> k) & 1

    def job(self):
        # After a tick that says so, in what is left of its period (run): the
        # slow job of the tick's slot (its count modulo 32): the button, the
        # session's step, the guard and observe every 16 ticks, the others
        # every 32. Each sees the time since it last ran (the tick's spans).
        # Once a tick: a second call before the next tick does nothing.
        # Bytecode (native code is heap on the chip, M8): the tick's flag
        # spares the call in the 17 periods of 32 without a job.
        t = self._t
        n = t[_T_N]
        if n == t[_T_JOB_N]:
            return
        t[_T_JOB_N] = n
        k = (n - 1) & 31  # the slot of the tick just run
        j = k & 15
        if j == 0:
            self._press(t[_T_SPAN16_US])
        elif j == 1:
            self._decide(t[_T_SPAN16_US])
        elif j == 2:
            self._guard_step(t[_T_SPAN16_US])  # SR-23, just after the session's step
        elif j == 3:
            self._adjust(t[_T_SPAN16_US])
        elif j == 8:
            self._observe(t[_T_SPAN16_US])
        elif k == 4:
            self._indicate(t[_T_SPAN32_US])
        elif k == 12:
            self._record(t[_T_SPAN32_US])
        elif k == 20:
            self._buzzer_at(self.ms)
        elif k == 28:
            self._report()
        elif k == 6 and self.display:
            self.display.step()  # a slice of its frame (docs/display.md)

    # The slow jobs below are bytecode: each keeps its locals and stack within
    # the 11 words a call frame may take on the C stack (py/objfun.c
    # VM_MAX_STATE_ON_STACK; platform.md), so none allocates a frame on the
    # heap; native code would cost RAM for code that needs no speed (M8).
    # host_tests/device/test_alloc.py fails when one grows past that.
    def _press(self, dt):
        # Every 16 ticks: the button, and what its gesture means at rest; an
        # event for the session waits for the session's step, the next job
        # (the two in one period would make the longest period, issue 13).
        self._event = self._gesture(self.btn.update(self.hal.button_pressed(), dt))

    def _decide(self, dt):
        # Every 16 ticks, the period after the button's: the session's step.
        ses = self.ses
        ev = self._event
        self._event = 0  # button.NONE
        ses.i_avg_ua = self._t[_T_I_AVG_UA]
        ses.step(ev, self._t[_T_I_UA], self.sup.fault,
                 self._verdict() if ses.state == CHECKS else REFUSE_NONE, dt)
        self._t[_T_WANT] = ses.output_wanted()
        if ses.state != self.status[_S_STATE]:
            self._report()  # a new state shows at once, not at the next report

    def _guard_step(self, dt):
        # Every 16 ticks, the period after the session's step.
        # SR-23: in RAMP_UP and TREAT with current, the density guard caps the
        # regulator's goal (set point x baseline load / present load); a pause
        # (SR-10) or a reversal (SR-11) starts its baseline afresh.
        s = self.ses.state
        if s != self._guard_state:
            self._guard_state = s
            if s == PAUSED or s == REVERSING:
                self.guard.reset()
                self.reg.set_cap(limits.MAX_SET_UA)
        if (s == RAMP_UP or s == TREAT) and self.hal.output_is_on:
            self._guard_update(dt)

    def _adjust(self, dt):
        # Every 16 ticks: the up and down buttons, where fitted. A step acts at
        # the release: a press (button.SHORT), or a hold of 2 s released
        # (LONG), which lets the set point pass the session's start + 1 mA
        # (session.adjust). A stuck button never releases (SR-20): it changes
        # nothing. Each button has its own debounce and arming (button.py).
        if self._up is None or self._down is None:  # (both or neither)
            return
        pressed = self.hal.adjust_pressed()
        if pressed == 0 and self._up.settled and self._down.settled:
            return  # both released and at rest: their updates would change nothing
        ev = self._up.update(pressed & 1 != 0, dt)
        if (ev == button.SHORT or ev == button.LONG) and self.ses.adjust(True, ev == button.LONG):
            # SR-23: the density guard's cap (the set point while it is not
            # engaged) follows now, before the session's next step asks
            # whether the ramp is at its top.
            self._guard_step(0)
        ev = self._down.update(pressed & 2 != 0, dt)
        if (ev == button.SHORT or ev == button.LONG) and self.ses.adjust(False, False):
            self._guard_step(0)

    def _guard_update(self, dt):
        t = self._t
        self.reg.set_cap(self.guard.update(t[_T_I_UA], t[_T_V_MV], self.ses.set_ua, dt))

    def _gesture(self, ev):
        # What the button's event means at rest, or passes on to the session.
        s = self.ses.state
        rest = s == IDLE or s == DONE
        if ev == button.HOLD:
            if rest:
                # SR-20: the start waits for the release (a stuck button never
                # releases); remember that this press began at rest.
                self._start_armed = True
            elif s == FAULT:
                self.sup.acknowledge()  # SR-15: output off, trip latch reset
                return button.NONE
        elif ev == button.SHORT and rest:
            # The profile gesture: the first press shows the profile, each next
            # one within 4 s steps to the next; saved 4 s after the last.
            self.showing = self.showing % _PROFILES + 1 if self.showing else self.profile + 1
            self._show_ms = self.ms
            return button.NONE
        elif ev == button.LONG or ev == button.STUCK:
            if ev == button.LONG and self._start_armed and rest:
                self._begin()
            self._start_armed = False
            return button.NONE
        return ev

    def _begin(self):
        # The start gesture's release (SR-20): the CHECKS state, output off.
        if self.showing:
            self._pick()  # a profile just chosen is the one that starts
        # SR-22's warning and the start time; SR-4's running marker
        self.start, self.warning = firmware.job("start_gesture", "run", self, 0)
        self.sup.new_session()
        self.guard.reset(True)  # SR-23: a new session, a new baseline and count
        self.reg.set_cap(limits.MAX_SET_UA)
        self.ses.begin(self.start_reversed())
        self.trace.start()
        self.overruns_at_start = self.overruns

    def _verdict(self):
        # The pre-session checks' verdict (_decide asks it in CHECKS), once the
        # sense RC settled.
        if self.ses.phase_ms < CHECK_SETTLE_MS:
            return REFUSE_NONE
        # The zero reading (SR-9) averaged over ~16 readings: one reading's
        # noise (3 LSB on the ESP32 is about 40 uA) must not refuse a start.
        verdict = self.refusal(self.reg.mean_ua())
        if verdict:
            # Refused: no session runs, the marker goes.
            firmware.job("start_gesture", "run", self, 1)
        return verdict

    def _indicate(self, dt):
        # The LED, on the loop's millisecond clock (the buzzer reads it too).
        us = self._us + dt
        ms = us // 1000
        self._us = us - ms * 1000
        ms += self.ms
        self.ms = ms
        self._led_at(ms)

    def _led_at(self, ms):
        # (self.ses each time, not a local: the frame stays within 11 words.)
        # Held 2 s at rest: steady on says "release to start".
        if self._start_armed:
            led = True
        elif self.showing and self.ses.state != FAULT:
            led = ui.show_level(self.showing, ms - self._show_ms)
            if ms - self._show_ms >= _PICK_MS:
                self._pick()
        else:
            self.showing = 0  # a fault cancels an unsaved pick
            led = ui.led_level(self.ses.state, self.sup.fault, ms, self.ses.refusal,
                               self.warning, self.reg.limited)
        if led != self._led_on:
            self._led_on = led
            self.hal.led(led)

    def _buzzer_at(self, ms):
        ses = self.ses
        key = ses.state | self.sup.fault << 4 | ses.refusal << 8
        if key != self._sound_key:
            self._sound_key = key
            self._sound_ms = ms
        buzz = ui.buzzer_level(ses.state, self.sup.fault, ms - self._sound_ms, ses.refusal)
        if buzz != self._buzz_on:
            self._buzz_on = buzz
            self.hal.buzzer(buzz)

    def _record(self, dt):
        # The trace, the journal's extremes, and the journal once
        # the session has ended and the output is off (SR-18).
        ses = self.ses
        t = self._t
        if ses.in_session():
            self.trace.add(t[_T_I_UA], t[_T_V_MV], ses.state, dt)
        if ses.state == TREAT:
            i_ua = t[_T_I_UA]
            ses.note_treating(i_ua, t[_T_V_MV] * 1000 // i_ua if i_ua >= 100 else 0)
        elif ses.unjournaled and not self.hal.output_is_on:
            self._journal()
        elif self.sup.fault != self._fault_noted:
            self._note_fault()

    def _note_fault(self):
        # A fault the session's record does not carry: latched with no session
        # under way, once the session has seen it (FAULT). RESET is journaled
        # at startup (startup.py, SR-4); a cleared fault is noted as none.
        fault = self.sup.fault
        if fault and self.ses.state != FAULT:
            return  # the session has not stepped since: it may be its own
        if fault and fault != faults.RESET:
            sid = self.session_id
            self.session_id = sid + 1
            firmware.job("fault_note", "run", self, sid)
        self._fault_noted = fault

    def _observe(self, dt):
        # The rail every 16 ms (the regulator's compliance, SR-14, sees the sink's
        # headroom through it: 32 ms-old readings let the current overshoot the
        # density guard's cap during a partial lift, SR-23), the battery every
        # 32 ms; then the supervisor's slow checks.
        rail = self.hal.read_rail_mv()
        self.rail_mv = rail
        self._t[_T_RAIL_MV] = rail if rail > 0 else 0
        if self._t[_T_N] & 16:
            self.battery_mv = self.hal.read_battery_mv()
        ses = self.ses
        if (self.sup.check_slow(self.rail_mv, self.battery_mv, dt) == STOP
                and ses.state != RAMP_DOWN and ses.in_session()):
            ses.stop(END_BATTERY if self.sup.stop_reason == STOP_BATTERY else END_USB)
            self._t[_T_WANT] = ses.output_wanted()

    def _report(self):
        # The status snapshot (names.py STATUS), for the console and the tools.
        s = self.status
        ses = self.ses
        t = self._t
        i_ua = t[_T_I_UA]
        s[_S_STATE] = ses.state
        s[_S_TARGET_UA] = self.reg.target_ua()
        s[_S_SET_UA] = ses.set_ua
        s[_S_I_UA] = i_ua
        s[_S_V_MV] = t[_T_V_MV]
        s[_S_LOAD_OHM] = t[_T_V_MV] * 1000 // i_ua if i_ua >= 100 else 0
        s[_S_REACHED_PCT] = self.reg.reached_pct(i_ua)
        s[_S_FAULT] = self.sup.fault
        s[_S_ELAPSED_S] = ses.on_ms // 1000
        s[_S_TICKS] = t[_T_N]
        s[_S_OVERRUNS] = self.overruns
        s[_S_DUTY] = self.hal.duty
        s[_S_ENABLED] = 1 if self.hal.output_is_on else 0
        s[_S_RAIL_MV] = self.rail_mv
        s[_S_BATTERY_MV] = self.battery_mv
        s[_S_I_AVG_UA] = t[_T_I_AVG_UA]
        s[_S_CHARGE_MAS] = ses.charge_mas
        s[_S_REFUSAL] = ses.refusal
        # SR-14 while treating: at the probe an open load (no hand) is no limit.
        s[_S_LIMITED] = 1 if self.reg.limited and (
            ses.state == RAMP_UP or ses.state == TREAT) else 0
        s[_S_GUARD_PCT] = self.reg.cap_pct(ses.set_ua)

    def _journal(self):
        # Once per session, after it ended, output off (SR-18). Allocates and
        # writes the flash: the loop overruns a few ticks, with no current.
        self.ses.unjournaled = False
        self._fault_noted = self.sup.fault  # the record carries it
        self.last_start_reversed = self.ses.start_reversed
        sid = self.session_id
        self.session_id = sid + 1
        firmware.job("journal", "run", self, sid)

    def _pick(self):
        # The profile gesture ended: save the profile shown, if it changed
        # (output off: idle or done; firmware/picker.py).
        index = self.showing - 1
        self.showing = 0
        if index != self.profile and firmware.job("picker", "run", self, index):
            self.profile = index

    def run(self, ticks=0):
        # The fixed-rate loop. ticks=0: forever. Deadlines advance by exactly one
        # period (no drift); a late tick counts as an overrun, and after a long
        # stall the schedule restarts from now rather than bursting to catch up.
        # Each tick gets the clock (ticks_us): durations never count ticks.
        self.sup.start_watchdog()  # SR-3: before the output can first be enabled
        ticks_us = time.ticks_us
        ticks_add = time.ticks_add
        ticks_diff = time.ticks_diff
        sleep_us = time.sleep_us
        period = self._t[_T_TICK_US]
        deadline = ticks_add(ticks_us(), period)
        count = 0
        while ticks == 0 or count < ticks:
            # (Looked up each pass: the simulator's fault injection replaces them.)
            if self.tick(ticks_us()):
                self.job()  # in what is left of the period
            count += 1
            late = ticks_diff(ticks_us(), deadline)
            if late > 0:
                self.overruns += 1
                if late > period:
                    deadline = ticks_us()
            else:
                sleep_us(-late)
            deadline = ticks_add(deadline, period)

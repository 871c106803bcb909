# The application: wires hal, supervisor, regulator, session, the density
# guard, the LED and buzzer (ui.Indicators) and the trace, and runs the
# fixed-rate control loop. Every period (1 ms) the loop runs the
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
from firmware import button, faults, limits
from firmware.guard import DensityGuard
from firmware.regulator import Regulator
from firmware.session import (
    CHECK_SETTLE_MS,
    END_BATTERY,
    END_USB,
    REQ_ACK,
    REQ_PICK,
    REQ_START,
    Session,
)
from firmware.states import (  # by name: one lookup each (issue 13)
    CHECKS,
    FAULT,
    PAUSED,
    RAMP_DOWN,
    RAMP_UP,
    REVERSING,
    TREAT,
)
from firmware.supervisor import REFUSE_NONE, STOP, STOP_BATTERY, Supervisor
from firmware.trace import Trace
from firmware.ui import Indicators

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
_DT_MAX_US = const(1 << 24)  # a longer gap (16 s) cannot happen on a board: the
# watchdog (8.4 s at most, platform.md) resets it first. A test's clock could:
# kept at this, every sum of 32 gaps (2**29) stays a machine word.
# The loop's own state: one preallocated array of integers, so App.tick runs
# as viper code over machine words (platform.md). The slow jobs read the
# readings from it and keep theirs in it (from _T_BATTERY_MV: bytecode only).
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
_T_BATTERY_MV = const(45)  # the last battery reading (observe)
_T_OVERRUNS = const(46)  # ticks that started late (run)
_T_OVERRUNS_AT_START = const(47)  # ... when the session began: its own are the rest
_T_EVENT = const(48)  # the button's event (press) for the session's next step (decide)
_T_GUARD_STATE = const(49)  # the session state the density guard last saw
_T_FAULT_NOTED = const(50)  # the latched fault a journal record carries
_T_SIZE = const(51)
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
    # Its inputs come in as arguments: startup.build's from the files
    # (calibrated: the calibration was read; session_id and
    # last_start_reversed: the journal's newest record; show: the display's
    # maker, status and session in, or None), the bench's journal folder. The
    # profile is the session's (profiles.apply configures it). No other
    # module sets its fields.
    def __init__(self, hal, board, calibrated, session_id=1, last_start_reversed=False,
                 journal_dir="", show=None):
        self.hal = hal
        t = array("i", [0] * _T_SIZE)
        self._t = t
        t[_T_TICK_US] = board["tick_us"]
        t[_T_PATH_OHM] = board["current_sense_ohm"] + board["limit_ohm"]
        t[_T_RAIL_MV] = board["rail_mv"]  # until the first reading
        t[_T_BATTERY_MV] = hal.read_battery_mv()
        self.reg = Regulator(board["sink_headroom_mv"])
        # SR-12: the supervisor has the regulator probe at an RP2040 widened code.
        self.sup = Supervisor(hal, board, self.reg.probe, calibrated)
        self.ses = Session(self.reg, hal.relay, last_start_reversed)
        self.btn = button.Button()
        # The optional up and down buttons (issue 17), where the board has them.
        self._keys = None
        if board["pin_up"] is not None or board["pin_down"] is not None:
            self._keys = (button.Button(), button.Button())
        self.bind()
        self.status = status
        self.ind = Indicators(hal, self.ses, self.sup, self.reg)  # the LED and buzzer
        self.journal_dir = journal_dir  # "": the flash root
        self.session_id = session_id  # the next session's journal id
        self.trace = Trace()  # preallocated: the session's per-second samples
        self.guard = DensityGuard()  # SR-23: a hand lifted part way
        self.display = None if show is None else show(status, self.ses)  # docs/display.md

    def bind(self):
        # The every-tick calls, bound once: a method looked up by name costs two
        # hash lookups a call (attribute lookups were half of the tick's
        # instructions in the unix port's profile). Again after one of them is
        # replaced (the simulator's fault injection does).
        self._fast: tuple = (self.hal.sense, self.sup.check, self.reg.target_ua,
                             self.reg.step, self.sup.drive)

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
            self.ind.led(t[_T_SPAN32_US])
        elif k == 12:
            self._record(t[_T_SPAN32_US])
        elif k == 20:
            self.ind.buzzer()
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
        # Every 16 ticks: the button. Its event waits for the session's step,
        # the next job (the two in one period would make the longest period,
        # issue 13).
        self._t[_T_EVENT] = self.btn.update(self.hal.button_pressed(), dt)

    def _decide(self, dt):
        # Every 16 ticks, the period after the button's: the session's step,
        # then what it asks for (every gesture is the session's). (No locals
        # but dt, reused for the request: the step's six arguments fill the 11
        # words of the frame.)
        dt = self.ses.step(self._t[_T_EVENT], self._t[_T_I_UA], self._t[_T_I_AVG_UA],
                           self.sup.fault,
                           self._verdict() if self.ses.state == CHECKS else REFUSE_NONE, dt)
        self._t[_T_EVENT] = 0  # button.NONE
        if dt == REQ_START:
            self._begin()
        elif dt == REQ_ACK:
            self.sup.acknowledge()  # SR-15: output off, trip latch reset
        elif dt >= REQ_PICK:
            self._pick(dt - REQ_PICK)
        self._t[_T_WANT] = self.ses.output_wanted()
        if self.ses.state != self.status[_S_STATE]:
            self._report()  # a new state shows at once, not at the next report

    def _guard_step(self, dt):
        # Every 16 ticks, the period after the session's step.
        # SR-23: in RAMP_UP and TREAT with current, the density guard caps the
        # regulator's goal (set point x baseline load / present load); a pause
        # (SR-10) or a reversal (SR-11) starts its baseline afresh.
        s = self.ses.state
        if s != self._t[_T_GUARD_STATE]:
            self._t[_T_GUARD_STATE] = s
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
        keys = self._keys
        if keys is None:
            return
        pressed = self.hal.adjust_pressed()
        if pressed == 0 and keys[0].settled and keys[1].settled:
            return  # both released and at rest: their updates would change nothing
        ev = keys[0].update(pressed & 1 != 0, dt)
        if (ev == button.SHORT or ev == button.LONG) and self.ses.adjust(True, ev == button.LONG):
            # SR-23: the density guard's cap (the set point while it is not
            # engaged) follows now, before the session's next step asks
            # whether the ramp is at its top.
            self._guard_step(0)
        ev = keys[1].update(pressed & 2 != 0, dt)
        if (ev == button.SHORT or ev == button.LONG) and self.ses.adjust(False, False):
            self._guard_step(0)

    def _guard_update(self, dt):
        t = self._t
        self.reg.set_cap(self.guard.update(t[_T_I_UA], t[_T_V_MV], self.ses.set_ua, dt))

    def _begin(self):
        # The start gesture's release (REQ_START, SR-20): the CHECKS state, output off.
        if self.ses.showing:
            self._pick(self.ses.showing - 1)  # a profile just chosen is the one that starts
        # SR-22's warning and the start time; SR-4's running marker
        start, warning = firmware.job("start_gesture", "run", self, 0)
        self.sup.new_session()
        self.guard.reset(True)  # SR-23: a new session, a new baseline and count
        self.reg.set_cap(limits.MAX_SET_UA)
        self.ses.begin(start, warning)
        self.trace.start()
        self._t[_T_OVERRUNS_AT_START] = self._t[_T_OVERRUNS]

    def _verdict(self):
        # The pre-session checks' verdict (_decide asks it in CHECKS), once the
        # sense RC settled.
        if self.ses.phase_ms < CHECK_SETTLE_MS:
            return REFUSE_NONE
        # The zero reading (SR-9) averaged over ~16 readings: one reading's
        # noise (3 LSB on the ESP32 is about 40 uA) must not refuse a start.
        verdict = self.sup.start_refusal(self.reg.mean_ua(), self._t[_T_BATTERY_MV])
        if verdict:
            # Refused: no session runs, the marker goes.
            firmware.job("start_gesture", "run", self, 1)
        return verdict

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
        elif self.sup.fault != t[_T_FAULT_NOTED]:
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
        self._t[_T_FAULT_NOTED] = fault

    def _observe(self, dt):
        # The rail every 16 ms (the regulator's compliance, SR-14, sees the sink's
        # headroom through it: 32 ms-old readings let the current overshoot the
        # density guard's cap during a partial lift, SR-23), the battery every
        # 32 ms; then the supervisor's slow checks.
        t = self._t
        rail = self.hal.read_rail_mv()
        t[_T_RAIL_MV] = rail if rail > 0 else 0
        if t[_T_N] & 16:
            t[_T_BATTERY_MV] = self.hal.read_battery_mv()
        ses = self.ses
        if (self.sup.check_slow(rail, t[_T_BATTERY_MV], dt) == STOP
                and ses.state != RAMP_DOWN and ses.in_session()):
            ses.stop(END_BATTERY if self.sup.stop_reason == STOP_BATTERY else END_USB)
            t[_T_WANT] = ses.output_wanted()

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
        s[_S_OVERRUNS] = t[_T_OVERRUNS]
        s[_S_DUTY] = self.hal.duty
        s[_S_ENABLED] = 1 if self.hal.output_is_on else 0
        s[_S_RAIL_MV] = t[_T_RAIL_MV]
        s[_S_BATTERY_MV] = t[_T_BATTERY_MV]
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
        self._t[_T_FAULT_NOTED] = self.sup.fault  # the record carries it
        sid = self.session_id
        self.session_id = sid + 1
        firmware.job("journal", "run", self, sid,
                     self._t[_T_OVERRUNS] - self._t[_T_OVERRUNS_AT_START])

    def _pick(self, index):
        # The profile gesture ended: save the profile shown, if it changed
        # (output off: idle or done; firmware/picker.py configures the session
        # with it when saved).
        if index != self.ses.profile:
            firmware.job("picker", "run", self, index)

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
                self._t[_T_OVERRUNS] += 1
                if late > period:
                    deadline = ticks_us()
            else:
                sleep_us(-late)
            deadline = ticks_add(deadline, period)

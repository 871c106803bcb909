# The treatment session: a state machine over integers. Every few ticks it
# gets the button event, the measured current, the supervisor's fault code
# and the microseconds since its last step (from the clock), moves the
# regulator's goal, and says whether it wants the output on. It never
# switches the output itself: the supervisor does (SR-2). Every timer adds
# the real time that passed, so a loop that runs late never stretches a
# session, a pause or the 45-minute cap (SR-5).
from array import array

from micropython import const

from firmware import limits
from firmware.button import HOLD, SHORT  # by name, as the states below
from firmware.limits import (
    CONTACT_GIVE_UP_MS,
    CONTACT_LOST_MS,
    CONTACT_LOST_PCT,
    MAX_ON_MS,
    OFF_LEAK_UA,
    PROBE_UA,
)

# The states by name: one lookup each where they are compared (a module's
# attribute costs two, and the session's step compares a dozen: issue 13);
# the button's events and the limits the step reads likewise.
from firmware.states import (
    CHECKS,
    DONE,
    FAULT,
    IDLE,
    PAUSED,
    RAMP_DOWN,
    RAMP_UP,
    REVERSING,
    SESSION_STATES,
    TREAT,
    WAIT_CONTACT,
)

_CONTACT_MS = const(100)  # probe current flowing this long = a hand is in the water
_REVERSE_OFF_MS = const(500)  # SR-11: output off at least 500 ms around the relay
_RELAY_SETTLE_MS = const(50)  # SR-11: wait 50 ms after switching the relay
_CHECKS_MS = const(200)  # pre-session checks: relay settled, then the zero reading
CHECK_SETTLE_MS = const(100)  # the checks' verdicts count from here (sense RC settled)
# The up and down buttons (issue 17): one press, one step of the set point.
# 1 mA: the step of the commercial units' current keys (docs/using.md); down
# stops at 1 mA (below it, pause or stop).
_STEP_UA = const(1000)
_MIN_UA = const(1000)
_ADJUSTS = const(24)  # the changes a journal record lists (on_s, set_ua)

REFUSE_NONE = const(0)
REFUSE_UNCALIBRATED = const(1)  # SR-19
REFUSE_LEAK = const(2)  # SR-9: current above 0.1 mA with the output off
REFUSE_USB = const(3)  # SR-17
REFUSE_BATTERY = const(4)  # SR-16: the pack cannot last the session
REFUSE_RAIL = const(5)  # the boost rail reads outside its range (limits.RAIL_START_*)

# States in which the session wants the output on (the reversal decides by its
# phase: output_wanted). A module-level tuple: a tuple written inside the
# method would be built, on the heap, every tick.
_OUTPUT_STATES = (WAIT_CONTACT, RAMP_UP, TREAT, PAUSED, RAMP_DOWN)

# Why a session ended (the journal's "end": firmware/names.py ENDS).
END_TIMER = const(1)
END_USER = const(2)
END_DOSE = const(3)  # SR-21
END_CAP = const(4)  # SR-5: 45 minutes of current
END_NO_CONTACT = const(5)  # SR-10: 5 minutes without contact
END_BATTERY = const(6)  # SR-16
END_USB = const(7)  # SR-17
END_FAULT = const(8)

POLARITY_NONE = const(0)
POLARITY_MIDWAY = const(1)  # SR-11: R.A. Fischer AUTO, Akbar 2013
POLARITY_ALTERNATE = const(2)  # SR-11: reverse per session, not within (Hidrex 1994)


class Session:
    def __init__(self, regulator, relay):
        self._reg = regulator
        self._relay = relay  # callable(reversed: bool): the hal's relay
        self.state = IDLE
        self.refusal = REFUSE_NONE
        self.on_ms = 0  # current-on time: the timer (held while paused)
        self.reversed = False
        self.start_reversed = False  # the relay position this session started with
        self._us = 0  # sub-millisecond remainder of the steps' time
        self._ms = 0  # whole milliseconds of this step (_elapse)
        self.phase_ms = 0  # time in the current state or phase
        self._contact_ms = 0
        self._lost_ms = 0
        self._reversal_done = False
        self._rev_phase = 0  # reversal: 0 ramping to zero, 1 output off, 2 relay switched
        self.pauses = 0
        self.reversals = 0
        self.user_paused = False  # paused by a short press (not by contact loss)
        self.charge_mas = 0  # SR-21: charge delivered, mA*s
        self.i_avg_ua = 0  # set by the app each tick: the measured average current
        self._charge_acc = 0  # uA*ms (nC) not yet carried into charge_mas
        self.end_reason = 0
        self.unjournaled = False  # a session ended and its record is not written yet
        self.min_ua = 0  # while treating: current and load extremes for the journal
        self.max_ua = 0
        self.load_start_ohm = 0
        self.load_end_ohm = 0
        self.limited_ms = 0  # SR-14: current-on time while compliance-limited (issue 14 D1)
        # The up and down buttons' changes of the set point, in order: (on_s,
        # set_ua) pairs, preallocated (SR-18: journaled after the session);
        # past _ADJUSTS the last pair takes the latest. adjust_n: all of them.
        self.adjusts = array("H", [0] * (2 * _ADJUSTS))
        self.adjust_n = 0
        self.configure(15000, 1200000, POLARITY_MIDWAY)  # hands (profiles.DEFAULTS)

    def configure(self, set_ua, duration_ms, polarity, cap_ua=limits.MAX_SET_UA):
        # cap_ua: the profile's cap (SR-7, profiles.CAP_UA), which the up button
        # never passes.
        if not 0 < set_ua <= limits.MAX_SET_UA:
            raise ValueError("set point outside 1-25000 uA (SR-5)")
        if not set_ua <= cap_ua <= limits.MAX_SET_UA:
            raise ValueError("profile cap outside set point-25000 uA (SR-5, SR-7)")
        if not 60000 <= duration_ms <= limits.MAX_ON_MS:
            raise ValueError("duration outside 1-45 min (SR-5)")
        self.planned_ua = set_ua  # each session starts here (begin)
        self.cap_ua = cap_ua
        self.set_ua = set_ua
        self.duration_ms = duration_ms
        self.polarity = polarity
        # SR-21: the planned dose (set point x duration) + 10 %, in mA*s.
        self.dose_cap_mas = set_ua * (duration_ms // 1000) // 1000 * limits.DOSE_CAP_PCT // 100

    def in_session(self):
        return self.state in SESSION_STATES

    def output_wanted(self):
        s = self.state
        if s == REVERSING:
            return self._rev_phase == 0  # only while ramping to zero (SR-11)
        if s == PAUSED and self.user_paused:
            return self._reg.target_ua() > 0  # ramping down, then off
        return s in _OUTPUT_STATES

    def _enter(self, state):
        self.state = state
        self.phase_ms = 0
        self._contact_ms = 0
        self._lost_ms = 0

    def begin(self, start_reversed):
        # The start gesture: pre-session checks with the output off. The relay
        # takes this session's polarity now, never with current (SR-11); the
        # checks window covers its 50 ms settling.
        self.refusal = REFUSE_NONE
        self.start_reversed = start_reversed
        if start_reversed != self.reversed:  # the relay is left as the last session ended
            self.reversed = start_reversed
            self._relay(start_reversed)
        self.on_ms = 0
        self._us = 0
        self._reversal_done = False
        self.pauses = 0
        self.reversals = 0
        self.user_paused = False
        self.charge_mas = 0
        self._charge_acc = 0
        self.end_reason = 0
        self.unjournaled = False
        self.min_ua = 0
        self.max_ua = 0
        self.load_start_ohm = 0
        self.load_end_ohm = 0
        self.limited_ms = 0
        self.set_ua = self.planned_ua  # the last session's up and down steps were its own
        self.adjust_n = 0
        self._reg.cut()
        self._enter(CHECKS)

    def surge_cut(self):
        # SR-6: the supervisor cut the output; ramp again from zero.
        self._reg.cut()
        if self.state == TREAT:
            self._enter(RAMP_UP)

    def stop(self, reason):
        # Hold 2 s during a session, the timer, a cap, the battery: a gentle end.
        # With the output already off (the reversal's off time, a pause ramped
        # down) the end is now: the output never comes on again (SR-11, SR-16).
        if not self.output_wanted():
            self._end(reason)
            return
        self.end_reason = reason
        self._reg.set_goal(0)
        self._enter(RAMP_DOWN)

    def adjust(self, up, held):
        # The up or down button (app.py): the set point one step (1 mA) up or
        # down, during a session that is not ending; the current follows
        # along SR-8's ramps (the regulator's goal). Up stays within the
        # profile's cap (SR-7, SR-5) and, unless the press was held 2 s, at
        # most one step above the set point the session started with. True
        # when it changed (journaled: adjusts).
        s = self.state
        if s == RAMP_DOWN or s not in SESSION_STATES:
            return False
        if up:
            top = self.cap_ua
            if not held and self.planned_ua + _STEP_UA < top:
                top = self.planned_ua + _STEP_UA
            up = min(self.set_ua + _STEP_UA, top)  # (reused: no new local, app.py)
            if up <= self.set_ua:
                return False
        else:
            up = max(self.set_ua - _STEP_UA, _MIN_UA)
            if up >= self.set_ua:
                return False
        if up > self.set_ua and s == TREAT:
            self._enter(RAMP_UP)  # the ramp to the new set point, then treat again
        self.set_ua = up
        if s == RAMP_UP or s == TREAT:
            self._reg.set_goal(up)
        # (elsewhere the next ramp heads for it: after a pause or a reversal)
        s = self.adjust_n if self.adjust_n < _ADJUSTS else _ADJUSTS - 1
        self.adjusts[2 * s] = self.on_ms // 1000
        self.adjusts[2 * s + 1] = up
        self.adjust_n += 1
        return True

    def note_treating(self, i_ua, load_ohm):
        # Called each tick in TREAT: the journal's extremes (no allocation),
        # over the ticks with contact: the few ticks before a contact loss is
        # confirmed (SR-10) are a pause, not the treatment's minimum.
        if i_ua * 100 < self._reg.target_ua() * CONTACT_LOST_PCT:
            return
        if self.max_ua == 0:
            self.min_ua = i_ua
            self.load_start_ohm = load_ohm
        if i_ua < self.min_ua:
            self.min_ua = i_ua
        if i_ua > self.max_ua:
            self.max_ua = i_ua
        self.load_end_ohm = load_ohm

    # step() and its parts are bytecode whose locals and stack stay within the
    # 11 words a frame may take on the C stack: no heap frame (app.py).
    def step(self, event, i_ua, fault, refusal, dt_us):
        # refusal: the pre-session checks' verdict (only in CHECKS); dt_us:
        # the time since the last step, from the clock. One call, the
        # dispatch inline (a call costs more than its body, issue 13).
        s = self.state
        if fault:  # faults.NONE is 0
            self._faulted()
            return
        if s == FAULT:
            self._enter(IDLE)  # the fault was acknowledged
            return
        self._elapse(dt_us)  # and the charge (SR-21)
        if s == CHECKS:
            self._checks(refusal)
            return
        dt_us = self.on_ms  # (reused, no new local: the on time before this step)
        if s == TREAT or s == RAMP_UP:  # the common case first
            self._treating(event, i_ua)
        elif s == PAUSED and self.user_paused:
            self._paused_by_user(event)
        elif s == WAIT_CONTACT or s == PAUSED:
            self._waiting(event, i_ua)
        elif s == REVERSING:
            if event == HOLD:
                self.stop(END_USER)  # on down the same ramp, or at once when off
            else:
                self._reversing(i_ua, self._ms)
        elif s == RAMP_DOWN:
            self.on_ms += self._ms
            if self._reg.target_ua() == 0:
                self._end(self.end_reason)
        # IDLE or DONE: the start gesture is handled by the app (begin()).
        if self._reg.limited:
            # SR-14: the current-on time of this step during which the rail
            # could not push the target through the load (the regulator's
            # flag of its last step): journaled as limited_s (issue 14 D1).
            self.limited_ms += self.on_ms - dt_us

    def _faulted(self):
        if self.state != FAULT:
            if self.state in SESSION_STATES:
                self.end_reason = END_FAULT
                self.unjournaled = True
            self._reg.cut()
            self._reg.set_goal(0)
            self._enter(FAULT)

    def _elapse(self, dt_us):
        # The whole milliseconds since the last step (self._ms); the rest of
        # a millisecond carries to the next step. Then SR-21: integrate what
        # flowed (the average, when pulsed: app.py) in uA x ms; whole mA*s
        # (1e6) are carried over. Small ints for steps up to 35 s. (One call:
        # a call costs more than its body, issue 13.)
        us = self._us + dt_us
        ms = us // 1000
        self._us = us - ms * 1000
        self._ms = ms
        self.phase_ms += ms
        if self.i_avg_ua > 0 and self.state in SESSION_STATES:
            us = self._charge_acc + self.i_avg_ua * ms
            while us >= 1000000:
                us -= 1000000
                self.charge_mas += 1
            self._charge_acc = us

    def _checks(self, refusal):
        if refusal != REFUSE_NONE:
            self.refusal = refusal  # its LED code until the next start gesture
            self._enter(IDLE)
        elif self.phase_ms >= _CHECKS_MS:
            self._reg.cut()
            self._reg.set_goal(PROBE_UA)
            self._enter(WAIT_CONTACT)

    def _paused_by_user(self, event):
        # Paused by the person: the current ramps down (SR-8), then the
        # output is off; a hand still in the water does not resume it.
        reg = self._reg
        if event == HOLD:
            self._end(END_USER)
        elif event == SHORT:
            self.user_paused = False  # resume: probe, contact, ramp (SR-9, SR-10)
            reg.cut()
            reg.set_goal(PROBE_UA)
            self._enter(PAUSED)
        elif self.phase_ms >= CONTACT_GIVE_UP_MS:
            self._end(END_NO_CONTACT)  # a pause forgotten for 5 minutes
        elif reg.target_ua() > 0:
            self.on_ms += self._ms  # current still flows while ramping down

    def _waiting(self, event, i_ua):
        # SR-9/SR-10: only the probe flows until contact; the timer holds.
        if event == HOLD:
            self._end(END_USER)
            return
        self._contact_ms = self._contact_ms + self._ms if i_ua >= PROBE_UA // 2 else 0
        if self._contact_ms >= _CONTACT_MS:
            # SR-10: on from the probe level (<= 0.2 mA, the foot of the ramp),
            # never a jump back to the set point (the fence effect).
            self._reg.set_goal(self.set_ua)
            self._enter(RAMP_UP)
        elif self.state == PAUSED and self.phase_ms >= CONTACT_GIVE_UP_MS:
            self._end(END_NO_CONTACT)

    def _treating(self, event, i_ua):
        # RAMP_UP or TREAT: the button, contact (SR-10), the top of the ramp,
        # the caps, the timer, the midway reversal (one call: issue 13).
        reg = self._reg
        if event:  # a press (button.NONE is 0: most steps have none)
            if event == HOLD:
                self.stop(END_USER)
                return
            if event == SHORT:
                self.pauses += 1
                self.user_paused = True
                reg.set_goal(0)  # along the down ramp, not a cut (SR-8)
                self._enter(PAUSED)
                return
        self.on_ms += self._ms
        # SR-10: under a fifth of the command, or the electrodes at the rail
        # with no current. Up to the probe level a fifth of the command is
        # within the ADC's noise (a code is about 10 uA on the Pico): the ramp
        # from zero after a reversal or a surge cut read 0 at a 30 uA command
        # and paused a nominal session (S1). There the electrodes tell: a
        # lifted hand leaves them at the rail, no headroom for the sink, which
        # the regulator sees as limited (from 0.1 mA short of the command).
        t = reg.target_ua()
        if i_ua * 100 < t * CONTACT_LOST_PCT and (t > PROBE_UA or reg.limited):
            self._lost_ms += self._ms
            if self._lost_ms >= CONTACT_LOST_MS:
                self.pauses += 1
                reg.cut()
                reg.set_goal(PROBE_UA)
                self._enter(PAUSED)
                return
        else:
            self._lost_ms = 0
        if self.state == RAMP_UP and self._lost_ms == 0 and reg.at_top():
            # The top of the ramp, with the current flowing: the set point
            # (the goal in RAMP_UP), the density guard's cap (SR-23: the
            # regulator holds the goal there), or the most the load lets
            # through: the regulator is compliance-limited (SR-14) while the
            # current still flows (not a lifted hand, whose electrodes also
            # sit at the rail: that is SR-10's pause). A limited session is a
            # treatment at that current: its time counts, it reverses at half
            # time (SR-11), it is journaled (issue 14 D1); the regulator ramps
            # on toward the set point when the load falls (SR-8).
            self._enter(TREAT)
        elif self.on_ms + self._ms + reg.ramp_down_ms() >= MAX_ON_MS:
            # SR-5: the ramp down (current on) ends by 45 min, even if it
            # starts one step late (the next step comes _ms from now).
            self.stop(END_CAP)
        elif self.charge_mas >= self.dose_cap_mas:
            self.stop(END_DOSE)
        elif self.on_ms >= self.duration_ms:
            self.stop(END_TIMER)
        elif (self.state == TREAT and self.polarity == POLARITY_MIDWAY
              and not self._reversal_done and self.on_ms >= self.duration_ms // 2):
            self._reversal_done = True
            reg.set_goal(0)
            self._enter(REVERSING)
            self._rev_phase = 0

    def _reversing(self, i_ua, ms):
        # SR-11: ramp to zero, confirm below 0.1 mA, output off >= 500 ms,
        # switch the relay, wait 50 ms, ramp up from zero.
        reg = self._reg
        if self._rev_phase == 0:
            self.on_ms += ms
            if reg.target_ua() == 0 and i_ua < OFF_LEAK_UA:
                self._rev_phase = 1  # output off from here (output_wanted)
                self.phase_ms = 0
            return
        if self._rev_phase == 1 and self.phase_ms >= _REVERSE_OFF_MS:
            self.reversed = not self.reversed
            self._relay(self.reversed)  # the hal refuses while the output is on
            self._rev_phase = 2
            self.reversals += 1
            self.phase_ms = 0
        elif self._rev_phase == 2 and self.phase_ms >= _RELAY_SETTLE_MS:
            reg.cut()
            reg.set_goal(self.set_ua)
            self._enter(RAMP_UP)

    def _end(self, reason):
        self.end_reason = reason
        self.unjournaled = True
        self._reg.cut()
        self._reg.set_goal(0)
        self._enter(DONE)

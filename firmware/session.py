# The treatment session: a state machine over integers. Every few ticks it
# gets the button event, the measured current, the supervisor's fault code
# and the microseconds since its last step (from the clock), moves the
# regulator's goal, and says whether it wants the output on. It never
# switches the output itself: the supervisor does (SR-2). Every timer adds
# the real time that passed, so a loop that runs late never stretches a
# session, a pause or the 45-minute cap (SR-5).
# It owns every gesture of the button, in every state: what needs more than
# the session (a start, a fault's acknowledgement, a profile's save) it
# returns to the app as a request (REQ_*).
from array import array

from micropython import const

from firmware import limits
from firmware.button import HOLD, LONG, SHORT, STUCK  # by name, as the states below
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
_PROFILES = const(6)  # len(profiles.DEFAULTS) (a test keeps them equal)
_PICK_MS = const(4000)  # the profile gesture: saved this long after the last press
_REV_NONE = const(3)  # _rev_phase before this session's midway reversal (0-2: its phases)

# What a step asks of the app (step's return).
REQ_NONE = const(0)
REQ_START = const(1)  # the start gesture's release at rest (SR-20): the pre-session checks
REQ_ACK = const(2)  # a 2 s hold in FAULT (SR-15): the supervisor resets its latch
REQ_PICK = const(8)  # + a profile's index (0-5): the profile gesture ended, save that one

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
    def __init__(self, regulator, relay, last_reversed=False):
        # last_reversed: the relay position the last journaled session started
        # with (startup reads it from the journal; SR-11 "alternate").
        self._reg = regulator
        self._relay = relay  # callable(reversed: bool): the hal's relay
        self.state = IDLE
        self.refusal = 0  # supervisor.REFUSE_NONE
        self.on_ms = 0  # current-on time: the timer (held while paused)
        self.reversed = False
        self.start_reversed = False  # the relay position this session started with
        self._last_reversed = last_reversed
        self._us = 0  # sub-millisecond remainder of the steps' time
        self._ms = 0  # whole milliseconds of this step (_elapse)
        self.phase_ms = 0  # time in the current state or phase; at rest, since the
        # profile gesture's last press
        # A condition's time in this state: contact at the probe (SR-9/10, the
        # waits), or contact lost (SR-10, treating); _enter zeroes it.
        self._held_ms = 0
        self._rev_phase = _REV_NONE  # reversal: 0 ramping to zero, 1 output off, 2 relay switched
        self.armed = False  # a hold that began at rest: its release starts (SR-20)
        self.showing = 0  # the profile gesture: the profile shown (1-6), 0 = none
        self.start = None  # ISO UTC time of the start gesture, None: clock unknown
        self.warning = 0  # SR-22 (firmware/schedule.py), for this session
        self.pauses = 0
        self.reversals = 0
        self.user_paused = False  # paused by a short press (not by contact loss)
        self.charge_mas = 0  # SR-21: charge delivered, mA*s
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

    def configure(self, set_ua, duration_ms, polarity, cap_ua=limits.MAX_SET_UA, profile=0):
        # cap_ua: the profile's cap (SR-7, profiles.CAP_UA), which the up button
        # never passes; profile: its index (profiles.py), journaled, and where
        # the profile gesture starts.
        if not 0 < set_ua <= limits.MAX_SET_UA:
            raise ValueError("set point outside 1-25000 uA (SR-5)")
        if not set_ua <= cap_ua <= limits.MAX_SET_UA:
            raise ValueError("profile cap outside set point-25000 uA (SR-5, SR-7)")
        if not 60000 <= duration_ms <= limits.MAX_ON_MS:
            raise ValueError("duration outside 1-45 min (SR-5)")
        if not 0 <= profile < _PROFILES:
            raise ValueError("profile outside 0-5")
        self.profile = profile
        self.planned_ua = set_ua  # each session starts here (begin)
        self.cap_ua = cap_ua
        self.set_ua = set_ua
        self.duration_ms = duration_ms
        self.polarity = polarity

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
        self._held_ms = 0

    def reversed_at_start(self):
        # The relay position the next session starts with, and keeps unless it
        # reverses midway (SR-11: set in CHECKS, output off). "alternate":
        # opposite to the last journaled session. A medicated tray B (4:
        # profiles.POLARITY_TRAY_B, a literal: that module is not loaded while
        # the app runs, M8) is + only with the relay reversed, in every
        # session whatever the last one did; tray A is + at rest.
        p = self.polarity
        return p == 4 or (p == POLARITY_ALTERNATE and not self._last_reversed)

    def begin(self, start, warning):
        # The start gesture (REQ_START): pre-session checks with the output off.
        # The relay takes this session's polarity now, never with current
        # (SR-11); the checks window covers its 50 ms settling. start, warning:
        # the start gesture's job's (firmware/start_gesture.py), journaled.
        self.refusal = 0  # supervisor.REFUSE_NONE
        self.armed = False  # (the start's own gesture: released)
        self.showing = 0  # (a profile shown was saved first: app.py)
        self.start = start
        self.warning = warning
        start_reversed = self.reversed_at_start()
        self.start_reversed = start_reversed
        if start_reversed != self.reversed:  # the relay is left as the last session ended
            self.reversed = start_reversed
            self._relay(start_reversed)
        self.on_ms = 0
        self._us = 0
        self._rev_phase = _REV_NONE
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
    def step(self, event, i_ua, i_avg_ua, fault, refusal, dt_us):
        # event: the button's (button.py); i_ua: the current (the peak when
        # pulsed), i_avg_ua: its average, which SR-21's charge counts;
        # refusal: the pre-session checks' verdict (only in CHECKS); dt_us:
        # the time since the last step, from the clock. Returns a request
        # (REQ_*). One call, the dispatch inline (a call costs more than its
        # body, issue 13). Six arguments: the state is read from self, not
        # kept in a local (the frame stays within 11 words).
        if fault:  # faults.NONE is 0
            if self.state == FAULT and event == HOLD:
                return REQ_ACK  # SR-15; the next step finds the latch reset
            self._faulted()
            return REQ_NONE
        if self.state == FAULT:
            self._enter(IDLE)  # the fault was acknowledged
            return REQ_NONE
        self._elapse(dt_us, i_avg_ua)  # and the charge (SR-21)
        if self.state == IDLE or self.state == DONE:
            return self._at_rest(event)
        # In a session a hold's release (LONG, STUCK) means nothing: the hold
        # itself (HOLD) stops it.
        if self.state == CHECKS:
            self._checks(refusal)
            return REQ_NONE
        dt_us = self.on_ms  # (reused, no new local: the on time before this step)
        if self.state == TREAT or self.state == RAMP_UP:  # the common case first
            self._treating(event, i_ua)
        elif self.state == PAUSED and self.user_paused:
            self._paused_by_user(event)
        elif self.state == WAIT_CONTACT or self.state == PAUSED:
            self._waiting(event, i_ua)
        elif self.state == REVERSING:
            if event == HOLD:
                self.stop(END_USER)  # on down the same ramp, or at once when off
            else:
                self._reversing(i_ua, self._ms)
        elif self.state == RAMP_DOWN:
            self.on_ms += self._ms
            if self._reg.target_ua() == 0:
                self._end(self.end_reason)
        if self._reg.limited:
            # SR-14: the current-on time of this step during which the rail
            # could not push the target through the load (the regulator's
            # flag of its last step): journaled as limited_s (issue 14 D1).
            self.limited_ms += self.on_ms - dt_us
        return REQ_NONE

    def _at_rest(self, event):
        # IDLE or DONE: the start gesture (SR-20: a 2 s hold, the session
        # starting at its release, never at a stuck button's) and the profile
        # gesture (the first short press shows the profile, each next one
        # within 4 s steps to the next; saved 4 s after the last).
        if event == HOLD:
            self.armed = True
        elif event == LONG or event == STUCK:
            event = event == LONG and self.armed  # (reused: no new local)
            self.armed = False
            if event:
                return REQ_START
        elif event == SHORT:
            self.showing = self.showing % _PROFILES + 1 if self.showing else self.profile + 1
            self.phase_ms = 0
        elif self.showing and self.phase_ms >= _PICK_MS:
            event = self.showing - 1  # (reused: the profile shown)
            self.showing = 0
            return REQ_PICK + event
        return REQ_NONE

    def _faulted(self):
        if self.state != FAULT:  # (nothing sets the two below while in FAULT)
            self.armed = False  # a fault cancels a start not yet released ...
            self.showing = 0  # ... and an unsaved pick
            if self.state in SESSION_STATES:
                self.end_reason = END_FAULT
                self.unjournaled = True
                self._last_reversed = self.start_reversed
            self._reg.cut()
            self._reg.set_goal(0)
            self._enter(FAULT)

    def _elapse(self, dt_us, i_avg_ua):
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
        if i_avg_ua > 0 and self.state in SESSION_STATES:
            us = self._charge_acc + i_avg_ua * ms
            while us >= 1000000:
                us -= 1000000
                self.charge_mas += 1
            self._charge_acc = us

    def _checks(self, refusal):
        if refusal:  # not supervisor.REFUSE_NONE
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
        self._held_ms = self._held_ms + self._ms if i_ua >= PROBE_UA // 2 else 0
        if self._held_ms >= _CONTACT_MS:
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
            self._held_ms += self._ms
            if self._held_ms >= CONTACT_LOST_MS:
                self.pauses += 1
                reg.cut()
                reg.set_goal(PROBE_UA)
                self._enter(PAUSED)
                return
        else:
            self._held_ms = 0
        if self.state == RAMP_UP and self._held_ms == 0 and reg.at_top():
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
        elif (self.charge_mas >= self.planned_ua * (self.duration_ms // 1000) // 1000
              * limits.DOSE_CAP_PCT // 100):
            self.stop(END_DOSE)  # SR-21: the planned dose (set point x duration) + 10 %
        elif self.on_ms >= self.duration_ms:
            self.stop(END_TIMER)
        elif (self.state == TREAT and self.polarity == POLARITY_MIDWAY
              and self._rev_phase == _REV_NONE and self.on_ms >= self.duration_ms // 2):
            reg.set_goal(0)
            self._enter(REVERSING)
            self._rev_phase = 0  # once a session: not _REV_NONE again until begin

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
        self._last_reversed = self.start_reversed  # journaled: the next "alternate" turns
        self._reg.cut()
        self._reg.set_goal(0)
        self._enter(DONE)

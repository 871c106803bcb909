# The LED and the buzzer: their patterns, one per state, and a blink code per
# fault (the fault's number of blinks, then a pause), as pure functions
# (state, fault and time in, level out); and Indicators, which drives both from
# the session and the supervisor on the loop's own millisecond clock.
from micropython import const

from firmware import faults, states

# (period, on) per state, in 50 ms steps, as bytes: what a person sees on the
# LED; then the patterns that are no state of their own (_LIMITED). (A tuple
# of tuples costs about 0.4 KB more heap: M8.)
_STEP_MS = const(50)
_LIMITED = const(11)  # PATTERNS' entry after the states' (11): treat, compliance-limited
PATTERNS = bytes((
    40, 1,  # idle: a short flash every 2 s
    20, 10,  # wait_contact: slow blink (put your hands in the water)
    4, 3,  # ramp_up: fast flicker, mostly on
    20, 20,  # treat: steady on
    10, 2,  # paused: quick blips (contact lost or paused)
    4, 2,  # reversing: fast even blink
    4, 3,  # ramp_down: as ramp_up
    60, 30,  # done: slow long blink
    0, 0,  # fault: the blink code below
    2, 1,  # safe_mode: very fast blink
    6, 6,  # checks: on (about 0.2 s after the start gesture)
    40, 38,  # treat while compliance-limited (SR-14): on, dark for 0.1 s every 2 s
))
_CODE_ON_MS = const(200)  # fault codes: slow blinks
_CODE_SLOT_MS = const(500)
_REFUSAL_ON_MS = const(60)  # refusal codes: quick blinks
_REFUSAL_SLOT_MS = const(200)
_CODE_PAUSE_MS = const(2000)


def _code(n, ms, slot, on):
    # Blink n times, then a pause: 3 blinks = code 3.
    t = ms % (n * slot + _CODE_PAUSE_MS)
    return t < n * slot and t % slot < on


def led_level(state, fault, ms, refusal=0, warning=0, limited=False):
    # limited: the regulator is compliance-limited (SR-14): in TREAT a pattern
    # of its own, steady on with a short dark blip, so the person sees that
    # the session runs below its set point (issue 14 D1).
    if state == states.FAULT or fault != faults.NONE:
        return _code(fault, ms, _CODE_SLOT_MS, _CODE_ON_MS)
    if refusal and (state == states.IDLE or state == states.DONE):
        # A start was refused (firmware/supervisor.py REFUSE_*): its code until
        # the next start gesture.
        return _code(refusal, ms, _REFUSAL_SLOT_MS, _REFUSAL_ON_MS)
    if warning and state == states.WAIT_CONTACT:
        # SR-22 (firmware/schedule.py): the warning's code in quick blinks
        # while the device waits for the hands; the session runs anyway.
        return _code(warning, ms, _REFUSAL_SLOT_MS, _REFUSAL_ON_MS)
    if limited and state == states.TREAT:
        state = _LIMITED
    # No local for the period: six arguments and the stack of a call to
    # _code fill the 11 words a frame may take on the C stack (app.py).
    return ms % (PATTERNS[2 * state] * _STEP_MS) < PATTERNS[2 * state + 1] * _STEP_MS


# The buzzer (where fitted) sounds once as a state begins: (beeps, length in
# 50 ms steps) per state, distinct for each; the LED keeps showing the state.
BEEPS = bytes((
    1, 1,  # idle: a tick (also at power-up)
    1, 4,  # wait_contact: one beep: put your hands in
    2, 1,  # ramp_up: two ticks
    1, 8,  # treat: one long beep, the top of the ramp (set point or compliance) is reached
    3, 1,  # paused: three ticks
    2, 4,  # reversing: two beeps
    2, 8,  # ramp_down: two long beeps
    3, 8,  # done: three long beeps
    0, 0,  # fault: the code, below
    5, 1,  # safe_mode: five ticks
    1, 2,  # checks: a short beep
))
_BEEP_GAP_MS = const(150)
_ALARM_TIMES = const(3)  # a fault's code sounds three times (the LED keeps it)


def buzzer_level(state, fault, ms, refusal=0):
    # ms: time since the state, the fault or the refusal changed (app.py).
    if fault != faults.NONE:
        return ms < _ALARM_TIMES * (fault * _CODE_SLOT_MS + _CODE_PAUSE_MS) and _code(
            fault, ms, _CODE_SLOT_MS, _CODE_ON_MS)
    if refusal and (state == states.IDLE or state == states.DONE):
        return ms < refusal * _REFUSAL_SLOT_MS and _code(refusal, ms, _REFUSAL_SLOT_MS,
                                                         _REFUSAL_ON_MS)
    on = BEEPS[2 * state + 1] * _STEP_MS
    slot = on + _BEEP_GAP_MS
    return ms < BEEPS[2 * state] * slot and ms % slot < on


def show_level(number, ms):
    # The profile gesture (session.py): the LED on, dark for a moment `number`
    # times, then on: the inverse of a code, so it is never read as one.
    return not _code(number, ms, _REFUSAL_SLOT_MS * 2, _REFUSAL_SLOT_MS)


# The app calls led and buzzer as slow jobs (every 32 ms). Each method keeps
# its locals and stack within the 11 words a call frame may take on the C
# stack (app.py): the session and supervisor are read through self, not kept
# in locals.
class Indicators:
    def __init__(self, hal, ses, sup, reg):
        self._hal = hal  # its led(on) and buzzer(on)
        self._ses = ses
        self._sup = sup
        self._reg = reg  # its limited flag: SR-14's pattern
        self.ms = 0  # the loop's clock: the sum of led's dt, in ms
        self._us = 0  # the sub-millisecond rest
        self._led_on = False
        self._sound_key = -1  # state, fault and refusal the buzzer last sounded for
        self._sound_ms = 0  # when that changed
        self._buzz_on = False

    def led(self, dt):
        # dt: the microseconds since the last call (the app's span of 32 ticks).
        self._us += dt
        self.ms += self._us // 1000
        self._us %= 1000
        if self._ses.armed:
            on = True  # held 2 s at rest: steady on says "release to start"
        elif self._ses.showing:
            on = show_level(self._ses.showing, self._ses.phase_ms)  # the profile gesture
        else:
            on = led_level(self._ses.state, self._sup.fault, self.ms, self._ses.refusal,
                           self._ses.warning, self._reg.limited)
        if on != self._led_on:
            self._led_on = on
            self._hal.led(on)

    def buzzer(self):
        # Once as a state, a fault or a refusal begins (buzzer_level).
        ses = self._ses
        key = ses.state | self._sup.fault << 4 | ses.refusal << 8
        if key != self._sound_key:
            self._sound_key = key
            self._sound_ms = self.ms
        key = buzzer_level(ses.state, self._sup.fault, self.ms - self._sound_ms,
                           ses.refusal)  # (reused: on or off)
        if key != self._buzz_on:
            self._buzz_on = key
            self._hal.buzzer(key)

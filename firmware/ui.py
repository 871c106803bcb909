# LED patterns: one per state, and a blink code per fault (the fault's number
# of blinks, then a pause). Pure logic: state, fault and time in, LED level out.
from micropython import const

from firmware import faults, states

# (period, on) per state, in 50 ms steps, as bytes: what a person sees on the
# LED. (A tuple of tuples costs about 0.4 KB more heap: M8.)
_STEP_MS = const(50)
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


def led_level(state, fault, ms, refusal=0):
    if state == states.FAULT or fault != faults.NONE:
        return _code(fault, ms, _CODE_SLOT_MS, _CODE_ON_MS)
    if refusal and (state == states.IDLE or state == states.DONE):
        # A start was refused (firmware/session.py REFUSE_*): its code until
        # the next start gesture.
        return _code(refusal, ms, _REFUSAL_SLOT_MS, _REFUSAL_ON_MS)
    period = PATTERNS[2 * state] * _STEP_MS
    return ms % period < PATTERNS[2 * state + 1] * _STEP_MS

# LED patterns: one per state, and a blink code per fault (the fault's number
# of blinks, then a pause). Pure logic: state, fault and time in, LED level out.
from micropython import const

from firmware import faults, states

# (period ms, on ms) per state: what a person sees on the LED.
PATTERNS = (
    (2000, 50),  # idle: a short flash every 2 s
    (1000, 500),  # wait_contact: slow blink (put your hands in the water)
    (200, 150),  # ramp_up: fast flicker, mostly on
    (1000, 1000),  # treat: steady on
    (500, 100),  # paused: quick blips (contact lost or paused)
    (250, 125),  # reversing: fast even blink
    (200, 150),  # ramp_down: as ramp_up
    (3000, 1500),  # done: slow long blink
    (0, 0),  # fault: the blink code below
    (100, 50),  # safe_mode: very fast blink
    (300, 300),  # checks: on (about 0.2 s after the start gesture)
)
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
    period, on = PATTERNS[state]
    return ms % period < on

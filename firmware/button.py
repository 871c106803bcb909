# One button, debounced, turned into gestures. Pure logic: the raw level and
# the elapsed microseconds come in, one event code goes out per update.
from micropython import const

from firmware import limits

NONE = const(0)
SHORT = const(1)  # pressed 50 ms - 1 s, then released
HOLD = const(2)  # held 2 s (fires once, while still held): stop / acknowledge
STUCK = const(3)  # held 20 s: a stuck button; never starts anything
LONG = const(4)  # released after a hold of 2-20 s: start (a stuck button never releases)

_DEBOUNCE_US = const(20000)  # level must be stable this long to count
_SHORT_MIN_US = const(50000)
_SHORT_MAX_US = const(1000000)
_STUCK_US = const(20000000)
_ARM_US = const(500000)  # seen released this long before any gesture counts (SR-20)


class Button:
    def __init__(self):
        self.down = False  # debounced level
        self._raw = False
        self._raw_us = 0  # how long the raw level has been stable
        self._held_us = 0  # how long the debounced level has been down
        self._armed = False
        self._fired = False  # HOLD or STUCK already sent for this press
        # Released, debounced and armed: update(False, dt) would change
        # nothing and return NONE, so a caller may skip it (app.py's up and
        # down buttons, read every 16 ms and almost never pressed).
        self.settled = False

    def update(self, raw_down, dt_us):
        if raw_down != self._raw:
            self._raw = raw_down
            self._raw_us = 0
            self.settled = False
        elif self._raw_us < _DEBOUNCE_US:
            self._raw_us += dt_us
        if self._raw_us >= _DEBOUNCE_US and raw_down != self.down:
            self.down = raw_down
            held = self._held_us
            fired = self._fired
            self._held_us = 0
            self._fired = False
            short = _SHORT_MIN_US <= held <= _SHORT_MAX_US
            if not raw_down and self._armed:
                if not fired and short:
                    return SHORT
                if fired:
                    return LONG  # HOLD fired and STUCK did not (that disarms)
            return NONE
        if self.down:
            self._held_us += dt_us
            if self._armed and not self._fired:
                if self._held_us >= limits.START_HOLD_MS * 1000:
                    self._fired = True
                    return HOLD
        elif not self.settled and self._raw_us >= _DEBOUNCE_US:  # released, debounced
            if not self._armed:
                self._held_us += dt_us  # released time, while not armed
                if self._held_us >= _ARM_US:
                    self._armed = True
                    self._held_us = 0
            else:
                self.settled = True
        if self.down and self._held_us >= _STUCK_US and self._armed:
            self._armed = False  # must be seen released again before it counts
            return STUCK
        return NONE

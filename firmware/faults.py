# Fault codes: one per cause. The LED blinks the code's number (firmware/ui.py);
# the README's troubleshooting table lists each, and a test keeps them in step.
from micropython import const

NONE = const(0)
OVERCURRENT = const(1)  # SR-5: measured above 30 mA on 2 consecutive ticks
SURGE = const(2)  # SR-6: third surge in one session
SENSOR = const(3)  # SR-12: a reading pinned, frozen or above the rail
LEAK = const(4)  # SR-12: current with the output off
SHORT = const(5)  # SR-13: load below 250 Ohm at 2 mA or more
TRIP = const(6)  # SR-15: hardware trip latch asserted
RESET = const(7)  # SR-4: an unplanned restart (watchdog), or a session cut by one or a power cut
FROZEN = const(8)  # SR-12: a reading that does not move with the output on (a frozen ADC)
# A low battery is not a latch (SR-16: a controlled ramp-down and end; the next
# start is refused, supervisor.REFUSE_BATTERY). A stalled loop is the watchdog's
# (SR-3), an exception main.py's finally's (SR-1); after the watchdog's reset,
# startup.py latches RESET (SR-4), journaled, until acknowledged.

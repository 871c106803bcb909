# Session states, as the status snapshot and the LED show them.
from micropython import const

IDLE = const(0)  # output off, waiting for the start gesture
WAIT_CONTACT = const(1)  # probe current only, until a hand is in the water (SR-9)
RAMP_UP = const(2)  # current rising along the ramp (SR-8)
TREAT = const(3)  # holding the set point, timer running
PAUSED = const(4)  # contact lost or paused by the user: probe level, timer held
REVERSING = const(5)  # polarity reversal through zero (SR-11)
RAMP_DOWN = const(6)  # current falling to zero (SR-8)
DONE = const(7)  # session over, output off
FAULT = const(8)  # fault latched, output off until acknowledged
SAFE_MODE = const(9)  # button held at power-up: no app, REPL only (SR-20)
CHECKS = const(10)  # pre-session checks with the output off (SR-9, SR-16, SR-17, SR-19)

# A session under way (a fault in one ends it, journaled): the only states in
# which the supervisor lets the output on (SR-2). The session says which of
# them want it on (session.py).
SESSION_STATES = (WAIT_CONTACT, RAMP_UP, TREAT, PAUSED, REVERSING, RAMP_DOWN)

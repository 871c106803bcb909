# Hard limits, compiled in: no config file or console call can raise them (SR-5).
# Each number cites its source in shared/design/safety.md; "project default"
# means chosen conservatively by this project, not taken from a publication.
from micropython import const

MAX_SET_UA = const(25000)  # SR-5: set point at most 25 mA
OVERCURRENT_UA = const(30000)  # SR-5: above 30 mA ...
OVERCURRENT_TICKS = const(2)  # ... on 2 consecutive ticks latches a fault
MAX_ON_MS = const(2700000)  # SR-5: session current-on time at most 45 minutes
RAMP_UP_MIN_UA_S = const(100)  # SR-8: allowed ramp-up rates 0.1-1.0 mA/s
RAMP_UP_MAX_UA_S = const(1000)
RAMP_UP_DEFAULT_UA_S = const(500)  # SR-8: default up 0.5 mA/s
RAMP_DOWN_UA_S = const(1000)  # SR-8: default down 1.0 mA/s
PROBE_UA = const(200)  # SR-9: contact probe current at most 0.2 mA
OFF_LEAK_UA = const(100)  # SR-9/SR-12: current above 0.1 mA with the output off
OFF_SETTLE_MS = const(20)  # project default: the sense RC settles after a cut
CONTACT_LOST_PCT = const(20)  # SR-10: below 20 % of the commanded current ...
CONTACT_LOST_MS = const(50)  # ... for 50 ms pauses the session
CONTACT_GIVE_UP_MS = const(300000)  # SR-10: 5 minutes without contact ends it
START_HOLD_MS = const(2000)  # SR-20: start needs the button held 2 s

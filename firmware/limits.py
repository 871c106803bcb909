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
LEAK_TICKS = const(5)  # project default: 5 readings in a row, not one noisy one
CONTACT_LOST_PCT = const(20)  # SR-10: below 20 % of the commanded current ...
CONTACT_LOST_MS = const(50)  # ... for 50 ms pauses the session
CONTACT_GIVE_UP_MS = const(300000)  # SR-10: 5 minutes without contact ends it
START_HOLD_MS = const(2000)  # SR-20: start needs the button held 2 s
DOSE_CAP_PCT = const(110)  # SR-21: dose cap = planned dose + 10 % (project default)
SURGE_MIN_UA = const(1000)  # SR-6: above set point + max(1 mA, 10 %) ...
SURGE_PCT = const(10)
SURGE_MS = const(20)  # ... for 20 ms cuts to zero and re-ramps
SURGE_MAX = const(3)  # SR-6: the third surge in one session latches a fault
SHORT_OHM = const(250)  # SR-13: load below 250 Ohm ...
SHORT_MIN_UA = const(2000)  # ... at 2 mA or more
RAIL_OVER_PCT = const(105)  # SR-12: electrode voltage above the rail by more than 5 %
# SR-12 frozen readings, with the output on. A live channel never returns the
# same code for long: the boards' ADCs have 0.5-3 LSB of noise (measures.md:
# 2 LSB), so the chance of 400 identical readings in a row is below 0.7**400.
FROZEN_MS = const(400)  # the current or voltage code identical this long: frozen
# (SR-12: detected within 500 ms in every output state; the cut is in the same tick)
# At one of the RP2040's widened codes (512 + k x 1024, platform.md; each about
# 10 LSB wide: RP2040-E11, measured on five chips in kitanokitsune's
# rp2040adc_correction) a live reading with little noise may rest for long.
# There, after FROZEN_PROBE_MS, the supervisor has the regulator probe: its
# target goes down along SR-8's down ramp, by up to PROBE_MAX_UA, until the code
# moves (a live current reading leaves within 10 LSB = 81 uA), then back up.
# A frozen reading does not move and is latched at FROZEN_MS, as anywhere else.
FROZEN_PROBE_MS = const(100)  # (project default: 300 uA by FROZEN_MS at 1 mA/s)
PROBE_MAX_UA = const(300)  # 37 LSB of current; of electrode voltage 10 LSB at 0.54 kOhm
FROZEN_SLOW_MS = const(10000)  # the rail or battery code identical this long, output on
FROZEN_MIN_CODE = const(16)  # codes at the floor are the honest zero of a lifted hand
DEAD_I_MIN_TARGET_UA = const(1000)  # SR-12: with at least 1 mA commanded, a current
DEAD_I_MV = const(2000)  # reading under 0.1 mA while the electrodes show 2 V or more
DEAD_I_RAIL_PCT = const(90)  # but not the open-circuit rail is a dead current sensor
DEAD_I_TICKS = const(2)  # (a lift is not this: the sink saturates, electrodes near the rail)
PINNED_TICKS = const(2)  # SR-12: a reading pinned at full scale this many ticks
BATTERY_LOW_MS = const(1000)  # SR-16: below the board's battery_min_mv this long
BATTERY_START_PCT = const(110)  # SR-16: start refused below min + 10 % (project default)
RAIL_START_MIN_PCT = const(80)  # start refused when the rail reads under 80 % of the
# board's rail (the boost is not running: every session would be compliance-limited)
RAIL_START_MAX_MV = const(63000)  # ... or above 60 V + 5 % (hardware.md: never above 60 V;
# SR-12's 5 % reading tolerance). Both project defaults. Above it with the
# output on, the rail reading is a sensor fault (SR-12: a pinned channel).

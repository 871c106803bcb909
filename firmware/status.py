# The status snapshot: one preallocated array of integers, written by the
# control loop every tick (no allocation), read by the console, the LED and
# the host tools (simulator, monitor). Indexes are the names below.
from array import array

from micropython import const

STATE = const(0)  # session state code (firmware/states.py)
TARGET_UA = const(1)  # ramped set point the regulator is holding now
SET_UA = const(2)  # the profile's set point (where the ramp is heading)
I_UA = const(3)  # measured current
V_MV = const(4)  # measured electrode voltage
LOAD_OHM = const(5)  # V / I when I >= 100 uA, else 0
REACHED_PCT = const(6)  # measured / target, percent (SR-14)
FAULT = const(7)  # latched fault code, 0 = none (firmware/faults.py)
ELAPSED_S = const(8)  # current-on time of the session, seconds
TICKS = const(9)  # completed ticks since start
OVERRUNS = const(10)  # ticks that started late (loop overrun counter)
DUTY = const(11)  # set-PWM duty_u16 written this tick
ENABLED = const(12)  # 1 when the output switch is on
RAIL_MV = const(13)
BATTERY_MV = const(14)
I_AVG_UA = const(15)  # measured average; I_UA is the peak estimate in pulsed DC
CHARGE_MAS = const(16)  # SR-21: charge delivered in this session, mA*s
REFUSAL = const(17)  # the last refused start's code (firmware/session.py REFUSE_*), 0 = none
SIZE = const(18)


status = array("i", [0] * SIZE)

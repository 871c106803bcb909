# The status snapshot: one preallocated array of integers, written by the
# control loop every tick (no allocation), read by the console, the LED and
# the host tools (simulator, monitor). Its fields are firmware/names.py STATUS,
# in order; app.py writes them by index (its _S_* constants, which a test
# keeps equal to that order). No named constants here: each would cost heap
# as a module global (M8).
from array import array

SIZE = 18

status = array("i", [0] * SIZE)

# The firmware's own CPU time per control tick, on the virtual clock (issue 13).
# Without it, virtual time moves only on sleeps and hardware calls (1-2 us
# each), so a tick is nearly free and a loop that cannot keep its 1 ms period
# on the chip (1.4-2.8 ms per tick on a real RP2040) keeps it here. SimBoard's
# tick_cost picks one of:
#   None       nothing charged (the simulator as it always was)
#   an int     that many us per tick, every tick
#   a name     a cost model of MODELS: a per-state cost measured on the chip
# The fake machine charges it once per tick, at the tick's read of the current
# channel (tools/sim/fakemachine.py ADC; the firmware reads it once a tick).
from array import array

from tools.sim.prng import Prng

# Measured on an emulated RP2040 (MicroPython v1.28.0, rp2 port, RPI_PICO,
# 125 MHz, cycle-counted; flash without wait states, so a real Pico is slower),
# the firmware at commit e72854b, App.tick with the real hal: (mean, max) us.
_IDLE = (1389, 1455)  # measured, idle
_RAMP = (1781, 1848)  # measured, ramp_up (state 2)
_TREAT = (1767, 1839)  # measured, treat (state 3)
_PAUSED = (1583, 1647)  # measured, paused (state 4)

# By state code (firmware/states.py; its name from firmware/names.py STATES, a
# test keeps them equal). States not measured take the figure of the
# measured state they resemble, an assumption:
#   at rest, output off (done, fault, checks, safe mode): the idle figure;
#   output on and moving (wait_contact, reversing, ramp_down): the ramp figure.
E72854B = (
    ("idle", _IDLE),
    ("wait_contact", _RAMP),  # assumed
    ("ramp_up", _RAMP),
    ("treat", _TREAT),
    ("paused", _PAUSED),
    ("reversing", _RAMP),  # assumed
    ("ramp_down", _RAMP),  # assumed
    ("done", _IDLE),  # assumed
    ("fault", _IDLE),  # assumed
    ("safe_mode", _IDLE),  # assumed (no app runs there: no ticks to charge)
    ("checks", _IDLE),  # assumed
)

MODELS = {"e72854b": E72854B}

# Where the cost models' draws come from: a stream of their own, so a run
# with a model draws the same circuit noise as a run without one.
_SEED_OFFSET = 3000


def check(spec):
    # The spec itself when valid, else ValueError naming what is accepted.
    if spec is None or (type(spec) is int and spec >= 0):
        return spec
    if type(spec) is str and spec in MODELS:
        return spec
    raise ValueError("tick cost: us per tick (an integer >= 0) or a cost model ("
                     + ", ".join(sorted(MODELS)) + "), not " + repr(spec))


class Fixed:
    def __init__(self, us):
        self.us = us

    def cost(self):
        return self.us


class Model:
    # Each tick costs its state's figure: uniform in [2 * mean - max, max],
    # drawn from a seeded PRNG (the same sequence in CPython and MicroPython).
    # So the mean is the measured mean and no tick costs more than the
    # measured max; the minimum was not measured (taken symmetric).
    def __init__(self, table, seed, state):
        self._state = state  # callable: the firmware's state code, or None
        n = len(table)
        self._lo = array("i", [0] * n)
        self._span = array("i", [0] * n)
        for k in range(n):
            mean, top = table[k][1]
            self._lo[k] = 2 * mean - top
            self._span[k] = 2 * (top - mean) + 1
        self._rng = Prng(seed + _SEED_OFFSET)

    def cost(self):
        k = self._state()
        if k is None or not 0 <= k < len(self._lo):
            k = 0  # before the app's first status: its startup, at rest
        return self._lo[k] + self._rng.next() % self._span[k]


def make(spec, seed, state):
    # The per-tick charge: None, or a callable returning us (the fake
    # machine's Hardware.tick_cost). state() gives the firmware's state code.
    check(spec)
    if spec is None:
        return None
    if type(spec) is int:
        return Fixed(spec).cost
    return Model(MODELS[spec], seed, state).cost

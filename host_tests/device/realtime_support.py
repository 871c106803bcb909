# Helpers of the real-time tests (test_realtime*.py, issue 13): a simulated
# board whose firmware ticks cost CPU time (SimBoard tick_cost,
# tools/sim/tickcost.py), as on the RP2040, where a tick took 1.4-2.8 ms
# against its 1 ms period. Plain code: CPython and the unix port.
import json
import sys
from array import array

from support import journal, near  # noqa: F401  (the tests import them from here)

from tools.sim.simboard import SimBoard

COST_US = 2000  # a fixed tick cost: twice the 1 ms period, inside what the chip took
# One tick at COST_US: the charge plus the fake hardware's calls (1-2 us each,
# about 15 us a tick), with room to spare.
TICK_US = COST_US + 100
# The person presses here, long after the button is armed (seen released for
# 0.5 s, SR-20) whatever the tick rate.
PRESS_AT_S = 2.0

# firmware/names.py STATUS and firmware/states.py, by index and code
STATE = 0
ELAPSED_S = 8
TICKS = 9
OVERRUNS = 10
IDLE = 0
WAIT_CONTACT = 1
RAMP_UP = 2
TREAT = 3
RAMP_DOWN = 6
DONE = 7
CHECKS = 10


def board(name, seed, tick_cost=COST_US, config=None):
    # A fresh flash (a new SimBoard wipes it), the config when given. One
    # folder per interpreter too: pytest and the unix port may run the same
    # test at once, and a board wipes its folder as it starts.
    flash = "build/sim_flash/test_rt_" + name + "_" + sys.implementation.name
    b = SimBoard("pico", seed=seed, tick_cost=tick_cost, flash_dir=flash)
    if config is not None:
        b.write_file("config.json", json.dumps(config))
    return b




class States:
    # The firmware's state changes as [(t_us, state, elapsed_s)], seen at each
    # tick's current read: the tick-cost hook of the fake machine (called once
    # a tick), wrapped, so each change is timed to the tick that follows it.
    # A sampling observer would need a sample a tick to be as exact.
    def __init__(self, b):
        self.changes = []
        changes = self.changes
        charge = b.hw.tick_cost
        status = b.status
        clock = b.clock
        last = [-1]

        def hook():
            st = status()
            if st is not None and st[STATE] != last[0]:
                last[0] = st[STATE]
                changes.append((clock.us, st[STATE], st[ELAPSED_S]))
            return charge() if charge is not None else 0

        b.hw.tick_cost = hook

    def first(self, state):
        # (t_us, elapsed_s) of the first change to state, or None.
        for t, s, e in self.changes:
            if s == state:
                return t, e
        return None

    def states(self):
        return [s for _, s, _ in self.changes]


class TrueCurrent:
    # The circuit model's true current (not the firmware's reading), sampled
    # every period_s of virtual time through the clock's observer slot.
    def __init__(self, b, period_s):
        self.t_us = array("i")
        self.i_ua = array("i")
        c = b.circuit
        clock = b.clock

        def sample():
            c.update(clock.us / 1e6)
            self.t_us.append(clock.us)
            self.i_ua.append(int(c.i_ua))

        clock.sample_us = int(period_s * 1000000)
        clock.next_sample = clock.us
        clock.observer = sample

    def reached_s(self, level_ua):
        # When the current first reached level_ua (linear between samples), s.
        t, i = self.t_us, self.i_ua
        for k in range(1, len(i)):
            if i[k] >= level_ua > i[k - 1]:
                return (t[k - 1] + (t[k] - t[k - 1]) * (level_ua - i[k - 1])
                        / (i[k] - i[k - 1])) / 1e6
        return None

# A seeded integer PRNG (xorshift32) that gives the same sequence in CPython
# and MicroPython, and a table of gaussian samples drawn from it once, so the
# model's noise costs one table lookup per reading.
import math
from array import array

_MASK = 0xFFFFFFFF


class Prng:
    def __init__(self, seed):
        self.s = (seed * 2654435761 + 1) & _MASK or 1

    def next(self):
        s = self.s
        s ^= (s << 13) & _MASK
        s ^= s >> 17
        s ^= (s << 5) & _MASK
        self.s = s
        return s

    def uniform(self):
        # In (0, 1]: never 0, so log() below is safe.
        return (self.next() + 1) / 4294967296.0

    def gauss(self):
        # Box-Muller, one sample per call.
        return math.sqrt(-2.0 * math.log(self.uniform())) * math.cos(6.283185307179586
                                                                    * self.uniform())

    def table(self, n):
        # Gaussian samples in thousandths of a sigma, as 16-bit integers: 2 bytes
        # each (a list of floats would not fit a device-sized heap).
        t = array("h", range(n))  # no temporary list
        for k in range(n):
            g = int(self.gauss() * 1000)
            t[k] = 32767 if g > 32767 else (-32767 if g < -32767 else g)
        return t

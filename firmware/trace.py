# The session trace: one sample per second of mean current and mean electrode
# voltage (load = V / I on the host), and the state changes, in preallocated
# RAM while current flows (SR-18: no flash writes then), written to the flash
# after the output is off. Memory plan (M8, a 40 KB heap budget): 2 bytes a
# sample, 1350 samples (2.7 KB) hold 22.5 minutes at 1 Hz (the hands,
# underarms and child profiles' 20 minutes); a longer session halves the
# samples in place and carries on at 2 s, so 45 minutes fit. No allocation
# per tick. Written to the flash by journal.save_trace (loaded only then).
from micropython import const

SAMPLES = const(1350)
EVENTS = const(32)  # state changes: a session with ten pauses needs about 30
I_STEP_UA = const(100)  # current in 0.1 mA steps: 0-25.5 mA (above reads 25.5)
V_STEP_MV = const(250)  # electrode voltage in 0.25 V steps: 0-63.75 V


class Trace:
    def __init__(self):
        self.buf = bytearray(2 * SAMPLES)  # (current, voltage) per sample
        self.events = bytearray(3 * EVENTS)  # (second low, second high, state)
        self.start()

    def start(self):
        self.n = 0
        self.n_events = 0
        self.every_s = 1  # seconds per sample (doubles when the buffer fills)
        self.t_s = 0  # whole seconds since the session began
        self._us = 0
        self._i_sum = 0
        self._v_sum = 0
        self._count = 0
        self._in_sample = 0  # seconds into the current sample
        self._state = -1

    def add(self, i_ua, v_mv, state, dt_us):
        # Every few ticks of a session (app.py, every 32 ms), with the time
        # since the last call from the clock. Sums stay small ints: 8 s x
        # 1000 calls x 60000 mV is below 2**30. Split in three so that no
        # frame passes 11 words (no heap frame, app.py).
        if state != self._state:
            self._event(state)
        self._i_sum += i_ua if i_ua > 0 else 0
        self._v_sum += v_mv if v_mv > 0 else 0
        self._count += 1
        self._us += dt_us
        if self._us >= 1000000:
            self._second()

    def _event(self, state):
        self._state = state
        k = self.n_events
        if k < EVENTS:
            e = self.events
            e[3 * k] = self.t_s & 255
            e[3 * k + 1] = self.t_s >> 8
            e[3 * k + 2] = state
            self.n_events = k + 1

    def _second(self):
        self._us -= 1000000
        self.t_s += 1
        self._in_sample += 1
        if self._in_sample < self.every_s:
            return
        c = self._count
        i = self._i_sum // c // I_STEP_UA
        v = self._v_sum // c // V_STEP_MV
        self._i_sum = 0
        self._v_sum = 0
        self._count = 0
        self._in_sample = 0
        if self.n == SAMPLES:
            self._halve()
        b = self.buf
        k = 2 * self.n
        b[k] = i if i < 255 else 255
        b[k + 1] = v if v < 255 else 255
        self.n += 1

    def _halve(self):
        # Full: pairs of samples become their means; the period doubles.
        b = self.buf
        for k in range(SAMPLES // 2):
            b[2 * k] = (b[4 * k] + b[4 * k + 2]) // 2
            b[2 * k + 1] = (b[4 * k + 1] + b[4 * k + 3]) // 2
        self.n = SAMPLES // 2
        self.every_s *= 2

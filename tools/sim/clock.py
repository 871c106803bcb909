# Virtual time for the simulated board, and the fake `time` module on it.
# The clock advances on sleeps and on every hardware call, so a session of
# 45 minutes runs in seconds and any interleaving is reproducible.
TICKS_PERIOD = 1 << 30  # MicroPython's ticks_* wrap here (platform.md)
_TICKS_MAX = TICKS_PERIOD - 1
_TICKS_HALF = TICKS_PERIOD // 2
# ticks_us starts 3 s before the wrap, so wrap bugs show in every run.
TICKS_US_START = TICKS_PERIOD - 3000000


class SimStop(BaseException):
    # The run reached its end time (not an Exception: the firmware cannot catch it).
    pass


class BoardReset(BaseException):
    # The simulated board resets (watchdog, machine.reset()): unwinds the firmware.
    def __init__(self, cause):
        super().__init__(cause)
        self.cause = cause


class Clock:
    def __init__(self):
        self.us = 0  # virtual microseconds since the simulation began
        self.end_us = None
        self.wdt_deadline = None  # set by the fake WDT
        self.wdt_cause = 0
        self.events = []  # [(t_us, fn)], sorted; fn(clock) runs once at t_us
        self.observer = None
        self.sample_us = 0
        self.next_sample = 0
        self.hang = False  # scenario S11: the next sleep never returns
        self.hang_us = None  # when an injected hang began (tools/sim/faults.py)
        self.epoch_s = 0  # seconds since 2000-01-01 at us == 0

    def at(self, t_us, fn):
        ev = self.events
        k = len(ev)
        while k > 0 and ev[k - 1][0] > t_us:
            k -= 1
        ev.insert(k, (t_us, fn))

    def advance(self, dt):
        us = self.us + dt
        self.us = us
        if self.wdt_deadline is not None and us >= self.wdt_deadline:
            self.wdt_deadline = None
            raise BoardReset(self.wdt_cause)
        ev = self.events
        while ev and ev[0][0] <= us:
            ev.pop(0)[1](self)
        if self.observer is not None and us >= self.next_sample:
            self.next_sample += self.sample_us
            self.observer()
        if self.end_us is not None and us >= self.end_us:
            raise SimStop()


_MDAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def seconds(y, mo, d, hh, mm, ss):
    # Seconds since 2000-01-01 (MicroPython's epoch) of a UTC date and time:
    # the inverse of FakeTime.gmtime.
    days = d - 1
    for yy in range(2000, y):
        days += 366 if leap(yy) else 365
    for m in range(1, mo):
        days += _MDAYS[m - 1] + (1 if m == 2 and leap(y) else 0)
    return days * 86400 + hh * 3600 + mm * 60 + ss


class FakeTime:
    # Installed as sys.modules["time"] for the device code.
    def __init__(self, clock):
        self._c = clock

    def ticks_us(self):
        c = self._c
        c.advance(1)
        return (TICKS_US_START + c.us) & _TICKS_MAX

    def ticks_ms(self):
        c = self._c
        c.advance(1)
        return (TICKS_US_START // 1000 + c.us // 1000) & _TICKS_MAX

    def ticks_cpu(self):
        return self.ticks_us()

    def ticks_diff(self, a, b):
        return ((a - b + _TICKS_HALF) & _TICKS_MAX) - _TICKS_HALF

    def ticks_add(self, a, b):
        return (a + b) & _TICKS_MAX

    def sleep_us(self, n):
        c = self._c
        while c.hang:  # S11: the loop hangs here; only the watchdog ends it
            c.advance(1000)
        c.advance(n if n > 0 else 0)

    def sleep_ms(self, n):
        self.sleep_us(n * 1000)

    def sleep(self, s):
        self.sleep_us(int(s * 1000000))

    def time(self):
        return self._c.epoch_s + self._c.us // 1000000

    def time_ns(self):
        return (self._c.epoch_s * 1000000 + self._c.us) * 1000

    def localtime(self, secs=None):
        return self.gmtime(secs)

    def gmtime(self, secs=None):
        # MicroPython's epoch is 2000-01-01 (days_in_month arithmetic, no tz).
        if secs is None:
            secs = self.time()
        days, rem = divmod(int(secs), 86400)
        hh, rem = divmod(rem, 3600)
        mm, ss = divmod(rem, 60)
        weekday = (days + 5) % 7  # 2000-01-01 was a Saturday (Monday = 0)
        y = 2000
        while True:
            n = 366 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 365
            if days < n:
                break
            days -= n
            y += 1
        yday = days + 1
        mdays = (31, 29 if n == 366 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
        m = 0
        while days >= mdays[m]:
            days -= mdays[m]
            m += 1
        return (y, m + 1, days + 1, hh, mm, ss, weekday, yday)

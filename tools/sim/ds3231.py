# A DS3231 real-time clock module on the simulated board's I2C bus (the
# firmware's firmware/ds3231.py; fakemachine.I2C reaches it): its timekeeping
# registers (00h-06h, BCD, 24-hour mode unless set to 12) and its status
# register's OSF bit (0Fh bit 7), as the Maxim/Analog Devices datasheet
# (19-5170 rev 10, Figure 1) describes them. Its oscillator runs on its own
# coin cell from the simulation's clock: it keeps the time whatever the
# board's clock does. A new module (or one whose cell ran out) has OSF set.
from tools.sim.clock import FakeTime, seconds


def _bcd(v):
    return (v // 10) << 4 | v % 10


def _dec(b):
    return (b >> 4) * 10 + (b & 15)


class DS3231:
    ADDR = 0x68

    def __init__(self, clock):
        self.clock = clock
        self.present = True  # False: unplugged (no acknowledge)
        self.osf = True
        self.h12 = False  # 12-hour mode (set by something else)
        self.base_s = 0  # its time at the simulation's start, s since 2000-01-01
        self.writes = 0  # writes of the time registers

    def set(self, y, mo, d, hh, mm, ss):
        # A module set earlier (by ionto, elsewhere): its time now, OSF clear.
        self.base_s = seconds(y, mo, d, hh, mm, ss) - self.clock.us // 1000000
        self.osf = False

    def now(self):
        return FakeTime(self.clock).gmtime(self.base_s + self.clock.us // 1000000)

    def read(self, reg, n):
        y, mo, d, hh, mm, ss, wd = self.now()[:7]
        hours = _bcd(hh)
        if self.h12:
            hours = 0x40 | (0x20 if hh >= 12 else 0) | _bcd(hh % 12 or 12)
        regs = bytearray(0x13)
        regs[0:7] = bytes((_bcd(ss), _bcd(mm), hours, wd + 1, _bcd(d), _bcd(mo), _bcd(y - 2000)))
        regs[0x0F] = 0x80 if self.osf else 0
        return bytes(regs[reg:reg + n])

    def write(self, reg, buf):
        if reg == 0 and len(buf) >= 7:
            b = bytes(buf)
            if b[2] & 0x40:
                raise AssertionError("the firmware writes 24-hour mode")
            self.base_s = seconds(2000 + _dec(b[6]), _dec(b[5] & 0x1F), _dec(b[4]),
                                  _dec(b[2] & 0x3F), _dec(b[1]), _dec(b[0])) \
                - self.clock.us // 1000000
            self.h12 = False
            self.writes += 1
        elif reg == 0x0F and len(buf) == 1:
            self.osf = bool(buf[0] & 0x80)
        else:
            raise AssertionError("a write the firmware does not make: %d %r" % (reg, buf))

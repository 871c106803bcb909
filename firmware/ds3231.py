# The optional DS3231 real-time clock module (issue 17): it keeps UTC on its
# own coin cell through power cuts and resets, which neither board's clock
# does (docs/using.md, the clock). At boot its time sets the board's clock
# (main.py, clock.clock_from_module); the console's clock_set writes it.
# Pure: the I2C bus is passed in (anything with readfrom_mem and writeto_mem).
# Registers: Maxim/Analog Devices DS3231 datasheet (19-5170 rev 10), Figure 1
# "Timekeeping Registers": 00h-06h seconds, minutes, hours, day (1-7), date,
# month (bit 7: century), year (00-99), all BCD; 0Fh status, bit 7 OSF.
# Loaded at boot and by the console only, then released (M8).
from micropython import const

_ADDR = const(0x68)  # the datasheet's slave address, 1101000
_STATUS = const(0x0F)
_OSF = const(0x80)  # oscillator stop flag: the oscillator stopped (a new module,
# or its cell ran out): the time is not valid until written again
_H12 = const(0x40)  # hours register: 12-hour mode (bit 5 then PM)


def _bcd(b):
    return (b >> 4) * 10 + (b & 15)


def read(i2c):
    # The module's time (year, month, day, hours, minutes, seconds), or None
    # when the module says it lost it (OSF). Raises OSError when the module
    # does not answer, and ValueError for a time no clock shows (a module set
    # wrong, or a bad bus). Its weekday register is not read: the caller
    # computes the weekday from the date (clock.set_clock).
    if i2c.readfrom_mem(_ADDR, _STATUS, 1)[0] & _OSF:
        return None
    r = i2c.readfrom_mem(_ADDR, 0, 7)
    h = r[2]
    if h & _H12:  # set by something else in 12-hour mode: 12 AM is 0, 12 PM is 12
        hour = _bcd(h & 0x1F) % 12 + (12 if h & 0x20 else 0)
    else:
        hour = _bcd(h & 0x3F)
    t = (2000 + _bcd(r[6]), _bcd(r[5] & 0x1F), _bcd(r[4] & 0x3F), hour, _bcd(r[1] & 0x7F),
         _bcd(r[0] & 0x7F))
    if not (1 <= t[1] <= 12 and 1 <= t[2] <= 31 and t[3] <= 23 and t[4] <= 59 and t[5] <= 59):
        raise ValueError("the DS3231 reads an impossible time")
    return t


def write(i2c, t):
    # t: machine.RTC's 8-tuple, checked by the caller (console.clock_set).
    # 24-hour mode, the weekday 1-7 (Monday 1), the century bit 0 (2000-2099);
    # then the status with OSF cleared: the time is valid from now.
    b = bytearray(7)
    for k, v in enumerate((t[6], t[5], t[4], t[3] + 1, t[2], t[1], t[0] - 2000)):
        b[k] = (v // 10) << 4 | v % 10
    i2c.writeto_mem(_ADDR, 0, b)
    s = i2c.readfrom_mem(_ADDR, _STATUS, 1)[0]
    i2c.writeto_mem(_ADDR, _STATUS, bytes((s & ~_OSF & 0xFF,)))

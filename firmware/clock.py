# The board's clock, in UTC: set from the host (the console's clock_set) and,
# on a board with the optional DS3231 module (board "rtc"), kept in the module
# through power cuts and read from it at boot (main.py). Run as a job
# (firmware.job): dropped after, with firmware/ds3231.py (M8). `machine` is
# passed in: firmware/hal.py stays the only module that imports it.


def _board_clock(machine, t):
    # The board's own clock from t = (year, month, day, hours, minutes,
    # seconds) UTC; returns machine.RTC's tuple (weekday 0 = Monday,
    # subseconds last).
    month, day = t[1], t[2]
    y = t[0] - 1 if month < 3 else t[0]  # Sakamoto's weekday, 0 = Sunday
    wd = (y + y // 4 - y // 100 + y // 400 + (0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4)[month - 1]
          + day) % 7
    t = (t[0], month, day, (wd + 6) % 7, t[3], t[4], t[5], 0)
    machine.RTC().datetime(t)
    return t


def set_clock(machine, board, t):
    # t: (year, month, day, hours, minutes, seconds) UTC, validated by the
    # caller (the console). The board's clock, and the DS3231 module where
    # the board has one (board "rtc"), which keeps it through power cuts.
    t = _board_clock(machine, t)
    if board["rtc"] is not None:
        from firmware import ds3231

        ds3231.write(_rtc_bus(machine, board["rtc"]), t)


def _rtc_bus(machine, rtc):
    # The DS3231's I2C bus, rtc = (bus, SDA GPIO, SCL GPIO): 100 kHz, the
    # module's standard mode (its datasheet).
    return machine.I2C(rtc[0], sda=machine.Pin(rtc[1]), scl=machine.Pin(rtc[2]), freq=100000)


def clock_from_module(machine, board):
    # At boot (main.py), on a board with the DS3231 module: the board's clock
    # from it. When it cannot, one line says why and the clock stays unknown
    # (the journal's start empty, no SR-22 warning): never a reason to stop.
    from firmware import ds3231

    try:
        t = ds3231.read(_rtc_bus(machine, board["rtc"]))
    except (OSError, ValueError) as e:
        print("clock: DS3231 not read (", e, "): the clock is unknown until ionto sets it")
        return
    if t is None:
        print("clock: the DS3231 lost the time (a new module, or its coin cell ran out):"
              " the clock is unknown until ionto sets it")
        return
    _board_clock(machine, t)

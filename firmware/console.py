# The device console: the REPL API for people and for the host tools.
#   >>> from firmware import console as c
#   >>> c.status()
# Imported on demand at the REPL, never at boot or by the loop (M8). Every
# call checks every argument against the hard limits before anything else
# (SR-19): a bad one raises ValueError with a clear message and nothing
# changes. Every call returns plain JSON values (dict, list, int, str, bool,
# None): a host tool prints json.dumps(...) of it. No call here switches the
# output on: bench() runs current through the app's own loop, where the
# supervisor alone switches it on (SR-2; firmware/bench.py). docs/console.md.
import time

import firmware
from firmware import limits, store

FLAG = "console.once"  # main.py: the next boot is the console, once (after a bench run)
# bench(): at least 2 s at the set point (the mean skips the first second, to
# settle), at most 2 min (time to read a multimeter; bounds the resistor's heating).
BENCH_S = (2, 120)
YEARS = (2024, 2099)  # clock_set: a plausible date, not the RP2040's reset value
_MDAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_CONFIG = ("set_ua", "duration_ms", "pulse_hz", "polarity", "ramp_up_ua_s")
_TRAYS = ("A", "B")  # profile(tray=): the medicated tray, polarity 3 or 4 (profiles.py)

_hal = None  # made on first use (outputs low, SR-1), again after cal_save
_board = None


def _int(name, v, lo, hi):
    if type(v) is not int or not lo <= v <= hi:  # bool is not int here
        raise ValueError(name + " must be an integer " + str(lo) + ".." + str(hi))
    return v


def _bool(name, v):
    if v is not True and v is not False:
        raise ValueError(name + " must be True or False")
    return v


def _hardware():
    # The board and a hal on it, with the stored calibration (nominal when
    # there is none). Every call leaves the output off.
    global _hal, _board
    hal = _hal
    board = _board
    if hal is None or board is None:
        import machine  # an entry point, as main.py: the hal is given it

        from firmware.boards import load

        board = _board = load()
        cal, _ = store.load_calibration()
        hal = _hal = firmware.job("hal", "Hal", machine, board,
                                  cal if cal is not None else store.nominal_calibration())
    hal.output_off()
    return hal, board


def _config(settings, warning):
    # "tray": the medicated tray ("A" or "B", the + one) or None, and its
    # reminder in words (profiles.reminder), as the start says it. A job
    # (firmware.job): profiles goes after.
    from firmware import profiles

    out = {"profile": settings[0], "name": profiles.DEFAULTS[settings[0]][0]}
    for k in range(len(_CONFIG)):
        out[_CONFIG[k]] = settings[k + 1]
    tray = settings[4] - profiles.POLARITY_TRAY_A
    out["tray"] = _TRAYS[tray] if tray >= 0 else None
    out["reminder"] = profiles.reminder(settings[4])
    out["warning"] = warning
    return out


def status():
    # Output state, readings (uA, mV, with the calibration in use), inputs,
    # calibration validity, the treatment settings, the clock (UTC), the version.
    from firmware.version import VERSION

    hal, board = _hardware()
    cal, why = store.load_calibration()
    settings, warning = store.load_config()
    i_ua = hal.sense()
    adjust = hal.adjust_pressed()  # the optional up and down buttons
    return {"version": VERSION, "board": board["name"], "output_on": hal.output_is_on,
            "i_ua": i_ua, "v_mv": hal.v_mv,
            "rail_mv": hal.read_rail_mv(), "battery_mv": hal.read_battery_mv(),
            "usb": hal.usb_present(), "trip": hal.trip_asserted(), "button": hal.button_pressed(),
            "up": adjust & 1 != 0, "down": adjust & 2 != 0,
            "calibrated": cal is not None, "calibration": "ok" if why is None else why,
            "config": firmware.job("console", "_config", settings, warning),
            "clock": list(time.gmtime()[:6])}


def profile(index=None, set_ua=None, duration_ms=None, pulse_hz=None, polarity=None,
            ramp_up_ua_s=None, tray=None):
    # No argument: the stored settings. Otherwise changes them: a new profile
    # index starts from that profile's defaults, the same (or no) index keeps
    # the stored values; then the given ones replace theirs. All of it is
    # checked (SR-5, SR-7, SR-8, SR-19) before the file is written (atomic).
    # tray: "A" or "B", the medicated tray, in words: polarity 3 or 4.
    if tray is not None:
        if polarity is not None or type(tray) is not str or tray not in _TRAYS:
            raise ValueError('tray must be "A" or "B" (the medicated tray, +), '
                             'given without polarity')
        from firmware.profiles import POLARITY_TRAY_A

        polarity = POLARITY_TRAY_A + _TRAYS.index(tray)  # or POLARITY_TRAY_B
    settings, warning = store.load_config()
    given = (set_ua, duration_ms, pulse_hz, polarity, ramp_up_ua_s)
    if index is None and given == (None,) * len(_CONFIG):
        return firmware.job("console", "_config", settings, warning)
    cfg = {}
    if index is None or (type(index) is int and index == settings[0]):
        cfg["profile"] = settings[0]
        for k in range(len(_CONFIG)):
            cfg[_CONFIG[k]] = settings[k + 1]
    else:
        cfg["profile"] = index
    for k in range(len(_CONFIG)):
        v = given[k]
        if v is not None:
            cfg[_CONFIG[k]] = v
    store.save_config(cfg)  # raises ValueError, writing nothing, unless all is valid
    return firmware.job("console", "_config", store.check_config(cfg), None)


def cal_zero(n=64):
    # Calibration step 1, output off: the mean ADC code of the current and
    # voltage channels with no current, less the board's bias: the "offset"
    # of each channel for cal_save(). "ok" is False when an offset is out of
    # store's range or current reads with the output off (a leak, SR-9).
    _int("n", n, 1, 1000)
    hal, board = _hardware()
    time.sleep_ms(limits.OFF_SETTLE_MS * 5)  # the sense RC after the output went off
    si = sv = 0
    for _ in range(n):
        hal.sense()
        si += hal.code_i
        sv += hal.code_v
        time.sleep_ms(1)
    # The bias codes: the offsets of a nominal calibration (0) plus the board's bias.
    bias_i, bias_v = firmware.job("hal_setup", "scales", board, store.nominal_calibration(),
                                  12, 65535)[4:6]
    off_i = (2 * si + n) // (2 * n) - bias_i
    off_v = (2 * sv + n) // (2 * n) - bias_v
    i_ua = hal.sense()
    m = store.OFFSET_MAX
    return {"n": n, "current": {"offset": off_i, "code_sum": si},
            "voltage": {"offset": off_v, "code_sum": sv}, "i_ua": i_ua,
            "ok": -m <= off_i <= m and -m <= off_v <= m and i_ua <= limits.OFF_LEAK_UA}


def cal_point(set_ua, seconds=20):
    # Calibration step 2: a bench run (below) at set_ua into the bench resistor
    # with a multimeter in series; the host compares the meter with "i_ua"
    # (and "v_mv" across the resistor) and computes the gains for cal_save().
    return bench(set_ua, seconds)


def calibration():
    # The stored calibration (None when there is none or it is invalid, with
    # the reason) and the one the readings use (nominal when none is stored).
    # The host's calibration arithmetic starts from the one in use.
    cal, why = store.load_calibration()
    return {"stored": cal, "why": why,
            "in_use": cal if cal is not None else store.nominal_calibration()}


def cal_clear():
    # Removes calibration.json: treatment is refused until a calibration is
    # stored again (SR-19). For a host tool that restores "no calibration"
    # after a failed check. The readings use the nominal one from the next call.
    global _hal
    import os

    try:
        os.remove(store.CAL_FILE)
    except OSError:
        pass  # there was none
    _hal = None
    return calibration()


def cal_save(cal):
    # Calibration step 3: store a calibration (store.check_calibration: every
    # channel's offset and gain within its range), atomically. Only the known
    # fields are written. The readings use it from the next call on.
    global _hal
    store.check_calibration(cal)
    clean = {}
    clean["version"] = store.CAL_VERSION
    for ch in store.CAL_CHANNELS:
        clean[ch] = {"offset": cal[ch]["offset"], "gain_ppm": cal[ch]["gain_ppm"]}
    store.save_calibration(clean)
    _hal = None
    return clean


def journal(n=10, bench=False):
    # The newest n session records, oldest first (bench=True: bench runs).
    _int("n", n, 1, 200)
    _bool("bench", bench)
    return firmware.job("console", "_journal", bench)[-n:]


def _journal(bench):
    from firmware import journal as j

    return j.read(j.BENCH_PREFIX if bench else "")


def trace(i=0, bench=False):
    # Session trace i (0 = the newest, firmware/journal.py save_trace) as
    # lists: current (uA) and voltage (mV) per sample, and the state changes
    # [second, state]. None when there is no such trace.
    return firmware.job("console", "_trace", i, bench)


def _trace(i, bench):
    from firmware import journal as j

    _int("i", i, 0, j.TRACE_KEEP - 1)
    _bool("bench", bench)
    path = j.trace_name(i, j.BENCH_PREFIX if bench else "")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        data = None
    try:
        if data is None:
            return None
        sid, every, i_ua, v_mv, events = j.decode_trace(data)  # the one decoder
    except ValueError as e:
        raise ValueError(path + ": " + str(e)) from None
    from firmware import names

    return {"id": sid, "every_s": every, "i_ua": i_ua, "v_mv": v_mv,
            "events": [[t, names.STATES[st]] for t, st in events]}


def _days(year, month):
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _MDAYS[month - 1] + (1 if month == 2 and leap else 0)


def clock_set(year, month, day, hour, minute, second):
    # The real-time clock, in UTC: the journal's start and SR-22's schedule
    # warnings read it with time.gmtime() (firmware/start_gesture.py). Every ionto
    # command that connects sets it from the host (tools/ionto/board_clock.py).
    _int("year", year, YEARS[0], YEARS[1])
    _int("month", month, 1, 12)
    _int("day", day, 1, _days(year, month))
    _int("hour", hour, 0, 23)
    _int("minute", minute, 0, 59)
    _int("second", second, 0, 59)
    hal, board = _hardware()
    # The board's clock, and the DS3231 module where the board has one.
    firmware.job("clock", "set_clock", hal.machine, board,
                 (year, month, day, hour, minute, second))
    return list(time.gmtime()[:6])


def bench(set_ua, seconds):
    # Bench mode (firmware/bench.py): set_ua into a bench resistor for
    # `seconds` at the set point, along the ramps, under the supervisor. The
    # watchdog it starts cannot be stopped (SR-3): the board resets within a
    # second after it returns, and the flag file brings that boot back to the
    # console (main.py) instead of the app.
    _int("set_ua", set_ua, 1, limits.MAX_SET_UA)  # SR-5
    _int("seconds", seconds, BENCH_S[0], BENCH_S[1])
    import gc

    # The app's code needs large pieces of heap (its tick's bytecode, the
    # trace's buffer): collect the garbage of earlier calls before loading it.
    gc.collect()
    from firmware import bench as b

    hal, board = _hardware()
    cal, _ = store.load_calibration()
    with open(FLAG, "w") as f:  # output off: no write while current flows (SR-18)
        f.write("bench\n")
    try:
        return b.run(hal, board, cal is not None, set_ua, seconds)
    finally:
        hal.output_off()


# ---- bring-up (docs/bringup.md, tools/ionto/bringup.py): the first power-on,
# before calibration. The output stays off in every one of these calls: each
# starts from _hardware(), which switches it off, and none switches it on.
BRINGUP_FILE = "bringup.json"
BRINGUP_VERSION = 1
BRINGUP_MAX = 4000  # bytes of JSON: a report of a dozen steps is about 1.5 kB
WAIT_S = (1, 60)  # the waits for the person: the button, the trip test button


def _wait(hal, seconds, ready):
    # ms until ready(hal) held, or -1 after `seconds`; the output off throughout.
    t0 = time.ticks_ms()
    while True:
        if ready(hal):
            return time.ticks_diff(time.ticks_ms(), t0)
        if time.ticks_diff(time.ticks_ms(), t0) >= seconds * 1000:
            return -1
        time.sleep_ms(10)


def relay(reverse):
    # The polarity relay's coil (True: reversed), with the output off (SR-11:
    # the relay never switches with the output on; hal.relay refuses then).
    _bool("reverse", reverse)
    hal = _hardware()[0]
    hal.relay(reverse)
    return {"relay": reverse, "output_on": hal.output_is_on}


def led(on):
    # The status LED, for the person to see.
    _bool("on", on)
    hal = _hardware()[0]
    hal.led(on)
    return {"led": on}


def button_wait(seconds=20):
    # Waits up to `seconds` for the button to go down, then up to `seconds`
    # for its release: pressed (bool) and held_ms (-1: not released).
    _int("seconds", seconds, WAIT_S[0], WAIT_S[1])
    hal = _hardware()[0]
    if _wait(hal, seconds, lambda h: h.button_pressed()) < 0:
        return {"pressed": False, "held_ms": 0}
    return {"pressed": True, "held_ms": _wait(hal, seconds, lambda h: not h.button_pressed())}


def trip_wait(seconds=30):
    # Waits up to `seconds` for the hardware trip input (the person makes the
    # comparator fire: docs/bringup.md); the output off throughout.
    _int("seconds", seconds, WAIT_S[0], WAIT_S[1])
    hal = _hardware()[0]
    ms = _wait(hal, seconds, lambda h: h.trip_asserted())
    return {"trip": ms >= 0, "after_ms": ms}


def trip_reset(seconds=30):
    # SR-15: the trip latch is reset only with the output off (hal refuses
    # otherwise) and after the person acknowledges with a long press: waits up
    # to `seconds` for the button held 2 s (button.py's HOLD), then pulses
    # trip_reset, and waits for the release. No long press: no pulse. The
    # latch is set-dominant: it stays tripped while its comparator still fires
    # (docs/circuit.md).
    _int("seconds", seconds, WAIT_S[0], WAIT_S[1])
    hal = _hardware()[0]
    before = hal.trip_asserted()
    held = False
    t0 = time.ticks_ms()
    while not held and time.ticks_diff(time.ticks_ms(), t0) < seconds * 1000:
        down = _wait(hal, 1, lambda h: h.button_pressed()) >= 0
        t1 = time.ticks_ms()
        while down and hal.button_pressed():
            if time.ticks_diff(time.ticks_ms(), t1) >= limits.START_HOLD_MS:
                held = True
                break
            time.sleep_ms(10)
    if held:
        hal.pulse_trip_reset()
        _wait(hal, seconds, lambda h: not h.button_pressed())  # the press ends
    return {"held": held, "trip_before": before, "trip": hal.trip_asserted(),
            "output_on": hal.output_is_on}


def _check_bringup(rep):
    if not isinstance(rep, dict) or type(rep.get("version")) is not int \
            or rep["version"] != BRINGUP_VERSION:
        raise ValueError("bring-up report: not a version 1 report")
    if rep.get("passed") is not True and rep.get("passed") is not False:
        raise ValueError("bring-up report: passed must be True or False")
    if not isinstance(rep.get("board"), str) or not isinstance(rep.get("steps"), list):
        raise ValueError("bring-up report: board (text) and steps (a list) needed")
    for s in rep["steps"]:
        if not isinstance(s, dict) or s.get("ok") not in (True, False) \
                or not isinstance(s.get("step"), str):
            raise ValueError("bring-up report: each step needs step (text) and ok")
    if rep["passed"] and not all(s["ok"] for s in rep["steps"]):
        raise ValueError("bring-up report: passed with a failed step")
    import json

    text = json.dumps(rep)
    if len(text) > BRINGUP_MAX:
        raise ValueError("bring-up report: over " + str(BRINGUP_MAX) + " bytes")
    return text


def bringup():
    # The stored bring-up report (None when there is none or it is invalid,
    # with the reason). ionto calibrate needs a passed one.
    try:
        rep = store.read_json(BRINGUP_FILE, "bring-up report")
        _check_bringup(rep)
        return {"report": rep, "why": None}
    except OSError:
        return {"report": None, "why": "no bring-up report"}
    except ValueError as e:
        return {"report": None, "why": str(e)}


def bringup_save(rep):
    # Stores the bring-up report, checked first, atomically (a temporary file
    # renamed over the old one, SR-19), with the output off (SR-18).
    text = _check_bringup(rep)
    _hardware()
    store.write_atomic(BRINGUP_FILE, text)
    return bringup()

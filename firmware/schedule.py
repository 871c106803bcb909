# SR-22: schedule warnings, when the clock is known (set by the host tools).
# More than one session in 24 h, or more than five in 7 days, is a warning,
# never a refusal (Dermadry's schedule rule, shared/design/safety.md). Loaded
# at the start gesture with the output off (firmware/start_gesture.py), then
# released (M8).
from micropython import const

from firmware import journal

KNOWN_YEAR = const(2025)  # an unset RTC reads 2000 or 2021: before this, unknown
NONE = const(0)
DAY = const(1)  # a session already in the last 24 h
WEEK = const(2)  # five sessions already in the last 7 days
_DAY_S = const(86400)
_WEEK_MAX = const(5)
_COUNTS_S = const(60)  # a session that delivered a minute of current counts


def seconds(t):
    # (year, month, day, hour, minute, second, ...) -> seconds since
    # 2000-01-01, whatever the port's epoch (1970 or 2000). Days from the
    # civil date: Howard Hinnant's days_from_civil, shifted to 2000.
    y, m, d = t[0], t[1], t[2]
    if m <= 2:
        y -= 1
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 730425
    return days * _DAY_S + t[3] * 3600 + t[4] * 60 + t[5]


def iso(t):
    # The journal's "start": UTC, to the second.
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (t[0], t[1], t[2], t[3], t[4], t[5])


def parse(text):
    # An ISO "start" back to seconds since 2000; None when it is not one.
    if type(text) is not str or len(text) != 20 or text[10] != "T" or text[19] != "Z":
        return None
    try:
        t = (int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]),
             int(text[14:16]), int(text[17:19]))
    except ValueError:
        return None
    if not (1 <= t[1] <= 12 and 1 <= t[2] <= 31 and t[3] < 24 and t[4] < 60 and t[5] < 60):
        return None
    return seconds(t)


def check(now, folder=""):
    # now: time.gmtime() of the start gesture. Returns (start, warning):
    # start is the ISO time or None when the clock is unknown (no warning then).
    if now[0] < KNOWN_YEAR:
        return None, NONE
    t_now = seconds(now)
    day = week = 0
    for name in (journal.OLD, journal.FILE):
        for rec in journal.records(folder + name):
            t = parse(rec.get("start"))
            on_s = rec.get("on_s")
            if t is None or type(on_s) is not int or on_s < _COUNTS_S:
                continue
            age = t_now - t
            if 0 <= age < _DAY_S:
                day += 1
            if 0 <= age < 7 * _DAY_S:
                week += 1
    if day >= 1:
        return iso(now), DAY
    if week >= _WEEK_MAX:
        return iso(now), WEEK
    return iso(now), NONE

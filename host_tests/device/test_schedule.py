# SR-22: schedule warnings when the clock is known (firmware/schedule.py):
# more than one session in 24 h or more than five in 7 days is a warning,
# shown and journaled, never a refusal. Pure parts, then the whole firmware
# on the simulated board with its clock set.
# device-tests: one interpreter per test (a simulated board each)
import json
import os

from firmware import schedule
from tools.sim.simboard import SimBoard

_T = (2026, 11, 29, 10, 0, 0, 6, 333)  # a known clock: Sunday 29 Nov 2026, 10:00 UTC


def _folder(name):
    d = "build/test_schedule"
    for p in ("build", d, d + "/" + name):
        try:
            os.mkdir(p)
        except OSError:
            pass
    for f in ("journal.jsonl", "journal.1.jsonl"):
        try:
            os.remove(d + "/" + name + "/" + f)
        except OSError:
            pass
    return d + "/" + name + "/"


def _journal(folder, hours_ago, on_s=1200, torn=False):
    now = schedule.seconds(_T)
    with open(folder + "journal.jsonl", "w") as f:
        for h in hours_ago:
            t = now - h * 3600
            days, rem = t // 86400, t % 86400
            # back to a date: step days from 2000-01-01 (the test's own way)
            y, m, d = 2000, 1, 1
            while days > 0:
                d += 1
                if d > _month_days(y, m):
                    d, m = 1, m + 1
                    if m > 12:
                        m, y = 1, y + 1
                days -= 1
            start = schedule.iso((y, m, d, rem // 3600, rem // 60 % 60, rem % 60))
            f.write(json.dumps({"v": 1, "start": start, "on_s": on_s}) + "\n")
        if torn:
            f.write('{"v": 1, "start": "2026-11-29T09:00:00Z", "on')


def _month_days(y, m):
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def test_seconds_count_days_across_months_and_leap_years():
    assert schedule.seconds((2000, 1, 1, 0, 0, 0)) == 0
    assert schedule.seconds((2000, 3, 1, 0, 0, 0)) == 60 * 86400  # 2000 was a leap year
    assert schedule.seconds((2001, 1, 1, 0, 0, 1)) == 366 * 86400 + 1
    assert schedule.seconds((2100, 3, 1, 0, 0, 0)) - schedule.seconds((2100, 2, 28, 0, 0, 0)) \
        == 86400  # 2100 is not
    for y, m in ((2026, 1), (2026, 2), (2028, 2), (2026, 12)):
        last = _month_days(y, m)
        nxt = (y + 1, 1) if m == 12 else (y, m + 1)
        assert schedule.seconds(nxt + (1, 0, 0, 0)) - schedule.seconds((y, m, last, 0, 0, 0)) \
            == 86400


def test_iso_and_parse_round_trip_and_reject_what_is_not_a_start():
    text = schedule.iso(_T)
    assert text == "2026-11-29T10:00:00Z"
    assert schedule.parse(text) == schedule.seconds(_T)
    for bad in (None, 5, "", "2026-11-29 10:00:00Z", "2026-13-29T10:00:00Z",
                "2026-11-29T10:00:00", "2026-11-29T25:00:00Z", "abcd-11-29T10:00:00Z"):
        assert schedule.parse(bad) is None, bad


def test_no_warning_and_no_start_time_while_the_clock_is_unknown():
    folder = _folder("unknown")
    _journal(folder, [1, 2, 3])
    assert schedule.check((2021, 1, 1, 0, 5, 0, 4, 1), folder) == (None, 0)  # rp2 unset RTC
    assert schedule.check((2000, 1, 1, 0, 5, 0, 5, 1), folder) == (None, 0)  # esp32


def test_a_session_in_the_last_24_hours_warns_day():
    # SR-22: more than one session in 24 h is warned.
    folder = _folder("day")
    _journal(folder, [23], torn=True)
    assert schedule.check(_T, folder) == ("2026-11-29T10:00:00Z", schedule.DAY)
    _journal(folder, [25])
    assert schedule.check(_T, folder) == ("2026-11-29T10:00:00Z", schedule.NONE)


def test_five_sessions_in_seven_days_warn_week_and_four_do_not():
    # SR-22: more than five sessions in 7 days is warned.
    folder = _folder("week")
    _journal(folder, [30, 54, 78, 102, 126])
    assert schedule.check(_T, folder)[1] == schedule.WEEK
    _journal(folder, [30, 54, 78, 102, 24 * 7 + 1])  # the fifth is older than 7 days
    assert schedule.check(_T, folder)[1] == schedule.NONE


def test_a_session_without_a_minute_of_current_does_not_count():
    folder = _folder("short")
    _journal(folder, [2], on_s=30)
    assert schedule.check(_T, folder)[1] == schedule.NONE


def test_the_warned_session_runs_and_its_record_says_so():
    # SR-22: warn, never block.
    # A session 3 hours ago; the clock is set: the new one starts anyway,
    # blinks the warning while waiting for the hands, and journals it.
    b = SimBoard("pico", seed=91, flash_dir="build/sim_flash/schedule_day")  # a clean flash
    _journal(b.flash + "/", [3])
    b.clock.epoch_s = schedule.seconds(_T)  # the sim's time: MicroPython's 2000 epoch
    b.circuit.lift()  # hands out at first: the warning shows meanwhile
    blinks = {"n": 0, "last": 0}
    pin = b.board["pin_led"]

    def look(b):
        level = b.hw.level[pin]
        if level and not blinks["last"]:
            blinks["n"] += 1
        blinks["last"] = level
        if b.clock.us < 9000000:
            b.at(b.clock.us / 1e6 + 0.01, look)

    b.press_button(3.0, 2.5)
    b.at(6.5, look)  # 2.5 s of wait_contact: the code 1, quick, once per 2.2 s
    b.at(9.0, lambda b: b.circuit.reimmerse())
    treating = b.snapshot_at(60.0)
    b.press_button(70.0, 2.5)  # stop
    b.run(100)
    assert not b.crashes, b.crashes
    assert treating["state"] in (2, 3), treating  # never blocked
    assert blinks["n"] == 2, blinks
    recs = [json.loads(x) for x in b.read_file("journal.jsonl").splitlines()]
    assert len(recs) == 2
    rec = recs[-1]
    # the start gesture is the release of the hold: 3.0 + 2.5 s (+ debounce)
    assert rec["schedule"] == "day" and rec["start"] == "2026-11-29T10:00:05Z", rec
    assert rec["end"] == "user", rec

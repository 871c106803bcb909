"""Every console call against generated input (hypothesis, 1000 cases each).

SR-19: out-of-range or wrongly typed input raises ValueError, changes no file
and never lets current flow; accepted input is checked against the hard
limits by this test's own rules, not the firmware's. The console runs on
the simulated board's fake machine and flash (CPython only: hypothesis).
"""

import datetime
import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from host_tests.device.support import fresh_board

CASES = settings(max_examples=1000, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
CHANNELS = ("current", "voltage", "rail", "battery", "set")
CAP_UA = (25000, 25000, 5000, 10000, 25000, 25000)  # SR-7, SR-5 (safety.md), by profile

junk = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.text(max_size=4),
                 st.binary(max_size=3), st.lists(st.integers(), max_size=2),
                 st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
                 st.tuples(st.integers()))


def bad_int(lo, hi):
    return st.one_of(junk, st.integers(max_value=lo - 1), st.integers(min_value=hi + 1))


def int_or_junk(lo, hi):
    # In range, just outside, far outside, or not an integer at all.
    return st.one_of(st.integers(lo, hi), st.integers(lo - 3, hi + 3), st.integers(), junk)


def is_int(v):
    return type(v) is int


class Console:
    """The console module on a simulated board, called from its flash dir."""

    def __init__(self, board):
        self.b = board

    def __call__(self, name, *args, **kw):
        cwd = os.getcwd()
        os.chdir(self.b.flash)
        try:
            from firmware import console

            return getattr(console, name)(*args, **kw)
        finally:
            os.chdir(cwd)

    def files(self):
        out = {}
        for n in os.listdir(self.b.flash):
            with open(self.b.flash + "/" + n, "rb") as f:
                out[n] = f.read()
        return out

    def no_current(self):
        c = self.b.circuit
        assert c.max_i_ua == 0 and c.gate == 0 and c.set_frac == 0
        assert self.b.hw.wdt_timeout_ms is None  # nothing that could switch on ran

    def refused(self, name, *args, **kw):
        before = self.files()
        with pytest.raises(ValueError) as e:
            self(name, *args, **kw)
        assert str(e.value)
        assert self.files() == before
        self.no_current()
        return str(e.value)


@pytest.fixture(scope="module")
def con():
    b = fresh_board("console_fuzz", 64, calibrated=True)
    b._install()  # the fake machine and time for the whole module
    b._purge()
    # Each console call that loads a module is a job (firmware.job), which collects the
    # garbage after it: in CPython the youngest generation only (host_tests/conftest.py).
    try:
        yield Console(b)
    finally:
        b._uninstall()


@CASES
@given(st.one_of(st.tuples(bad_int(1, 25000), int_or_junk(2, 120)),
                 st.tuples(st.integers(1, 25000), bad_int(2, 120))))
def test_bench_refuses_every_bad_argument(con, args):
    con.refused("bench", *args)
    assert not os.path.exists(con.b.flash + "/console.once")


@CASES
@given(bad_int(1, 25000), int_or_junk(2, 120))
def test_cal_point_refuses_every_bad_set_point(con, set_ua, seconds):
    con.refused("cal_point", set_ua, seconds)


@CASES
@given(bad_int(1, 1000))
def test_cal_zero_refuses_every_bad_count(con, n):
    con.refused("cal_zero", n)


def bad_count_or_flag(lo, hi):
    # (count, bench flag) with one of them wrong: journal(n, bench), trace(i, bench).
    not_bool = junk.filter(lambda v: v is not True and v is not False)
    return st.one_of(st.tuples(bad_int(lo, hi), st.booleans()),
                     st.tuples(st.integers(lo, hi), not_bool))


@CASES
@given(bad_count_or_flag(1, 200))
def test_journal_refuses_every_bad_argument(con, args):
    con.refused("journal", *args)


@CASES
@given(bad_count_or_flag(0, 3))
def test_trace_refuses_every_bad_argument(con, args):
    con.refused("trace", *args)


def _valid_date(args):
    if not all(is_int(v) for v in args) or not 2024 <= args[0] <= 2099:
        return None
    try:
        return datetime.datetime(*args)
    except (ValueError, OverflowError):
        return None


@CASES
@given(st.one_of(  # two thirds are dates, one third at the month's end (31 April, 29 Feb)
    st.tuples(st.integers(2024, 2099), st.integers(1, 12), st.integers(1, 31),
              st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)),
    st.tuples(st.integers(2024, 2099), st.integers(1, 12), st.integers(28, 31),
              st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)),
    st.tuples(int_or_junk(2024, 2099), int_or_junk(1, 12), int_or_junk(1, 31),
              int_or_junk(0, 23), int_or_junk(0, 59), int_or_junk(0, 59))))
def test_clock_set_takes_real_dates_only(con, args):
    when = _valid_date(args)
    before = con.b.hw.rtc_set
    event("valid" if when else "invalid")
    if when is None:
        con.refused("clock_set", *args)
        assert con.b.hw.rtc_set == before
        return
    assert con("clock_set", *args) == list(args)
    assert con.b.hw.rtc_set == args[:3] + (when.weekday(),) + args[3:] + (0,)
    con.no_current()


def _within_hard_limits(cfg):
    # SR-5, SR-7, SR-8 as safety.md states them (not through the firmware).
    i = cfg["profile"]
    assert all(is_int(cfg[k]) for k in ("profile", "set_ua", "duration_ms", "pulse_hz",
                                         "polarity", "ramp_up_ua_s"))
    assert 0 <= i <= 5 and 0 < cfg["set_ua"] <= CAP_UA[i] <= 25000
    assert 10 * 60000 <= cfg["duration_ms"] <= 45 * 60000
    assert cfg["pulse_hz"] == 0 or 1000 <= cfg["pulse_hz"] <= 10000
    assert i != 3 or cfg["pulse_hz"] != 0  # child: pulsed only
    assert cfg["polarity"] in (0, 1, 2, 3, 4)
    # Issue 17: medication (5) is DC with a named tray (3 A, 4 B), never
    # reversed; a named tray is for medication or underarm pads (2) alone, on DC.
    assert i != 5 or cfg["polarity"] in (3, 4)
    tray = cfg["polarity"] >= 3
    assert not tray or (i in (2, 5) and cfg["pulse_hz"] == 0)
    assert cfg["tray"] == ("A" if cfg["polarity"] == 3 else "B" if tray else None)
    assert (cfg["reminder"] is not None) == tray
    assert 100 <= cfg["ramp_up_ua_s"] <= 1000


def _surely_bad(kw):
    # Arguments wrong whatever the profile and the stored settings.
    rules = {"index": (0, 5), "set_ua": (1, 25000), "duration_ms": (600000, 2700000),
             "pulse_hz": (0, 10000), "polarity": (0, 4), "ramp_up_ua_s": (100, 1000)}
    tray = kw.pop("tray", None)
    if tray is not None and (tray not in ("A", "B") or kw.get("polarity") is not None):
        return True  # the medicated tray in words, given without a polarity
    for k, v in kw.items():
        lo, hi = rules[k]
        if v is not None and (not is_int(v) or not lo <= v <= hi):  # None: not given
            return True
    return False


@CASES
@given(st.one_of(
    st.fixed_dictionaries({}, optional={  # within each argument's range (not always together)
        "index": st.integers(0, 5), "set_ua": st.integers(1, 25000),
        "duration_ms": st.integers(600000, 2700000),
        "pulse_hz": st.one_of(st.just(0), st.integers(1000, 10000)),
        "polarity": st.integers(0, 4), "ramp_up_ua_s": st.integers(100, 1000),
        "tray": st.sampled_from(("A", "B"))}),
    st.fixed_dictionaries({}, optional={
        "index": int_or_junk(0, 5), "set_ua": int_or_junk(1, 25000),
        "duration_ms": st.one_of(int_or_junk(600000, 2700000),
                                 st.sampled_from((600000, 2700000))),
        "pulse_hz": st.one_of(st.just(0), int_or_junk(1000, 10000)),
        "polarity": int_or_junk(0, 4), "ramp_up_ua_s": int_or_junk(100, 1000),
        "tray": st.one_of(st.sampled_from(("A", "B")), junk)})))
def test_profile_saves_only_settings_within_the_hard_limits(con, kw):
    before = con.files()
    try:
        shown = con("profile", **kw)
    except ValueError as e:
        event("refused")
        assert str(e) and con.files() == before
        con.no_current()
        return
    event("saved")
    assert not _surely_bad(dict(kw)), kw
    _within_hard_limits(shown)
    for k, v in kw.items():  # every given setting is the one stored
        assert v is None or shown["profile" if k == "index" else k] == v
    assert con("profile") == shown  # read back from the file
    con.no_current()


@CASES
@given(st.one_of(st.just(1), st.just(1), junk, st.integers(-2, 3)),
       st.one_of(  # about half: every value plausible
           st.lists(st.tuples(st.integers(-200, 200), st.integers(900000, 1100000)),
                    min_size=5, max_size=5),
           st.lists(st.tuples(int_or_junk(-200, 200), int_or_junk(900000, 1100000)),
                    min_size=5, max_size=5)),
       st.one_of(st.just(set()), st.sets(st.sampled_from(CHANNELS), max_size=2)))
def test_cal_save_writes_only_plausible_calibrations(con, version, values, missing):
    cal = {"version": version}
    for ch, (off, gain) in zip(CHANNELS, values):
        if ch not in missing:
            cal[ch] = {"offset": off, "gain_ppm": gain}
    ok = (is_int(version) and version == 1 and not missing
          and all(is_int(o) and -200 <= o <= 200 and is_int(g) and 900000 <= g <= 1100000
                  for o, g in values))
    event("valid" if ok else "invalid")
    if not ok:
        con.refused("cal_save", cal)
        return
    saved = con("cal_save", cal)
    assert saved == cal
    import json

    with open(con.b.flash + "/calibration.json") as f:
        assert json.load(f) == cal
    con.no_current()

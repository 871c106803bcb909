"""config.json and calibration.json against generated contents (hypothesis,
1000 cases each; CPython).

SR-19: whatever the flash holds (random bytes, any JSON, near-valid settings,
a file cut short), store.load_config and store.load_calibration never raise.
They accept exactly what check_config and check_calibration accept, and give
the defaults (config) or None (calibration) with a clear reason otherwise.
What they accept also stays inside the hard limits by this test's own rules.
"""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firmware import store

CASES = settings(max_examples=1000, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
CAP_UA = (25000, 25000, 5000, 10000, 25000, 25000)  # SR-7, SR-5 (safety.md), by profile
MIN_MS, MAX_MS = 10 * 60000, 45 * 60000  # profiles.py (Hidrex 1994), SR-5

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6))
any_json = st.recursive(scalars, lambda c: st.one_of(
    st.lists(c, max_size=4), st.dictionaries(st.text(max_size=8), c, max_size=5)), max_leaves=12)


def near(lo, hi):
    # In range, at and just past its edges, far off, or not an integer.
    return st.one_of(st.integers(lo, hi), st.sampled_from((lo - 1, lo, hi, hi + 1)),
                     st.integers(), scalars)


configs = st.fixed_dictionaries({}, optional={
    "profile": near(0, 5), "set_ua": near(1, 25000), "duration_ms": near(MIN_MS, MAX_MS),
    "pulse_hz": st.one_of(st.just(0), near(1000, 10000)), "polarity": near(0, 4),
    "ramp_up_ua_s": near(100, 1000), "custom": any_json, "extra": any_json})
channel = st.fixed_dictionaries({}, optional={"offset": near(-200, 200),
                                              "gain_ppm": near(900000, 1100000)})
calibrations = st.fixed_dictionaries(
    {"version": st.one_of(st.just(1), scalars)},
    optional={ch: st.one_of(channel, channel, any_json) for ch in store.CAL_CHANNELS})


def contents(structured):
    # What the flash may hold: random bytes, any JSON, near-valid settings,
    # and such a file cut short (a torn write of an older firmware, a bad copy).
    text = st.one_of(any_json, structured).map(json.dumps)
    cut = st.tuples(text, st.floats(0, 1)).map(lambda t: t[0][: int(len(t[0]) * t[1])])
    return st.one_of(st.binary(max_size=64), text, cut, text.map(str.encode))


@pytest.fixture(scope="module")
def flash(tmp_path_factory):
    d = tmp_path_factory.mktemp("store_fuzz")
    cwd = os.getcwd()
    os.chdir(d)  # store's files are relative to the flash root
    yield d
    os.chdir(cwd)


def put(name, data):
    with open(name, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def expected(data, check, what):
    # (what check() makes of the file's JSON, None), or (None, the reason):
    # check()'s own message, or a file that is not JSON text said as such.
    try:  # the board reads the file as UTF-8 text
        value = json.loads(data.decode() if isinstance(data, bytes) else data)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None, what + ": not valid JSON (a torn or corrupt file)"
    try:
        return check(value), None
    except ValueError as e:
        return None, str(e)


def within_limits(settings):
    index, set_ua, duration_ms, pulse_hz, polarity, ramp = settings
    assert 0 <= index <= 5 and 0 < set_ua <= CAP_UA[index]
    assert MIN_MS <= duration_ms <= MAX_MS and polarity in (0, 1, 2, 3, 4)
    assert pulse_hz == 0 or 1000 <= pulse_hz <= 10000
    assert index != 3 or pulse_hz  # SR-7: the child profile is pulsed only
    # Issue 17: medication (5) is DC with a named tray (3, 4), never reversed; a
    # named tray is for medication or underarm pads (2) alone, on DC.
    assert index != 5 or polarity in (3, 4)
    assert polarity < 3 or (index in (2, 5) and pulse_hz == 0)
    assert 100 <= ramp <= 1000  # SR-8


def load(name, data, loader, check, what):
    # (what the loader gives for the file holding data, what check() makes
    # of its JSON or None, the reason it is refused or None).
    put(name, data)
    return (loader(),) + expected(data, check, what)


@CASES
@given(data=contents(configs))
def test_load_config_never_raises_and_accepts_what_check_config_accepts(flash, data):
    got, want, reason = load(store.CONFIG_FILE, data, store.load_config, store.check_config,
                             "config")
    if reason is None:
        assert got == (want, None)
        within_limits(want)
    else:  # the defaults
        assert got == (store.check_config({}), "config ignored, defaults used: " + reason)


@CASES
@given(data=contents(calibrations))
def test_load_calibration_never_raises_and_accepts_what_check_calibration_accepts(flash, data):
    got, want, reason = load(store.CAL_FILE, data, store.load_calibration,
                             store.check_calibration, "calibration")
    assert got == ((want, None) if reason is None else (None, reason))
    for ch in store.CAL_CHANNELS if reason is None else ():
        # Plausible, by this test's rule (calibration.md).
        assert -200 <= want[ch]["offset"] <= 200 and 900000 <= want[ch]["gain_ppm"] <= 1100000


def test_missing_files_and_deep_nesting(flash):
    for name in (store.CONFIG_FILE, store.CAL_FILE):
        if os.path.exists(name):
            os.remove(name)
    assert store.load_config() == (store.check_config({}), None)
    assert store.load_calibration() == (None, "no calibration")
    # A file of brackets: the JSON parser runs out of stack, not of patience.
    put(store.CONFIG_FILE, "[" * 100000)
    put(store.CAL_FILE, "{\"a\":" * 50000)
    assert store.load_config() == (store.check_config({}), "config ignored, defaults used: "
                                   "config: not valid JSON (a torn or corrupt file)")
    assert store.load_calibration() == (None, "calibration: not valid JSON (a torn or corrupt "
                                        "file)")

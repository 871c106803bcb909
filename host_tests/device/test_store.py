# SR-19: calibration validated, atomic writes, bad input changes nothing.
import json
import os

from firmware import store


def _tmpdir():
    d = "build/test_store"
    for part in ("build", d):
        try:
            os.mkdir(part)
        except OSError:
            pass
    return d


def _good():
    cal = {"version": 1}
    for ch in store.CAL_CHANNELS:
        cal[ch] = {"offset": 3, "gain_ppm": 1010000}
    return cal


def test_valid_calibration_round_trips():
    # SR-19: written atomically (no temporary file left), read back as written.
    d = _tmpdir()
    path = d + "/cal.json"
    store.write_atomic(path, json.dumps(_good()))
    with open(path) as f:
        assert store.check_calibration(json.loads(f.read()))["rail"]["offset"] == 3
    assert "cal.json.tmp" not in os.listdir(d)


def test_bad_calibrations_are_refused_with_a_message():
    # SR-19
    bad = []
    for ch in store.CAL_CHANNELS:
        for key, v in (("offset", 201), ("offset", -201), ("gain_ppm", 899999),
                       ("gain_ppm", 1100001), ("gain_ppm", 1.0), ("offset", True),
                       ("offset", "3")):
            c = _good()
            c[ch][key] = v
            bad.append(c)
    c = _good()
    del c["set"]
    bad.append(c)
    bad.append([1, 2])
    bad.append({"version": 2})
    for c in bad:
        try:
            store.check_calibration(c)
        except ValueError as e:
            assert "calibration" in str(e)
            continue
        raise AssertionError("accepted: " + repr(c))


def test_save_refuses_bad_calibration_and_leaves_old_file():
    # SR-19: invalid: a clear message, and nothing changes.
    d = _tmpdir()
    cwd = os.getcwd()
    os.chdir(d)
    try:
        store.save_calibration(_good())
        c = _good()
        c["current"]["gain_ppm"] = 2000000
        try:
            store.save_calibration(c)
        except ValueError:
            pass
        else:
            raise AssertionError("bad calibration saved")
        cal, why = store.load_calibration()
        assert why is None and cal["current"]["gain_ppm"] == 1010000
        with open(store.CAL_FILE, "w") as f:
            f.write("{not json")
        cal, why = store.load_calibration()
        assert cal is None and why
        os.remove(store.CAL_FILE)
        cal, why = store.load_calibration()
        assert cal is None and why == "no calibration"
    finally:
        os.chdir(cwd)


def test_config_defaults_validation_and_corrupt_file():
    # SR-19: a corrupt config gives the defaults, with a warning.
    d = _tmpdir()
    cwd = os.getcwd()
    os.chdir(d)
    try:
        try:
            os.remove(store.CONFIG_FILE)
        except OSError:
            pass
        settings, warning = store.load_config()
        assert settings[0] == 0 and settings[1] == 15000 and warning is None
        store.save_config({"profile": 1, "set_ua": 18000, "duration_ms": 1800000})
        settings, warning = store.load_config()
        assert settings[:3] == (1, 18000, 1800000) and warning is None
        for bad in ({"profile": 2, "set_ua": 6000}, {"profile": 3, "pulse_hz": 0},
                    {"set_ua": 26000}, {"ramp_up_ua_s": 5000}, {"profile": "1"}, [1]):
            try:
                store.save_config(bad)
            except ValueError:
                continue
            raise AssertionError("saved: " + repr(bad))
        assert store.load_config()[0][:3] == (1, 18000, 1800000)  # unchanged
        with open(store.CONFIG_FILE, "w") as f:
            f.write('{"profile": 1, "set_ua": 99999}')
        settings, warning = store.load_config()
        assert settings[1] == 15000 and "defaults" in warning  # SR-19
        os.remove(store.CONFIG_FILE)
    finally:
        os.chdir(cwd)


def test_files_that_are_not_text_give_the_defaults_and_a_reason():
    # SR-19: bytes that are not UTF-8 (a corrupt flash page) raise UnicodeError
    # at read() in MicroPython as in CPython: never out of the loaders (the
    # boot would stop), never out of the profile gesture's save.
    from firmware import picker

    d = _tmpdir()
    cwd = os.getcwd()
    os.chdir(d)
    try:
        for name in (store.CONFIG_FILE, store.CAL_FILE):
            with open(name, "wb") as f:
                f.write(b'\xff\xfe{"profile": \x80}')
        assert store.load_config() == (store.check_config({}), "config ignored, defaults "
                                       "used: config: not valid JSON (a torn or corrupt file)")
        assert store.load_calibration() == (None, "calibration: not valid JSON (a torn or "
                                            "corrupt file)")
        assert picker.settings_for(1, picker._stored()) == {"profile": 1}
    finally:
        os.chdir(cwd)

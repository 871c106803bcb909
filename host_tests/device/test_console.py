# The device console (firmware/console.py, docs/console.md) on the simulated
# board's fake machine and flash: every call checks its arguments first
# (SR-19: a clear error and nothing changed), files go through store's
# validated atomic writes, and no call leaves the output on (SR-2). The bench
# runs are in test_console_bench.py (their own interpreter: heap).
# device-tests: one interpreter per test (a simulated board each)
import json
import os
import sys

from support import console_call as _call
from support import flash_files as _files
from support import fresh_board


def _board(name, calibrated=True):
    return fresh_board("console_" + name, 61, calibrated)


def _no_current(b):
    # The model saw no current at any time, and the switch is open.
    c = b.circuit
    assert c.max_i_ua == 0 and c.gate == 0 and c.set_frac == 0, (c.max_i_ua, c.gate)


def _refused(b, name, *args, **kw):
    before = _files(b)
    try:
        _call(b, name, *args, **kw)
    except ValueError as e:
        msg = str(e)
        assert msg, name
        assert _files(b) == before, name + " changed a file: " + repr(args)
        _no_current(b)
        return msg
    raise AssertionError(name + " accepted " + repr(args) + " " + repr(kw))


def test_status_reports_output_readings_calibration_config_and_version():
    b = _board("status")
    before = _files(b)
    s = _call(b, "status")
    json.dumps(s)  # plain JSON values
    b.call(lambda: None)
    assert s["output_on"] is False and s["board"] == "pico"
    from firmware.version import VERSION

    assert s["version"] == VERSION and VERSION.count(".") == 2
    assert s["calibrated"] is True and s["calibration"] == "ok"
    assert s["config"]["profile"] == 0 and s["config"]["set_ua"] == 15000
    assert s["config"]["warning"] is None
    assert abs(s["i_ua"]) < 100 and abs(s["v_mv"]) < 500
    rail = b.circuit.rail_mv()
    assert abs(s["rail_mv"] - rail) < rail // 100, (s["rail_mv"], rail)
    bat = b.circuit.battery_mv
    assert abs(s["battery_mv"] - bat) < bat // 50, (s["battery_mv"], bat)
    assert s["usb"] is False and s["trip"] is False and s["button"] is False
    assert s["up"] is False and s["down"] is False
    assert _files(b) == before  # reading changes nothing
    b.hw.down_down = True  # the optional down button, through the real hal's pin
    s = _call(b, "status")
    assert (s["up"], s["down"], s["button"]) == (False, True, False)
    b.hw.down_down = False
    b.write_file("calibration.json", "{broken")
    b.write_file("config.json", '{"profile": 2, "set_ua": 9000}')
    s = _call(b, "status")
    assert s["calibrated"] is False and s["calibration"]
    assert s["config"]["set_ua"] == 15000 and "defaults" in s["config"]["warning"]  # SR-19
    _no_current(b)


def test_profile_shows_sets_and_refuses_outside_the_hard_limits():
    b = _board("profile")
    assert _call(b, "profile")["name"] == "hands"
    c = _call(b, "profile", 1)  # a new profile starts from its defaults
    assert (c["profile"], c["set_ua"], c["duration_ms"]) == (1, 18000, 1800000)
    c = _call(b, "profile", set_ua=20000, polarity=0)  # the same profile keeps the rest
    assert (c["profile"], c["set_ua"], c["duration_ms"], c["polarity"]) == (1, 20000, 1800000, 0)
    assert json.loads(b.read_file("config.json"))["set_ua"] == 20000
    assert "config.json.tmp" not in os.listdir(b.flash)  # atomic: the temporary file renamed
    for args, kw in (((2,), {"set_ua": 6000}),  # SR-7: underarms 5 mA
                     ((), {"set_ua": 25001}),  # SR-5
                     ((), {"set_ua": 0}),
                     ((3,), {"pulse_hz": 0}),  # SR-7: child pulsed only
                     ((), {"duration_ms": 599999}), ((), {"duration_ms": 2700001}),  # SR-5
                     ((), {"ramp_up_ua_s": 1001}), ((), {"ramp_up_ua_s": 99}),  # SR-8
                     ((), {"polarity": 3}), ((), {"pulse_hz": 999}),
                     ((6,), {}), ((-1,), {}), (("1",), {}), ((1.0,), {}), ((True,), {}),
                     ((), {"set_ua": True}), ((), {"set_ua": 12000.0}), ((), {"set_ua": "9"}),
                     ((), {"duration_ms": [1]}), ((), {"polarity": {}})):
        _refused(b, "profile", *args, **kw)
    assert _call(b, "profile")["set_ua"] == 20000  # unchanged
    _no_current(b)


def test_cal_zero_finds_the_adc_offsets_with_the_output_off():
    b = _board("zero", calibrated=False)
    before = _files(b)
    z = _call(b, "cal_zero", 200)
    json.dumps(z)
    c = b.circuit
    for ch in ("current", "voltage"):
        # The model's offset; a negative one reads as 0 (the ADC cannot go below).
        want = c.adc_offset[ch] if c.adc_offset[ch] > 0 else 0
        assert abs(z[ch]["offset"] - want) <= 1, (ch, z[ch], c.adc_offset[ch])
    assert z["ok"] is True and z["n"] == 200
    assert _files(b) == before
    _no_current(b)
    c.leak_ua = 500.0  # current with the output off (SR-9): the zero is not one
    assert _call(b, "cal_zero")["ok"] is False


def _cal(gain=1000000):
    cal = {"version": 1}
    for ch in ("current", "voltage", "rail", "battery", "set"):
        cal[ch] = {"offset": 2, "gain_ppm": gain}
    return cal


def test_cal_save_checks_every_channel_and_writes_atomically():
    b = _board("calsave", calibrated=False)
    assert _call(b, "status")["calibrated"] is False
    cal = _cal(1010000)
    cal["note"] = "dropped"
    cal["rail"]["extra"] = [1, 2]
    saved = _call(b, "cal_save", cal)
    assert saved == _cal(1010000)  # only the known fields
    assert json.loads(b.read_file("calibration.json")) == _cal(1010000)
    assert "calibration.json.tmp" not in os.listdir(b.flash)
    assert _call(b, "status")["calibrated"] is True
    bad = [[1], "cal", None, {"version": 2}, {"version": 1}]
    for ch in ("current", "voltage", "rail", "battery", "set"):
        for key, v in (("offset", 201), ("offset", -201), ("gain_ppm", 899999),
                       ("gain_ppm", 1100001), ("gain_ppm", 1e6), ("offset", True),
                       ("offset", None), ("gain_ppm", "1000000")):
            c = _cal()
            c[ch][key] = v
            bad.append(c)
        c = _cal()
        del c[ch]
        bad.append(c)
    for c in bad:
        msg = _refused(b, "cal_save", c)
        assert "calibration" in msg
    assert json.loads(b.read_file("calibration.json")) == _cal(1010000)  # the old one stays


def test_calibration_shows_the_stored_one_and_cal_clear_removes_it():
    b = _board("calread", calibrated=True)
    stored = json.loads(b.read_file("calibration.json"))
    c = _call(b, "calibration")
    json.dumps(c)
    assert c == {"stored": stored, "why": None, "in_use": stored}
    before = _files(b)
    cleared = _call(b, "cal_clear")
    assert cleared["stored"] is None and cleared["why"] == "no calibration"
    assert cleared["in_use"] == _call(b, "calibration")["in_use"]
    assert cleared["in_use"]["current"] == {"offset": 0, "gain_ppm": 1000000}  # nominal
    del before["calibration.json"]
    assert _files(b) == before  # that file alone
    assert _call(b, "status")["calibrated"] is False  # treatment refused again (SR-19)
    assert _call(b, "cal_clear")["stored"] is None  # none to remove: no error
    b.write_file("calibration.json", '{"version": 1}')  # corrupt: stored None, the reason
    c = _call(b, "calibration")
    assert c["stored"] is None and "missing channel" in c["why"]
    _no_current(b)


def test_clock_set_checks_the_date_and_sets_the_rtc():
    b = _board("clock")
    assert _call(b, "clock_set", 2025, 3, 14, 15, 9, 26) == [2025, 3, 14, 15, 9, 26]
    assert b.hw.rtc_set == (2025, 3, 14, 4, 15, 9, 26, 0)  # a Friday: weekday 4
    assert _call(b, "clock_set", 2024, 2, 29, 0, 0, 0)[:3] == [2024, 2, 29]
    assert b.hw.rtc_set[3] == 3  # a Thursday
    assert _call(b, "clock_set", 2099, 12, 31, 23, 59, 59)[:3] == [2099, 12, 31]
    assert b.hw.rtc_set[3] == 3
    set_last = b.hw.rtc_set
    for args in ((2023, 12, 31, 0, 0, 0), (2100, 1, 1, 0, 0, 0), (2025, 2, 29, 0, 0, 0),
                 (2025, 4, 31, 0, 0, 0), (2025, 0, 1, 0, 0, 0), (2025, 13, 1, 0, 0, 0),
                 (2025, 1, 0, 0, 0, 0), (2025, 1, 1, 24, 0, 0), (2025, 1, 1, 0, 60, 0),
                 (2025, 1, 1, 0, 0, 60), (2025, 1, 1, -1, 0, 0), ("2025", 1, 1, 0, 0, 0),
                 (2025.0, 1, 1, 0, 0, 0), (2025, True, 1, 0, 0, 0), (2025, 1, 1, 0, 0, None)):
        msg = _refused(b, "clock_set", *args)
        assert "must be an integer" in msg
    assert b.hw.rtc_set == set_last  # the clock untouched


def test_journal_and_trace_read_back_what_the_app_wrote():
    b = _board("journal")

    def write():
        from firmware import journal
        from firmware.trace import Trace

        for k in range(3):
            journal.append({"v": 1, "id": k + 1, "set_ua": 1000 * (k + 1)})
        tr = Trace()
        for sec in range(5):
            for _ in range(10):
                tr.add(1000 * sec, 2000 * sec, 3 if sec else 2, 100000)
        journal.save_trace(tr, 7)
    b.call(write)
    recs = _call(b, "journal", 2)
    assert [r["id"] for r in recs] == [2, 3]
    assert [r["id"] for r in _call(b, "journal")] == [1, 2, 3]
    assert _call(b, "journal", bench=True) == []
    t = _call(b, "trace", 0)
    json.dumps(t)
    assert t["id"] == 7 and t["every_s"] == 1
    assert t["i_ua"] == [0, 1000, 2000, 3000, 4000]
    assert t["v_mv"] == [0, 2000, 4000, 6000, 8000]
    assert t["events"] == [[0, "ramp_up"], [1, "treat"]]
    assert _call(b, "trace", 1) is None  # no older session yet
    for name, args in (("journal", (0,)), ("journal", (201,)), ("journal", ("5",)),
                       ("journal", (5, 1)), ("trace", (4,)), ("trace", (-1,)),
                       ("trace", (0.0,)), ("trace", (0, "yes"))):
        _refused(b, name, *args)
    data = b.read_bytes("trace0.bin")
    with open(b.flash + "/trace0.bin", "wb") as f:
        f.write(data[:-3])  # a torn file: refused with its name, not misread
    assert "trace0.bin" in _refused(b, "trace", 0)


def test_bench_and_cal_point_refuse_bad_arguments_before_any_current():
    b = _board("benchargs", calibrated=False)
    for args in ((25001, 10), (0, 10), (-5, 10), (10000, 1), (10000, 121), (15000.0, 10),
                 ("10000", 10), (True, 10), (None, 10), (10000, 10.0), (10000, [10])):
        _refused(b, "bench", *args)
    for args in ((30000,), (0,), ("1",), (5000, 0), (5000, 1000)):
        _refused(b, "cal_point", *args)
    for args in ((0,), (1001,), (64.0,), ("64",)):
        _refused(b, "cal_zero", *args)
    assert b.hw.wdt_timeout_ms is None  # no bench ran: the watchdog never started
    assert b.read_file("console.once") is None


def test_the_console_is_not_loaded_by_the_app():
    # M8: the app's heap has no room for it; it is imported at the REPL only.
    b = _board("notloaded")
    seen = {}
    b.at(1.5, lambda b: seen.update(app="firmware.app" in sys.modules,
                                    console="firmware.console" in sys.modules,
                                    bench="firmware.bench" in sys.modules))
    b.run(2.0)
    assert seen == {"app": True, "console": False, "bench": False}, seen

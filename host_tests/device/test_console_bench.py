# Bench mode and calibration through the console, on the simulated board with
# a 1 kOhm bench resistor in place of a hand, as a person at the REPL would
# run them: each call is scheduled on the virtual clock while the board sits
# at the REPL (console mode). SR-2: the current runs only through the app's
# loop and supervisor; SR-3: the watchdog a bench run starts resets the board
# after it, and console.once brings that boot back to the REPL (SR-4: marked).
# device-tests: one interpreter per test (a simulated board each)
import json

from support import fresh_board

BENCH_1K = {"series_ohm": 900.0, "skin_start_ohm": 100.0, "skin_end_ohm": 100.0,
            "skin_walk_pct": 0.0, "skin_uf": 0.1}


def _bench_board(name, seed, calibrated):
    b = fresh_board("console_" + name, seed, calibrated, BENCH_1K)
    b.write_file("console.once", "")  # the first boot is the console, as after a bench run
    return b


def _at_repl(b, t_s, out, key, name, *args):
    # A call typed at the REPL at t_s; its result (or its error) kept in out.
    def go(b):
        from firmware import console

        try:
            out[key] = getattr(console, name)(*args)
        except ValueError as e:
            out[key] = "ValueError: " + str(e)
    b.at(t_s, go)


def _meter(b, t_s, out, key):
    # The multimeter in series with the bench resistor, and across it.
    def read(b):
        c = b.circuit
        c.update(b.clock.us / 1e6)
        out[key] = (c.i_ua, c.electrode_mv())
    b.at(t_s, read)


def test_calibrating_on_the_bench_through_the_console():
    b = _bench_board("calibrate", 62, calibrated=False)
    out = {}
    _at_repl(b, 1.0, out, "zero", "cal_zero")
    _at_repl(b, 2.0, out, "p1", "cal_point", 10000, 20)  # ramp ~10 s, then 20 s held
    _meter(b, 25.0, out, "m1")
    # The watchdog resets the board about a second after the run; back at the REPL:

    def host(b):
        # What the host tool computes from the meter: gain = true / read, with
        # the offsets of cal_zero (the bench ran on the nominal calibration).
        p1, m1, z = out["p1"], out["m1"], out["zero"]
        cal = {"version": 1, "rail": {"offset": 0, "gain_ppm": 1000000},
               "battery": {"offset": 0, "gain_ppm": 1000000},
               "set": {"offset": 0, "gain_ppm": 1000000},
               "current": {"offset": z["current"]["offset"],
                           "gain_ppm": int(1e6 * m1[0] / p1["i_ua"])},
               "voltage": {"offset": z["voltage"]["offset"],
                           "gain_ppm": int(1e6 * m1[1] / p1["v_mv"])}}
        from firmware import console

        out["saved"] = console.cal_save(cal)
    b.at(45.0, host)
    _at_repl(b, 46.0, out, "status", "status")
    _at_repl(b, 47.0, out, "p2", "bench", 10000, 4)
    _meter(b, 60.0, out, "m2")
    _at_repl(b, 80.0, out, "journal", "journal", 5, True)  # after the run and its reset
    b.run(82.0)
    assert b.crashes == [], b.crashes
    p1, p2 = out["p1"], out["p2"]
    json.dumps(p1)
    assert p1["calibrated"] is False and p2["calibrated"] is True
    for p in (p1, p2):
        assert (p["end"], p["fault"], p["refusal"], p["state"]) == ("timer", "none", "none",
                                                                    "done"), p
        assert p["usb"] is False and p["n"] > 100
    assert p1["held_ms"] >= 20000 and p2["held_ms"] >= 4000
    assert abs(p1["load_ohm"] - 1000) < 30, p1  # nominal readings: within the ADC's 1 %
    # Calibrated: the true current is the set point, and the reading the truth.
    i2, v2 = out["m2"]
    assert abs(i2 - 10000) <= 25, (i2, p2)
    assert abs(p2["i_ua"] - i2) <= 25 and abs(p2["v_mv"] - v2) <= 30, (p2, out["m2"])
    assert out["status"]["calibrated"] is True
    # Never above the set point by more than the regulator's ripple (SR-5, SR-6).
    assert b.circuit.max_i_ua < 10000 * 1.02, b.circuit.max_i_ua
    # Two benches, two watchdog resets, each back to the REPL (console.once used up).
    assert len(b.resets) == 2 and b.boots == 3, (b.resets, b.boots)
    assert b.read_file("console.once") is None
    assert b.read_file("journal.jsonl") is None  # bench runs are not treatment sessions
    recs = out["journal"]
    assert [r["set_ua"] for r in recs] == [10000, 10000] and recs[0]["end"] == "timer", recs
    assert b.read_bytes("bench_trace0.bin")[:4] == b"IOT1"


def test_bench_refusals_faults_and_the_button_keep_the_current_off():
    b = _bench_board("refusals", 63, calibrated=True)
    out = {}
    c = b.circuit
    b.at(0.5, lambda b: setattr(c, "leak_ua", 500.0))
    _at_repl(b, 1.0, out, "leak", "bench", 5000, 2)  # SR-9: current with the output off
    b.at(3.5, lambda b: setattr(c, "leak_ua", 0.0))
    b.at(3.5, lambda b: setattr(c, "force_trip", True))
    _at_repl(b, 4.0, out, "trip", "bench", 5000, 2)  # SR-15: the trip latch
    b.at(6.5, lambda b: setattr(c, "force_trip", False))
    b.at(6.5, lambda b: setattr(c, "tripped", False))
    _at_repl(b, 6.6, out, "bad", "bench", 26000, 2)  # SR-5, refused before anything
    seen = {}
    b.at(6.7, lambda b: seen.update(max_ua=c.max_i_ua))
    b.at(6.8, lambda b: c.lift())
    _at_repl(b, 7.0, out, "open", "bench", 5000, 2)  # no resistor: probe only, then ends
    b.at(15.0, lambda b: c.reimmerse())
    b.at(15.0, lambda b: setattr(b.hw, "usb_present", True))
    _at_repl(b, 16.0, out, "usb", "bench", 5000, 2)  # SR-17: allowed on the bench, marked
    b.at(30.0, lambda b: setattr(b.hw, "usb_present", False))
    _at_repl(b, 31.0, out, "button", "bench", 5000, 60)
    b.press_button(40.0, 2.5)  # a hold stops it, as it stops a session
    b.run(60.0)
    assert b.crashes == [], b.crashes
    lk = out["leak"]  # the supervisor's leak latch (SR-12) comes before the refusal's verdict
    assert "leak" in (lk["fault"], lk["refusal"]) and lk["n"] == 0, lk
    assert out["trip"]["fault"] == "trip" and out["trip"]["n"] == 0, out["trip"]
    assert out["bad"].startswith("ValueError: set_ua"), out["bad"]
    assert seen["max_ua"] == 0  # neither refused run let any current through
    o = out["open"]
    assert (o["end"], o["n"], o["held_ms"]) == ("no_contact", 0, 0), o
    u = out["usb"]
    assert (u["usb"], u["end"], u["fault"]) == (True, "timer", "none"), u
    assert abs(u["i_ua"] - 5000) < 60, u
    bt = out["button"]
    assert bt["end"] == "user" and bt["held_ms"] < 60000, bt
    assert c.max_i_ua < 5000 * 1.02, c.max_i_ua
    # Every run started the watchdog and so ended in a reset, back to the REPL;
    # the refused call (set_ua) started nothing.
    assert len(b.resets) == 5 and b.boots == 6, (b.resets, b.boots)
    assert b.read_file("console.once") is None

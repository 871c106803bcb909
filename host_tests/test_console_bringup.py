"""The bring-up's console calls (firmware/console.py: relay, led, button_wait, trip_wait,
trip_reset, bringup, bringup_save; docs/console.md) on the simulated board's fake machine
and flash, as test_console_fuzz.py runs the others.

SR-19: a bad argument raises ValueError, changes no file and lets no current flow.
SR-11: the relay switches with the output off. SR-15: the trip latch is reset only with
the output off and after a long press (no press: no reset pulse; the control).
"""

import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from host_tests.device.support import fresh_board
from host_tests.test_console_fuzz import CASES, Console, bad_int, junk


@pytest.fixture(scope="module")
def board():
    b = fresh_board("console_bringup", 65, calibrated=True)
    b._install()
    b._purge()
    try:
        yield Console(b)
    finally:
        b._uninstall()


@pytest.fixture
def con(board):
    # Each test from a clear latch, nobody at the bench, no report.
    c = board.b.circuit
    c.force_trip = c.tripped = c.trip_stuck = False
    board.b.hw.person = None
    try:
        os.remove(board.b.flash + "/bringup.json")
    except OSError:
        pass
    return board


@CASES
@given(st.one_of(junk.filter(lambda v: v is not True and v is not False), st.integers()))
def test_relay_and_led_take_true_or_false_only(board, v):
    for name in ("relay", "led"):
        assert "True or False" in board.refused(name, v)


@CASES
@given(bad_int(1, 60))
def test_the_waits_take_1_to_60_seconds_only(board, s):
    for name in ("button_wait", "trip_wait", "trip_reset"):
        assert "1..60" in board.refused(name, s)


def test_the_relay_switches_with_the_output_off(con):
    # SR-11: the relay never switches with the output on.
    c = con.b.circuit
    assert con("relay", True) == {"relay": True, "output_on": False}
    assert c.relay == 1
    assert con("relay", False)["relay"] is False and c.relay == 0
    assert c.relay_switches == 2 and c.relay_switches_under_current == 0
    con.no_current()


def test_the_led_follows(con):
    pin = con.b.board["pin_led"]
    con("led", True)
    assert con.b.hw.level[pin] == 1
    con("led", False)
    assert con.b.hw.level[pin] == 0


def test_trip_reset_needs_a_long_press_and_then_clears_the_latch(con):
    # SR-15: the latch is reset only with the output off and after the long press.
    b = con.b
    c = b.circuit
    c.force_trip = c.tripped = True  # the latch set (as at an undefined power-up)
    # No press: no pulse, the latch stays set (the control of SR-15's acknowledgement).
    r = con("trip_reset", 1)
    assert r == {"held": False, "trip_before": True, "trip": True, "output_on": False}
    # A 1 s press is not the long press: still no pulse.
    b.hw.person = {"presses": [1.0]}
    assert con("trip_reset", 3)["held"] is False and c.tripped
    # A 2.5 s press: the pulse, and the latch clears.
    b.hw.person = {"presses": [2.5]}
    r = con("trip_reset", 5)
    assert r == {"held": True, "trip_before": True, "trip": False, "output_on": False}
    con.no_current()


def test_a_stuck_latch_stays_tripped(con):
    c = con.b.circuit
    c.force_trip = c.tripped = c.trip_stuck = True
    con.b.hw.person = {"presses": [2.5]}
    assert con("trip_reset", 5)["trip"] is True


def test_trip_wait_sees_the_comparator_fire(con):
    con.b.hw.person = {"trip_lead": 1}
    r = con("trip_wait", 5)
    assert r["trip"] is True and r["after_ms"] > 0
    con.b.circuit.force_trip = con.b.circuit.tripped = False
    assert con("trip_wait", 1) == {"trip": False, "after_ms": -1}  # no lead: nothing
    con.no_current()


def test_button_wait(con):
    assert con("button_wait", 1) == {"pressed": False, "held_ms": 0}
    con.b.hw.person = {"presses": [0.3]}
    r = con("button_wait", 2)
    assert r["pressed"] and 280 <= r["held_ms"] <= 320


GOOD = {"version": 1, "passed": True, "board": "pico", "time": "2026-12-06T16:00:00Z",
        "steps": [{"step": "zero", "ok": True, "i_ua": 3}]}


@pytest.mark.parametrize("rep, why", [
    (None, "not a version 1"), ([], "not a version 1"), ({**GOOD, "version": True}, "version 1"),
    ({**GOOD, "version": 2}, "version 1"), ({**GOOD, "passed": 1}, "passed must be"),
    ({**GOOD, "board": None}, "board"), ({**GOOD, "steps": {}}, "steps"),
    ({**GOOD, "steps": [{"step": "x"}]}, "each step"),
    ({**GOOD, "steps": [{"step": "x", "ok": False}]}, "passed with a failed step"),
    ({**GOOD, "steps": [{"step": "x" * 5000, "ok": True}]}, "over 4000 bytes"),
])
def test_bringup_save_refuses_a_bad_report_and_writes_nothing(con, rep, why):
    assert why in con.refused("bringup_save", rep)


def test_bringup_save_writes_atomically_and_reads_back(con):
    assert con("bringup") == {"report": None, "why": "no bring-up report"}
    got = con("bringup_save", GOOD)
    assert got == {"report": GOOD, "why": None}
    files = con.files()
    assert json.loads(files["bringup.json"]) == GOOD and "bringup.json.tmp" not in files
    failed = {**GOOD, "passed": False, "steps": [{"step": "relay", "ok": False}]}
    assert con("bringup_save", failed)["report"] == failed  # a failed run replaces it
    with open(con.b.flash + "/bringup.json", "w") as f:
        f.write('{"version": 1, "pass')  # torn
    assert "not valid JSON" in con("bringup")["why"]

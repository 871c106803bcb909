# Fault matrix (host_tests/device/fault_matrix.py, issue 6): leaks (S9), the relay, and the battery
# (S12) around the midway reversal.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f19_leak_while_idle_latches_with_no_current():
    # SR-12, SR-9 (S9)
    check("F19", 219)


def test_f20_leak_in_the_reversal_off_time_latches():
    # SR-12, SR-11
    check("F20", 220)


def test_f21_stuck_relay_reversal_goes_on_safely():
    # SR-11
    check("F21", 221)


def test_f22_relay_opening_the_circuit_pauses():
    # SR-11, SR-10
    check("F22", 222)


def test_f23_battery_sag_in_the_ramp_ramps_down_and_refuses():
    # SR-16 (S12)
    check("F23", 223)


def test_f24_battery_sag_in_the_reversal_ramps_down_and_refuses():
    # SR-16, SR-11
    check("F24", 224)


def test_f51_usb_in_the_reversal_off_time_ends_with_the_output_off():
    # SR-17, SR-11
    check("F51", 251)


def test_f52_battery_sag_in_a_pause_ends_with_the_output_off():
    # SR-16, SR-10
    check("F52", 252)

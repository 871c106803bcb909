# Fault matrix (host_tests/device/fault_matrix.py, issue 6): overcurrent, surges, shorts (S7), the
# hardware trip (S10) and its stuck latch.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f13_overcurrent_latches_in_2_ticks():
    # SR-5
    check("F13", 213)


def test_f14_third_surge_latches():
    # SR-6
    check("F14", 214)


def test_f15_short_in_treatment_latches_in_2_ticks():
    # SR-13 (S7)
    check("F15", 215)


def test_f16_short_in_the_ramp_latches_in_2_ticks():
    # SR-13
    check("F16", 216)


def test_f86_short_as_the_probe_starts_latches_within_500_ms():
    # SR-13 under its 2 mA (issue 14): at the probe, before any ramp
    check("F86", 286)


def test_f17_hardware_trip_latches_and_is_acknowledged():
    # SR-15 (S10)
    check("F17", 217)


def test_f18_stuck_trip_latch_stays_a_fault_after_the_acknowledge():
    # SR-15
    check("F18", 218)

# Fault matrix (host_tests/device/fault_matrix.py, issue 6): the current channel pinned high, pinned
# at zero and frozen (S8); the voltage channel pinned high and at zero.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f01_current_pinned_high_latches_overcurrent_in_2_ticks():
    # SR-12, SR-5
    check("F01", 201)


def test_f02_current_pinned_at_zero_latches_sensor_in_2_ticks():
    # SR-12 (S8)
    check("F02", 202)


def test_f03_current_frozen_in_the_ramp_latches_frozen():
    # SR-12 (issue 14 D2: within 500 ms)
    check("F03", 203)


def test_f04_voltage_pinned_high_latches_sensor_in_2_ticks():
    # SR-12
    check("F04", 204)


def test_f05_voltage_pinned_at_zero_latches_short_in_2_ticks():
    # SR-12, SR-13
    check("F05", 205)

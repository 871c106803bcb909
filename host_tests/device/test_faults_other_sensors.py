# Fault matrix (host_tests/device/fault_matrix.py, issue 6): the voltage frozen; the rail and the
# battery readings pinned high, at zero and frozen.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f06_voltage_frozen_in_the_ramp_latches_frozen():
    # SR-12 (issue 14 D2: within 500 ms)
    check("F06", 206)


def test_f07_rail_pinned_high_latches_sensor():
    # SR-12
    check("F07", 207)


def test_f08_rail_pinned_at_zero_latches_sensor():
    # SR-12
    check("F08", 208)


def test_f09_rail_frozen_in_the_ramp_latches_frozen():
    # SR-12 (issue 14: 10 s with the output on)
    check("F09", 209)


def test_f10_battery_pinned_high_latches_sensor():
    # SR-12 (issue 14), SR-16
    check("F10", 210)


def test_f11_battery_pinned_at_zero_latches_sensor():
    # SR-12 (issue 14), SR-16: the pack that powers the board cannot read 0 V
    # with the output on
    check("F11", 211)


def test_f12_battery_frozen_latches_frozen():
    # SR-12 (issue 14: 10 s with the output on), SR-16
    check("F12", 212)

# Fault matrix (host_tests/device/fault_matrix.py, issue 6): slow ticks, a stall, a hang (S11).
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f33_slow_ticks_are_counted_and_the_session_goes_on():
    # SR-3
    check("F33", 233)


def test_f34_a_600_ms_stall_goes_on_without_a_reset():
    # SR-3
    check("F34", 234)


def test_f35_a_hang_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F35", 235)

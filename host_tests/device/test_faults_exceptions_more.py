# Fault matrix (host_tests/device/fault_matrix.py, issue 6): exceptions in the output switch, the
# button, the LED, the trace, the journal and at startup.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f42_exception_in_output_off_at_a_short_leaves_the_output_off():
    # SR-1, SR-13
    check("F42", 242)


def test_f43_exception_in_the_button_leaves_the_output_off():
    # SR-1, SR-20
    check("F43", 243)


def test_f44_exception_in_the_led_patterns_leaves_the_output_off():
    # SR-1
    check("F44", 244)


def test_f45_exception_in_the_trace_leaves_the_output_off():
    # SR-1, SR-21
    check("F45", 245)


def test_f46_exception_in_the_journal_keeps_the_output_off():
    # SR-1, SR-18
    check("F46", 246)


def test_f47_exception_at_startup_never_drives_current():
    # SR-1
    check("F47", 247)


def test_f48_exception_reading_the_config_never_drives_current():
    # SR-1, SR-19
    check("F48", 248)

# Fault matrix (host_tests/device/fault_matrix.py, issue 6): an exception from each module the
# control loop runs.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f36_exception_in_the_regulator_leaves_the_output_off():
    # SR-1, SR-3, SR-4
    check("F36", 236)


def test_f37_exception_in_the_supervisor_check_leaves_the_output_off():
    # SR-1
    check("F37", 237)


def test_f38_exception_in_the_supervisor_drive_leaves_the_output_off():
    # SR-1, SR-2
    check("F38", 238)


def test_f39_exception_in_the_session_leaves_the_output_off():
    # SR-1
    check("F39", 239)


def test_f40_exception_in_the_app_tick_leaves_the_output_off():
    # SR-1
    check("F40", 240)


def test_f41_exception_in_the_hal_reading_leaves_the_output_off():
    # SR-1
    check("F41", 241)

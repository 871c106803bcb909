# Fault matrix (host_tests/device/fault_matrix.py, issue 6): a function of the control loop
# never returns (a deadlock, an endless loop), in treatment. The watchdog resets the board
# within its timeout (SR-3); it boots with the output off and the RESET fault shown and
# latched, the session journaled as interrupted, no resume (SR-4).
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f62_a_hang_in_the_hal_reading_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F62", 262)


def test_f63_a_hang_in_the_supervisor_check_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F63", 263)


def test_f64_a_hang_in_the_session_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F64", 264)


def test_f65_a_hang_in_the_regulator_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F65", 265)


def test_f66_a_hang_in_the_supervisor_drive_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F66", 266)


def test_f67_a_hang_in_the_led_patterns_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F67", 267)


def test_f68_a_hang_in_the_trace_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F68", 268)


def test_f69_a_hang_in_the_set_point_write_is_reset_by_the_watchdog():
    # SR-3, SR-4 (S11)
    check("F69", 269)

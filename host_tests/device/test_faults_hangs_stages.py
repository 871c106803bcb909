# Fault matrix (host_tests/device/fault_matrix.py, issue 6): the loop hangs (S11) at each stage
# of the session; F35 is the hang in treatment. The watchdog resets the board within its
# timeout (SR-3); it boots with the output off and the RESET fault shown and latched, the
# session journaled as interrupted (the reset alone when none ran), no resume (SR-4).
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f53_a_hang_at_rest_is_reset_and_journaled_as_a_reset():
    # SR-3, SR-4 (S11)
    check("F53", 253)


def test_f54_a_hang_in_the_checks_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11)
    check("F54", 254)


def test_f55_a_hang_waiting_for_contact_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11)
    check("F55", 255)


def test_f56_a_hang_in_the_ramp_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11)
    check("F56", 256)


def test_f57_a_hang_in_a_pause_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11)
    check("F57", 257)


def test_f58_a_hang_in_the_reversal_ramp_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11)
    check("F58", 258)


def test_f59_a_hang_in_the_reversal_off_time_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11)
    check("F59", 259)


def test_f60_a_hang_in_the_ramp_down_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11)
    check("F60", 260)


def test_f61_a_hang_after_the_session_is_reset_and_journaled_as_a_reset():
    # SR-3, SR-4 (S11)
    check("F61", 261)

# Fault matrix (host_tests/device/fault_matrix.py, issue 6): a job the loop runs with the
# output off never returns (the journal write, the start gesture's job, the profile pick).
# The watchdog resets the board within its timeout (SR-3); it boots with the RESET fault
# shown and latched, journaled (interrupted when a session had started and was not yet
# journaled), no resume (SR-4).
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f70_a_hang_in_the_journal_write_is_reset_and_journaled_as_interrupted():
    # SR-3, SR-4 (S11); SR-18: the job runs with the output off
    check("F70", 270)


def test_f71_a_hang_in_the_start_job_is_reset_and_journaled_as_a_reset():
    # SR-3, SR-4 (S11); SR-22: the job runs with the output off
    check("F71", 271)


def test_f72_a_hang_in_the_profile_pick_is_reset_and_journaled_as_a_reset():
    # SR-3, SR-4 (S11); SR-19: the job runs with the output off
    check("F72", 272)

# Fault matrix (host_tests/device/fault_matrix.py, issue 6): S16: a power cut while the journal line
# or the trace file is written.
# One test per case; the table holds each case's injection and expected outcome.
# Each test gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
from fault_support import check


def test_f49_power_cut_in_the_journal_write_loses_only_that_record():
    # SR-19, SR-18 (S16)
    check("F49", 249)


def test_f50_power_cut_in_the_trace_write_keeps_the_journal():
    # SR-19, SR-18 (S16)
    check("F50", 250)

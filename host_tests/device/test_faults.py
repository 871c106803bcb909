# The fault matrix (fault_matrix.py, issue 6): one test run once per case of
# the table, the case's id its parameter. Each row names what is injected,
# when, the safety requirements it tests (SR-n, its third column: docs/SAFETY.md
# cites the cases by id) and the safe outcome that fault_checks.py checks.
# One case alone:
#   pytest 'host_tests/device/test_faults.py::test_fault[F13]'
#   python -m tools.run_device_tests 'host_tests/device/test_faults.py::test_fault[F13]'
# Each case gets a unix-port interpreter (and heap) of its own: the marker below.
# device-tests: one interpreter per test
import gc

import fault_support

# Run test_fault(case_id) once per row (tools/sim/mptest.py, host_tests/conftest.py).
PARAMETRISE = {"test_fault": fault_support.case_ids()}


def test_fault(case_id):
    r = fault_support.run(case_id)
    gc.collect()  # the firmware's modules, purged at the end of the run
    import fault_checks  # after the run: the heap held the board, not them too

    fault_checks.check(r)

"""The fault matrix table (host_tests/device/fault_matrix.py) is whole: at least 30
cases, each run once by host_tests/device/test_faults.py, each injector and code a real one."""

from __future__ import annotations

import re
from pathlib import Path

import fault_matrix  # host_tests/device is on the path (conftest.py)

from firmware import names
from tools.sim import faults as injectors

DEVICE = Path(__file__).resolve().parent / "device"

OUTCOMES = ("latch", "stop", "pause", "go_on", "crash", "reset", "repl", "refuse", "safe", "cut",
            "safe_reset")
WHEN = ("boot", "idle", "checks", "wait_contact", "ramp", "treat", "pause", "rev_on", "rev_off",
        "ramp_down", "done")


def _injections(name, arg):
    if name == "all":
        for n, a in arg:
            yield from _injections(n, a)
    elif name == "after":
        yield from _injections(arg[1], arg[2])
    else:
        yield name


def test_each_case_is_run_once_by_its_id():
    # host_tests/device/test_faults.py runs its one test once per row, the id its
    # parameter (docs/SAFETY.md cites test_fault[Fnn]): every row, none twice.
    import test_faults

    ids = [c[0] for c in fault_matrix.CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 30, ids
    assert list(test_faults.PARAMETRISE) == ["test_fault"], test_faults.PARAMETRISE
    assert list(test_faults.PARAMETRISE["test_fault"]) == ids


def test_each_row_is_well_formed():
    for row in fault_matrix.CASES:
        cid, what, srs, when, inj, arg, outcome, code, bound, gap = row
        assert re.fullmatch(r"F\d\d", cid) and what and isinstance(gap, str), row
        assert re.fullmatch(r"SR-\d+( SR-\d+)*", srs), row
        assert when in WHEN and outcome in OUTCOMES, row
        for name in _injections(inj, arg):
            assert callable(getattr(injectors, name, None)), (cid, name)
        if outcome == "latch":
            assert code in names.FAULTS[1:], row
            assert bound is None or (type(bound) is int and bound >= 0), row
        elif outcome == "stop":
            assert code[0] in names.ENDS[1:] and (code[1] is None or code[1] in names.REFUSALS)
        elif outcome == "refuse":
            assert code in names.REFUSALS[1:], row
        elif outcome in ("reset", "safe_reset"):
            assert code in ("interrupted", "reset"), row  # the SR-4 record's end
        elif outcome == "go_on":
            assert type(bound) is int and bound > 0, row


def test_the_docs_give_the_number_of_cases_the_table_has():
    # README.md and docs/SAFETY.md say how many cases the matrix has; the
    # README's figure had drifted (72 for 73) before this test.
    root = DEVICE.parent.parent
    n = len(fault_matrix.CASES)
    readme = (root / "README.md").read_text()
    safety = (root / "docs" / "SAFETY.md").read_text()
    assert re.findall(r"fault matrix of (\d+) injected faults", readme) == [str(n)]
    assert re.findall(r"is one table of (\d+) cases", safety) == [str(n)]

"""pytest setup: the repo root on sys.path, and the `micropython` shim for CPython.

host_tests/device/ holds the device tests; they also run inside the MicroPython
unix port (tools/sim/mptest.py), so they are plain functions with bare asserts
and import their helpers from host_tests/device/support.py.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "host_tests" / "device"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import tools.sim.mpshim  # noqa: E402,F401  (provides `micropython` in CPython)

# gc.mem_alloc exists only in MicroPython: the allocation tests run in the unix
# port alone (`make devtest`), and pytest measures M6 there too, through
# host_tests/test_heap_budget.py. Not collected here rather than reported skipped.
collect_ignore = ["device/test_alloc.py", "device/test_sim_heap.py"]


@pytest.fixture(autouse=True)
def _history_out_of_the_home(tmp_path_factory, monkeypatch):
    # Every ionto command that connects keeps the board's journal in the host's
    # history (tools/ionto/history.py): in tests a fresh folder, never the
    # person's own data folder.
    monkeypatch.setenv("IONTO_DATA_DIR", str(tmp_path_factory.mktemp("ionto_data")))

"""pytest setup: the repo root on sys.path, and the `micropython` shim for CPython.

host_tests/device/ holds the device tests; they also run inside the MicroPython
unix port (tools/sim/mptest.py), so they are plain functions with bare asserts
and import their helpers from host_tests/device/support.py.
"""

import gc
import inspect
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

# The firmware collects its garbage after every job (firmware.job, bench and the
# console's bench: MicroPython's heap wants to be whole for the control loop).
# In CPython that is a full collection of this whole test process: about 40 ms a
# call, 22 s of make check's 80 s of pytest (cProfile, 2026-12-07), for nothing,
# since CPython frees by reference counting. Here a call from the firmware
# collects the youngest generation only; the unix port runs the real collection
# (`make devtest`), and every other caller gets the full one.
_full_collect = gc.collect


def _collect(generation: int = 2) -> int:
    caller = sys._getframe(1).f_globals.get("__name__", "")
    if generation == 2 and (caller == "firmware" or caller.startswith("firmware.")):
        return _full_collect(0)
    return _full_collect(generation)


gc.collect = _collect


def pytest_generate_tests(metafunc):
    # A device test module's PARAMETRISE = {"test_x": (p, ...)} runs test_x(p) once
    # per p, ids test_x[p]: pytest here, tools/sim/mptest.py in the unix port
    # (which has no pytest to import a decorator from).
    params = getattr(metafunc.module, "PARAMETRISE", {}).get(metafunc.function.__name__)
    if params is not None:
        (arg,) = inspect.signature(metafunc.function).parameters
        metafunc.parametrize(arg, params, ids=[str(p) for p in params])


# `make test` runs pytest on every core (pytest-xdist, `-n auto`), a unit of work at
# a time, each unit on one worker, in order. A device test file is a unit, as
# tools/run_device_tests.py runs them in the unix port: their boards' flash folders
# under build/ are named per file. The host tools' tests (and the device files that
# use those tools) share folders under ROOT/build (the compiled trees, the deploy and
# driver caches, the reference tree): together one unit, which xdist queues first (it
# orders units by their number of tests: this one has the most). xdist's own --dist
# loadgroup cannot do this under pytest 9 (it renames node ids through a field pytest 9
# no longer reads), hence a scheduler here.
HOST_UNIT = "host"
_DEVICE_FILES_OF_THE_HOST_UNIT = {"test_display.py", "test_power_cut.py", "test_sim_pack.py",
                                  "test_realtime_session.py"}
# Device files whose tests each write to a flash folder of their own: the fake hal's
# is per worker (support.fake_flash), a fault-matrix case's is named by its id
# (fault_support.Run): each test a unit of its own, so both cores share the file
# (test_transitions: two tests, about 22 s in one process, the longest of make check).
_DEVICE_FILES_BY_TEST = {"test_transitions.py", "test_faults.py"}


def _unit(nodeid: str) -> str:
    path = nodeid.split("::")[0]
    folder, _, name = path.rpartition("/")
    if not folder.endswith("device") or name in _DEVICE_FILES_OF_THE_HOST_UNIT:
        return HOST_UNIT
    if name in _DEVICE_FILES_BY_TEST:
        return nodeid
    return path


try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # pytest alone: one process, nothing to schedule
    pass
else:
    class _ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

    def pytest_xdist_make_scheduler(config, log):
        return _ByUnit(config, log)


@pytest.fixture(autouse=True)
def _history_out_of_the_home(tmp_path_factory, monkeypatch):
    # Every ionto command that connects keeps the board's journal in the host's
    # history (tools/ionto/history.py): in tests a fresh folder, never the
    # person's own data folder.
    monkeypatch.setenv("IONTO_DATA_DIR", str(tmp_path_factory.mktemp("ionto_data")))

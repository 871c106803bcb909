"""Run the device tests inside the MicroPython unix port, one interpreter per file.

Usage: python -m tools.run_device_tests [FOLDER | FILE | FILE::TEST ...]: every
test_*.py of a folder (default host_tests/device), the files named, or one test
(FILE::test_x, or one parameter of it: FILE::test_x[F13]).

Each file gets a fresh `micropython -X heapsize=512K`, as a board runs one
program at a time (a file marked ONE_PER_TEST: each test); as many run at once as
there are CPUs. The simulated boards (tools/sim/simboard.py) load the firmware
as a board does, compiled to .mpy: built first from the current sources into
build/mpy/sim (SIM_ROOT). Prints each file's result and a closing total line
"N passed, N failed, N skipped"; exits 1 on any failure or when nothing ran.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools import display_driver
from tools.check_device import compile_file
from tools.device_files import ROOT, TOP
from tools.firmware_build import BuildError, build

# The simulator shares the heap with the firmware: 192K, about a Pico's, no longer
# holds both for the fault matrix since issues 13 and 14 (the cases whose board
# the watchdog resets ran out at 320K when their checks were loaded after the
# run: not yet understood, issue 16). M8 measures the firmware's heap alone
# (test_heap_budget.py, make bench); these tests are not about memory.
HEAP = "512K"
SIM_ROOT = ROOT / "build" / "mpy" / "sim"
# Test helpers imported in the middle of a run, compiled ahead (mptest.py puts
# this folder first): compiling fault_checks.py after a fault-matrix run needed
# more heap than the run leaves.
HELPERS_MPY = ROOT / "build" / "mpy" / "sim_helpers"
HELPERS = ("host_tests/device/fault_checks.py",)
SLOWEST = 10  # the interpreters the summary names, slowest first
_CLOSING = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", re.M)


# A file with this line runs each of its tests in an interpreter of its own:
# one simulated board per heap, as a board runs one program (files whose
# boards reboot several times, where the unix port's 192K would otherwise
# hold the leftovers of the tests before).
ONE_PER_TEST = "# device-tests: one interpreter per test"


def _jobs(micropython: str, files: list[Path]) -> list[tuple[str, str]]:
    # (file, pick): a whole file, or one test of a ONE_PER_TEST file, each
    # parameter of a parametrised test on its own (mptest.py --list names them).
    jobs = []
    for f in files:
        rel = f.relative_to(ROOT).as_posix()
        if ONE_PER_TEST in f.read_text():
            r, _ = _run(micropython, rel, "--list")
            labels = [x for x in r.stdout.splitlines() if x.startswith(f.name + "::")]
            if r.returncode != 0 or not labels:
                jobs.append((rel, ""))  # the file's own run reports why
            else:
                jobs += [(rel, label) for label in labels]
        else:
            jobs.append((rel, ""))
    return jobs


def build_sim_root(out: Path = SIM_ROOT) -> str | None:
    """The device files as `ionto deploy` lays them out (boot.py and main.py as
    they are, the rest as .mpy), but for this machine (-march=host) with line numbers:
    the unix port then imports no firmware source. The compiler's transient
    heap at each import would otherwise share the 192K with the simulator and
    the firmware, which a board's does not (it loads .mpy). None, or the error."""
    shutil.rmtree(out, ignore_errors=True)  # nothing of a module since removed
    try:
        files = build(None, out)
    except BuildError as e:
        return str(e)
    for path, data in files:
        if path in TOP:  # build() compiles the modules in place, returns these as they are
            (out / path).write_bytes(data)
    # The display's driver, where `ionto deploy` puts it on a board that names
    # a display (lib/ssd1306.mpy): the simulated display boards and
    # test_display.py import it (fetched once from its declared source).
    try:
        err = compile_file(display_driver.BOARD_PATH, None, out / "lib" / "ssd1306.mpy",
                           display_driver.source().parent.parent)
    except display_driver.DriverError as e:
        return str(e)
    return err


def build_helpers(out: Path = HELPERS_MPY) -> str | None:
    """HELPERS as .mpy for this machine, line numbers kept. None, or the error."""
    shutil.rmtree(out, ignore_errors=True)
    for rel in HELPERS:
        if not (ROOT / rel).exists():
            continue  # a tree without them (test_tooling's small copies)
        err = compile_file(rel, None, out / Path(rel).with_suffix(".mpy").name)
        if err is not None:
            return err
    return None


def _run(micropython: str, rel: str, pick: str) -> tuple[subprocess.CompletedProcess, float]:
    cmd = [micropython, "-X", f"heapsize={HEAP}", "tools/sim/mptest.py", rel]
    env = dict(os.environ, IONTO_SIM_ROOT=str(SIM_ROOT),  # tools/sim/simboard.py
               IONTO_TEST_MPY=str(HELPERS_MPY))  # tools/sim/mptest.py
    t0 = time.monotonic()
    r = subprocess.run(cmd + ([pick] if pick else []), cwd=ROOT, capture_output=True,
                       text=True, timeout=900, env=env)
    return r, time.monotonic() - t0


def main(argv: list[str]) -> int:
    micropython = str(Path(sys.executable).parent / "micropython")
    totals = [0, 0, 0]
    broken = []
    files = []
    picked = []  # FILE::test or FILE::test[param]: that test alone
    for arg in argv or ["host_tests/device"]:
        path = ROOT / arg.split("::")[0]
        if "::" in arg:
            picked.append((path.relative_to(ROOT).as_posix(),
                           path.name + "::" + arg.split("::", 1)[1]))
        else:
            files += [path] if path.suffix == ".py" else sorted(path.glob("test_*.py"))
    error = build_sim_root() or build_helpers()
    if error is not None:
        print(error)
        return 1
    jobs = _jobs(micropython, files) + picked
    # The interpreters are independent: one per CPU at a time, results in order.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(lambda job: _run(micropython, *job), jobs))
    for (rel, pick), (r, _) in zip(jobs, results):
        label = pick or rel
        m = _CLOSING.search(r.stdout)
        if m is None or (r.returncode != 0 and int(m.group(2)) == 0):
            broken.append(label)
            print(f"{label}: runner failed (exit {r.returncode})")
            print(r.stdout[-3000:] + r.stderr[-3000:])
            continue
        counts = [int(g) for g in m.groups()]
        for k in range(3):
            totals[k] += counts[k]
        print(f"{label}: {m.group(0)}")
        if counts[1]:
            print("\n".join(line for line in r.stdout.splitlines()
                            if not line.startswith("ok ")))
    # Where the time went (as pytest's --durations): the slowest interpreters.
    slow = sorted(((sec, pick or rel) for (rel, pick), (_, sec) in zip(jobs, results)),
                  reverse=True)[:SLOWEST]
    print("slowest: " + ", ".join(f"{label} {sec:.0f} s" for sec, label in slow))
    print(f"micropython: "
          f"{totals[0]} passed, {totals[1] + len(broken)} failed, {totals[2]} skipped")
    return 1 if totals[1] or broken or totals[0] == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

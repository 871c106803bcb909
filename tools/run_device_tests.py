"""Run the device tests inside the MicroPython unix port, one interpreter per file.

Usage: python -m tools.run_device_tests [FOLDER | FILE ...]: every test_*.py of a
folder (default host_tests/device), or the files named.

Each file gets a fresh `micropython -X heapsize=192K`, as a board runs one
program at a time (a file marked ONE_PER_TEST: each test); as many run at once as
there are CPUs. Prints each file's result and a closing total line
"N passed, N failed, N skipped"; exits 1 on any failure or when nothing ran.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.device_files import ROOT

HEAP = "192K"
_CLOSING = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", re.M)


# A file with this line runs each of its tests in an interpreter of its own:
# one simulated board per heap, as a board runs one program (files whose
# boards reboot several times, where the unix port's 192K would otherwise
# hold the leftovers of the tests before).
ONE_PER_TEST = "# device-tests: one interpreter per test"


def _jobs(files: list[Path]) -> list[tuple[str, str]]:
    jobs = []
    for f in files:
        rel = f.relative_to(ROOT).as_posix()
        text = f.read_text()
        if ONE_PER_TEST in text:
            name = f.name
            jobs += [(rel, f"{name}::{t}") for t in re.findall(r"^def (test_\w+)\(", text, re.M)]
        else:
            jobs.append((rel, ""))
    return jobs


def _run(micropython: str, rel: str, pick: str) -> subprocess.CompletedProcess:
    cmd = [micropython, "-X", f"heapsize={HEAP}", "tools/sim/mptest.py", rel]
    return subprocess.run(cmd + ([pick] if pick else []), cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


def main(argv: list[str]) -> int:
    micropython = str(Path(sys.executable).parent / "micropython")
    totals = [0, 0, 0]
    broken = []
    files = []
    for arg in argv or ["host_tests/device"]:
        path = ROOT / arg
        files += [path] if path.suffix == ".py" else sorted(path.glob("test_*.py"))
    jobs = _jobs(files)
    # The interpreters are independent: one per CPU at a time, results in order.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(lambda job: _run(micropython, *job), jobs))
    for (rel, pick), r in zip(jobs, results):
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
    print(f"micropython: "
          f"{totals[0]} passed, {totals[1] + len(broken)} failed, {totals[2]} skipped")
    return 1 if totals[1] or broken or totals[0] == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

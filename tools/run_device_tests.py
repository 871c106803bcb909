"""Run the device tests inside the MicroPython unix port, one interpreter per file.

Usage: python -m tools.run_device_tests [FOLDER | FILE ...]: every test_*.py of a
folder (default host_tests/device), or the files named.

Each file gets a fresh `micropython -X heapsize=192K`, as a board runs one
program at a time. Prints each file's result and a closing total line
"N passed, N failed, N skipped"; exits 1 on any failure or when nothing ran.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tools.device_files import ROOT

HEAP = "192K"
_CLOSING = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", re.M)


def main(argv: list[str]) -> int:
    micropython = str(Path(sys.executable).parent / "micropython")
    totals = [0, 0, 0]
    broken = []
    files = []
    for arg in argv or ["host_tests/device"]:
        path = ROOT / arg
        files += [path] if path.suffix == ".py" else sorted(path.glob("test_*.py"))
    for f in files:
        rel = f.relative_to(ROOT).as_posix()
        r = subprocess.run([micropython, "-X", f"heapsize={HEAP}", "tools/sim/mptest.py", rel],
                           cwd=ROOT, capture_output=True, text=True, timeout=900)
        m = _CLOSING.search(r.stdout)
        if m is None or (r.returncode != 0 and int(m.group(2)) == 0):
            broken.append(rel)
            print(f"{rel}: runner failed (exit {r.returncode})")
            print(r.stdout[-3000:] + r.stderr[-3000:])
            continue
        counts = [int(g) for g in m.groups()]
        for k in range(3):
            totals[k] += counts[k]
        print(f"{rel}: {m.group(0)}")
        if counts[1]:
            print("\n".join(line for line in r.stdout.splitlines()
                            if not line.startswith("ok ")))
    print(f"micropython: "
          f"{totals[0]} passed, {totals[1] + len(broken)} failed, {totals[2]} skipped")
    return 1 if totals[1] or broken or totals[0] == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

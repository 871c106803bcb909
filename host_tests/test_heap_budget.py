"""M8 and M6 as a regression guard in `make test` (measures.md): the firmware,
compiled with mpy-cross as deployed, imported and running a session in the
MicroPython unix port with a 192K heap, stays within the 40 KB heap bar, and
the control tick allocates nothing. `make bench` prints the same figures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
M8_BAR_BYTES = 40 * 1024  # measures.md M8: <= 40 KB heap


def _measure() -> dict:
    subprocess.run([sys.executable, "-m", "tools.check_device"], cwd=ROOT, check=True,
                   capture_output=True)
    mp = shutil.which("micropython") or str(Path(sys.executable).parent / "micropython")
    r = subprocess.run([mp, "-X", "heapsize=192K", "tools/sim/bench_device.py"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_heap_within_the_m8_bar_and_no_allocation_per_tick():
    fig = _measure()
    assert fig["M8_imported_from_mpy"] is True  # measured as a board imports it
    assert fig["M8_heap_import_bytes"] <= M8_BAR_BYTES, fig
    assert fig["M8_heap_running_bytes"] <= M8_BAR_BYTES, fig
    assert (fig["M6_ramp_bytes"], fig["M6_treat_bytes"], fig["M6_pause_bytes"]) == (0, 0, 0)

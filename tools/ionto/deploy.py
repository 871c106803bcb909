"""`ionto deploy`: the device files onto a board, precompiled, only what changed.

Every module is compiled with mpy-cross for the board's native architecture
(sys.implementation._mpy, else by its port: tools/check_device.py's ARCH_BY_PORT;
the firmware's hot functions are native code) with MPY_FLAGS, as `make mpy` checks them,
and sent as .mpy; boot.py and main.py stay .py (the board runs only those
names at boot). A file whose sha256 on the board matches is not sent; each
sent file is written to a temporary name and renamed, then its hash is
checked on the board. A board whose description names a display also gets
the ssd1306 driver (tools/display_driver.py). A .py twin of a deployed
.mpy is removed (the board would import the .py first). A board that had no
firmware to set its clock with at connect gets it set now
(tools/ionto/board_clock.py). Then a soft reset starts the firmware.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import TextIO

from tools import display_driver
from tools.check_device import ARCH_BY_PORT, arch_of, mpy_cross
from tools.device_files import ROOT
from tools.firmware_build import build
from tools.ionto import board_clock
from tools.ionto.link import HOST_VERSION, DeviceError, Link, LinkError


def mpy_version() -> tuple[int, int]:
    # "... mpy-cross emitting mpy v6.3"
    out = subprocess.run([mpy_cross(), "--version"], capture_output=True, text=True).stdout
    major, minor = out.strip().rsplit("v", 1)[1].split(".")
    return int(major), int(minor)


def wanted(board: dict) -> bool:
    """Does this board description name a display?"""
    return bool(board.get("display"))


def board_name(link) -> str:
    """The board description the board will load (firmware/boards/__init__.py):
    its board.txt, else the one for the board MicroPython names."""
    from firmware.boards import default_name

    txt = link.get("board.txt")
    if txt is not None and txt.strip():
        return txt.decode("utf-8", "replace").strip()
    out = link.exec("import sys\n"
                    "print(sys.platform + '|' + getattr(sys.implementation, '_machine', ''))\n")
    platform, _, machine = out.strip().splitlines()[-1].partition("|")
    return default_name(platform, machine)


def board_files(link, arch: str | None,
                dest: Path = display_driver.CACHE / "mpy") -> list[tuple[str, bytes]]:
    """What `ionto deploy` adds for the board's display: the driver as
    lib/ssd1306.mpy when its description names one, else nothing."""
    from tools.device_files import BOARD_NAMES
    from tools.sim.simboard import load_board

    name = board_name(link)
    if name not in BOARD_NAMES:
        return []  # the board's own check refuses it at boot, in its own words
    if not wanted(load_board(name, str(ROOT))):
        return []
    return display_driver.driver_file(arch, dest)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folders(paths: list[str]) -> list[str]:
    """Every folder the paths need, parents first."""
    out: set[str] = set()
    for p in paths:
        out.update(str(d) for d in PurePosixPath(p).parents if str(d) != ".")
    return sorted(out, key=lambda d: (d.count("/"), d))


class Progress:
    """One line redrawn in place on a terminal; one line per file otherwise (logs)."""

    def __init__(self, total: int, stream: TextIO, width: int = 24):
        self.total = max(total, 1)
        self.stream = stream
        self.width = width
        self.tty = stream.isatty()
        self.done = 0

    def step(self, name: str, size: int) -> None:
        self.done += 1
        if not self.tty:
            print(f"  copied {name} ({size} bytes)", file=self.stream, flush=True)
            return
        n = self.done * self.width // self.total
        line = f"  [{'#' * n}{'-' * (self.width - n)}] {self.done}/{self.total} {name}"
        print(f"\r{line:<78.78}", end="", file=self.stream, flush=True)

    def end(self) -> None:
        if self.tty and self.done:
            print(file=self.stream)


def check_board(link: Link) -> str:
    """The .mpy architecture for the board; LinkError when it cannot load ours."""
    port, mpy = link.platform()
    if port not in ARCH_BY_PORT:
        raise LinkError(f"the board's MicroPython port is {port}; ionto runs on "
                        f"{' and '.join(ARCH_BY_PORT)}")
    # The native code the board itself loads (the served board: the unix port's).
    arch = arch_of(mpy) or ARCH_BY_PORT[port]
    ours = mpy_version()
    if mpy is not None and (mpy & 0xFF, mpy >> 8 & 3) != ours:
        raise LinkError(f"the board's MicroPython loads .mpy v{mpy & 0xFF}.{mpy >> 8 & 3}, "
                        f"mpy-cross makes v{ours[0]}.{ours[1]}: put MicroPython 1.28 or newer "
                        "on the board (docs/deploy.md)")
    return arch


def deploy(link: Link, out: TextIO | None = None) -> dict:
    """Deploy to a connected board; returns the summary's figures."""
    out = out or sys.stdout
    arch = check_board(link)
    try:
        before_version = link.firmware_version() or "none"
    except DeviceError as e:  # a broken install is what deploy is for
        before_version = f"that does not load ({e})"
    files = build(arch) + board_files(link, arch)  # docs/display.md
    twins = [p[:-len(".mpy")] + ".py" for p, _ in files if p.endswith(".mpy")]
    on_board = link.hashes([p for p, _ in files] + twins)
    changed = [(p, data) for p, data in files if on_board[p] != sha256(data)]
    print(f"{link.port}: {len(files)} device files for {arch}, {len(changed)} to copy "
          f"(firmware {before_version} on the board, {HOST_VERSION} here)",
          file=out, flush=True)
    link.mkdirs(folders([p for p, _ in changed]))
    bar = Progress(len(changed), out)
    for p, data in changed:
        link.put(p, data)
        bar.step(p, len(data))
    bar.end()
    after = link.hashes([p for p, _ in changed])
    bad = [p for p, data in changed if after[p] != sha256(data)]
    if bad:
        raise LinkError(f"{len(bad)} copied files differ on the board ({', '.join(bad)}): "
                        "deploy again")
    stale = [t for t in twins if on_board[t] is not None]
    link.remove(stale)
    size = sum(len(data) for _, data in changed)
    print(f"copied {len(changed)} files ({size} bytes), verified by sha256; "
          f"{len(files) - len(changed)} unchanged; {len(stale)} stale .py removed"
          + (f" ({', '.join(stale)})" if stale else ""), file=out, flush=True)
    if not link.clock_said:  # no console at connect (a fresh board): now there is one
        board_clock.set_clock(link)
    said = link.soft_reset()  # a soft reset keeps the clock (board_clock.py)
    print(f"soft reset: {said}", file=out, flush=True)
    return {"files": len(files), "copied": [p for p, _ in changed], "removed": stale,
            "boot": said}

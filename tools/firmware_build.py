"""The device files as `ionto deploy` writes them to a board: boot.py and main.py
as they are, every other module compiled with mpy-cross for the board's
architecture (tools/check_device.py's MPY_FLAGS). The simulator builds the same
for this machine's unix port (tools/run_device_tests.py, tools/sim/replboard.py),
which is why this is not part of tools/ionto: the simulator does not import the
host tools."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from tools.check_device import compile_file
from tools.device_files import CLONE, ROOT, TOP, device_files

BUILD = (ROOT / "build" if CLONE else Path("build")) / "deploy"


class BuildError(Exception):
    """A file that does not compile, or a driver that cannot be had: one line for
    the person (`ionto` exits 2, as for a LinkError)."""


def build(arch: str | None, dest: Path | None = None) -> list[tuple[str, bytes]]:
    """(path on the board, contents) of every device file, modules compiled for
    arch into dest (default build/deploy/ARCH). arch None: for this machine's unix port
    with line numbers (the simulator's build, tools/run_device_tests.py)."""
    dest = dest or BUILD / str(arch)
    files = []
    for rel in device_files():
        if rel in TOP:
            files.append((rel, (ROOT / rel).read_bytes()))
            continue
        dev = PurePosixPath(rel).with_suffix(".mpy").as_posix()
        target = dest / dev
        err = compile_file(rel, arch, target)
        if err is not None:
            raise BuildError(f"mpy-cross {arch or 'host'} failed on {rel}: {_one_line(err)}")
        files.append((dev, target.read_bytes()))
    return files


def _one_line(text: str) -> str:
    return " / ".join(x.strip() for x in text.splitlines() if x.strip())

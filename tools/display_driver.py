"""The ssd1306 driver, for a board whose description names a display (issue 17).

The firmware drives the optional OLED through MicroPython's own `ssd1306.py`
(drivers/display in the MicroPython repository, now in micropython-lib); no
copy of it is committed here. `ionto deploy`, the simulator and the tests take
it from one declared source, pinned twice by sha256 (the archive and the file):
the PyPI sdist `micropython-ssd1306` 0.3, which carries that driver as it stood
in MicroPython's repository in 2021 (the micropython-lib file of today adds
the SET_IREF_SELECT command a few clone panels need, the centring of narrow
panels and rotate(): none of which this firmware uses; docs/display.md).
micropython.org, where `mip install ssd1306` fetches micropython-lib's, is not
reachable from every machine that builds this project (its CI), PyPI is.
The archive has no setup.py, so pip cannot fetch it: it is downloaded from
PyPI's JSON API, checked, and the one file kept under build/drivers/lib/, as
the board has it (lib/ssd1306.mpy, where mip would put it).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

from tools.device_files import CLONE, ROOT
from tools.firmware_build import BuildError

PACKAGE = "micropython-ssd1306"
VERSION = "0.3"
SDIST = "micropython-ssd1306-0.3.tar.gz"
SDIST_SHA256 = "d00cae1ff680e6ae504e258e700f002874b0d924b1a604253b6ea63144b58289"
MEMBER = "micropython-ssd1306-0.3/ssd1306.py"
SHA256 = "fcdaff406b4c5cc56bc99a5cb1e85d58be2108b43d1bb50c432062323a48edb7"
BOARD_PATH = "lib/ssd1306.py"  # on the board as lib/ssd1306.mpy (sys.path has /lib)
CACHE = (ROOT / "build" if CLONE else Path("build")) / "drivers"


class DriverError(BuildError):
    # `ionto deploy` says it in one line, as its other failures.
    pass


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def sdist_url(get=_download) -> str:
    """The archive's address, from PyPI's JSON API (the project's releases)."""
    meta = json.loads(get(f"https://pypi.org/pypi/{PACKAGE}/json"))
    for f in meta["releases"].get(VERSION, ()):
        if f["filename"] == SDIST:
            return f["url"]
    raise DriverError(f"PyPI lists no {SDIST} for {PACKAGE} {VERSION}")


def extract(archive: bytes) -> bytes:
    """The driver's source from the archive, both checked against their pins."""
    if _sha(archive) != SDIST_SHA256:
        raise DriverError(f"{SDIST}: sha256 {_sha(archive)}, expected {SDIST_SHA256}")
    with tarfile.open(fileobj=io.BytesIO(archive)) as t:
        f = t.extractfile(MEMBER)
        if f is None:
            raise DriverError(f"{SDIST} has no {MEMBER}")
        data = f.read()
    if _sha(data) != SHA256:
        raise DriverError(f"{MEMBER}: sha256 {_sha(data)}, expected {SHA256}")
    return data


def source(cache: Path = CACHE, get=_download) -> Path:
    """The driver's file (cache/lib/ssd1306.py), downloaded the first time;
    a cached file whose sha256 is not the pin's is fetched again."""
    path = cache / BOARD_PATH
    if path.is_file() and _sha(path.read_bytes()) == SHA256:
        return path
    try:
        data = extract(get(sdist_url(get)))
    except (OSError, ValueError, KeyError) as e:  # URLError is an OSError
        raise DriverError(f"cannot fetch the ssd1306 driver ({PACKAGE} {VERSION}) "
                          f"from PyPI: {e}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def driver_file(arch: str | None, dest: Path = CACHE / "mpy") -> list[tuple[str, bytes]]:
    """The driver compiled for arch, as the board has it: [(lib/ssd1306.mpy, bytes)]."""
    from tools.check_device import compile_file

    src = source()
    target = dest / str(arch) / "lib" / "ssd1306.mpy"
    err = compile_file(BOARD_PATH, arch, target, src.parent.parent)
    if err is not None:
        raise DriverError(f"mpy-cross {arch} failed on the ssd1306 driver: {err}")
    return [("lib/ssd1306.mpy", target.read_bytes())]

"""The installed `ionto` command: the one top-level package the wheel installs.

The host tools import `tools.*` and `firmware.*`, and the simulator runs the device
code as the board does (`import firmware.app`, `boot`, `main`). In a clone those are
the repository's own folders. The wheel carries the same layout under ionto/_app
(pyproject.toml), and only this process puts it on sys.path: site-packages gets no
top-level `tools` or `firmware` that could clash with another project's.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# Installed: ionto/_app next to this file. A clone (an editable install or
# `python -m tools.launcher`): the repository root, two levels up.
APP = _HERE / "_app" if (_HERE / "_app").is_dir() else _HERE.parents[1]


def main(argv: list[str] | None = None) -> int:
    if str(APP) not in sys.path:
        sys.path.insert(0, str(APP))
    from tools.ionto.cli import main as cli_main

    return cli_main(argv)

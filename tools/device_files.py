"""The one definition of which files are device files (deployed to the board)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A clone of the repository, or the copy an installed ionto carries (tools/launcher):
# the installed one writes what it builds under the current folder, never into
# site-packages, and has no git history for `ionto bench`.
CLONE = (ROOT / "pyproject.toml").is_file()
TOP = ("boot.py", "main.py")
TREES = ("firmware", "lib")


# The board descriptions (firmware/boards/*.py), by module name: the folder is the
# list (a tuple in the firmware would put each name in the board's qstr pool, M8).
BOARD_NAMES = tuple(sorted(p.stem for p in (ROOT / "firmware" / "boards").glob("*.py")
                           if not p.stem.startswith("_")))


def device_files(root: Path = ROOT) -> list[str]:
    files = [f for f in TOP if (root / f).is_file()]
    for tree in TREES:
        files += sorted(
            p.relative_to(root).as_posix() for p in (root / tree).rglob("*.py")
            if "__pycache__" not in p.parts
        )
    return files

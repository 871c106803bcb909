"""The one definition of which files are device files (deployed to the board)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = ("boot.py", "main.py")
TREES = ("firmware", "lib")


def device_files(root: Path = ROOT) -> list[str]:
    files = [f for f in TOP if (root / f).is_file()]
    for tree in TREES:
        files += sorted(
            p.relative_to(root).as_posix() for p in (root / tree).rglob("*.py")
            if "__pycache__" not in p.parts
        )
    return files

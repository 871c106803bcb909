"""The parts list of each build, written from design.py: hardware/bom_<board>.csv.

    python -m tools.circuit.bom          # writes both files
host_tests/test_circuit_erc.py fails when a committed file differs from what this writes.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from tools.circuit import design

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ("ref", "value", "role", "rating", "footprint", "mpn", "alternative")


def text(board: str) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for p in design.parts(board):
        w.writerow((p.ref, p.value, p.role, p.rating, p.footprint, p.mpn, p.alt))
    return out.getvalue()


def path(board: str) -> Path:
    return ROOT / "hardware" / f"bom_{board}.csv"


def write_each(text_of, path_of) -> int:
    """Write each build's file: text_of(board) into path_of(board)."""
    for board in design.BOARDS:
        path_of(board).write_text(text_of(board), encoding="utf-8")
        print("wrote", path_of(board).relative_to(ROOT))
    return 0


def main() -> int:
    return write_each(text, path)


if __name__ == "__main__":
    sys.exit(main())

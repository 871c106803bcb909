"""Read the tables and code blocks of the docs, for the tests that keep them in step
with the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def text(name: str) -> str:
    """A doc by its path from the repository root ("README.md", "docs/using.md")."""
    return (ROOT / name).read_text(encoding="utf-8")


def table(doc: str, header: str) -> list[list[str]]:
    """The rows (cells stripped) of the table whose header line starts with `header`."""
    start = doc.find("\n" + header)
    assert start >= 0, f"no table starting {header!r}"
    rows = []
    for line in doc[start + 1:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    assert rows, f"table {header!r} has no rows"
    return rows


def code_blocks(doc: str, lang: str) -> list[str]:
    """The fenced code blocks of one language, in order."""
    return re.findall(r"```" + lang + r"\n(.*?)```", doc, flags=re.S)


def untick(cell: str) -> str:
    """`pin_set` -> pin_set"""
    return cell.strip().strip("`")


def number(cell: str, unit: str) -> float:
    """'500 ms' with unit 'ms' -> 500.0; anything else fails the test."""
    m = re.fullmatch(r"([\d.]+) " + re.escape(unit), cell)
    assert m, f"{cell!r} is not a number in {unit}"
    return float(m.group(1))

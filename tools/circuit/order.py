"""The order list of each build: the circuit's parts (design.py) grouped by part number,
and the parts off the circuit (offboard.py), each with its quantity, unit price
(prices.py) and line total, and the build's total. Written to
hardware/order_<board>.csv by `python -m tools.circuit`; docs/build.md quotes the totals
and host_tests/test_order.py fails when a quoted total or a committed file differs from
what this computes.

A circuit part whose part number says it is not chosen yet, or that prices.py does not
price yet, has no price: it is listed, and the total says that it leaves it out (and
host_tests/test_order.py fails for a chosen part with no price).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from tools.circuit import bom, design, offboard, prices

COLUMNS = ("qty", "refs", "what", "rating", "mpn", "alternative", "unit_usd",
           "line_usd", "price_basis")
NOT_CHOSEN = "not chosen"


@dataclass(frozen=True)
class Line:
    qty: int
    refs: str  # designators, or the offboard item's key
    what: str
    rating: str
    mpn: str
    alt: str
    price: prices.Price | None  # None: not chosen yet, or no price yet

    @property
    def total(self) -> float:
        return 0.0 if self.price is None else round(self.qty * self.price.usd, 2)


def lines(board: str) -> list[Line]:
    groups: dict[str, list[design.Part]] = {}
    for p in design.parts(board):
        groups.setdefault(p.mpn, []).append(p)
    out = []
    for mpn, ps in groups.items():
        first = ps[0]
        price = None
        if not mpn.startswith(NOT_CHOSEN):
            try:
                price = prices.price(mpn)
            except KeyError:
                pass  # listed as "no price yet"
        what = first.role if len(ps) == 1 else " / ".join(dict.fromkeys(p.value for p in ps))
        out.append(Line(len(ps), " ".join(p.ref for p in ps), what, first.rating, mpn,
                        first.alt, price))
    for it in offboard.items(board):
        out.append(Line(it.qty, it.key, it.what, it.rating, it.mpn, it.alt, it.price))
    return out


@dataclass(frozen=True)
class Totals:
    total: float
    estimated: float  # the part of the total from estimates
    looked_up: float
    not_chosen: tuple[str, ...]  # refs with no part or no price yet


def totals(board: str) -> Totals:
    ls = lines(board)
    est = round(sum(x.total for x in ls if x.price is not None and x.price.estimate), 2)
    got = round(sum(x.total for x in ls if x.price is not None and not x.price.estimate), 2)
    missing = tuple(r for x in ls if x.price is None for r in x.refs.split())
    return Totals(round(est + got, 2), est, got, missing)


def _basis(line: Line) -> str:
    p = line.price
    if p is None:
        return "not chosen yet" if line.mpn.startswith(NOT_CHOSEN) else "no price yet"
    if p.estimate:
        return "estimate"
    return f"{p.where}, {p.date}, {p.source}"


def text(board: str) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for x in lines(board):
        w.writerow((x.qty, x.refs, x.what, x.rating, x.mpn, x.alt,
                    "" if x.price is None else f"{x.price.usd:.2f}", f"{x.total:.2f}",
                    _basis(x)))
    t = totals(board)
    w.writerow(("", "TOTAL", "", "", "", "", "", f"{t.total:.2f}",
                f"of which estimated {t.estimated:.2f}, looked up {t.looked_up:.2f}"
                + (f"; leaves out {' '.join(t.not_chosen)} (no part or no price yet)"
                   if t.not_chosen else "")))
    return out.getvalue()


def path(board: str) -> Path:
    return bom.ROOT / "hardware" / f"order_{board}.csv"


def main() -> int:
    return bom.write_each(text, path)

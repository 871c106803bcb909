"""The order lists (tools/circuit/order.py): every circuit part that is chosen has a
price (prices.py) and every price belongs to a part; the committed
hardware/order_<board>.csv is what the tool writes; and the totals docs/build.md quotes
are the ones the tool computes from the table (a total typed in by hand, or left
behind by a price change, fails here)."""

from __future__ import annotations

import re

import pytest
from doc_tables import DOCS

from tools.circuit import design, offboard, order, prices


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_committed_order_list_is_current(board):
    assert order.path(board).read_text(encoding="utf-8") == order.text(board), (
        "run `make circuit`")


def test_every_price_belongs_to_a_part_and_every_chosen_part_has_one():
    used = {p.mpn for b in design.BOARDS for p in design.parts(b)}
    assert set(prices.PRICES) <= used, f"prices of no part: {set(prices.PRICES) - used}"
    for mpn in used:
        if not mpn.startswith(order.NOT_CHOSEN):
            prices.price(mpn)  # raises KeyError when there is none
    for prefix in prices.SERIES:
        assert any(m.startswith(prefix) for m in used), f"series of no part: {prefix}"


def test_a_looked_up_price_says_where_and_when():
    everything = list(prices.PRICES.values()) + list(prices.SERIES.values()) + [
        x.price for x in offboard.ITEMS]
    for p in everything:
        assert p.usd > 0
        if not p.estimate:
            assert p.where and re.fullmatch(r"\d{4}-\d\d-\d\d", p.date) and p.source, p


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_total_adds_up_the_lines(board):
    t = order.totals(board)
    lines = order.lines(board)
    assert t.total == pytest.approx(sum(x.total for x in lines), abs=0.005)
    assert t.total == pytest.approx(t.estimated + t.looked_up, abs=0.005)
    assert all(x.qty >= 1 for x in lines)


@pytest.mark.parametrize("board", design.BOARDS)
def test_build_md_quotes_the_computed_totals(board):
    text = (DOCS / "build.md").read_text(encoding="utf-8")
    m = re.search(rf"^\| `{board}` \| ([\d.]+) USD \| ([\d.]+) USD \| ([\d.]+) USD \| "
                  r"([^|]*) \|$", text, flags=re.M)
    assert m, f"docs/build.md has no totals row for {board}"
    t = order.totals(board)
    assert float(m.group(1)) == pytest.approx(t.total, abs=0.005)
    assert float(m.group(2)) == pytest.approx(t.estimated, abs=0.005)
    assert float(m.group(3)) == pytest.approx(t.looked_up, abs=0.005)
    left_out = m.group(4).strip()
    assert (left_out == "nothing") == (not t.not_chosen), left_out
    for ref in t.not_chosen:
        assert ref in left_out, f"build.md does not say that the total leaves out {ref}"

"""The stripboard layout (hardware/stripboard_<board>.csv, written by
tools/circuit/stripboard.py from design.py) read back as a builder would build it: each
strip is copper from end to end except where it is cut, each wire link joins its two
holes, each pin sits in its hole. The connections this gives must be exactly the
netlist's: every net joined, no two nets (or an unused socket pin) touching, every part
of the parts list placed once and nothing else. The checker here is written apart from
the tool (it reads only the file), and the controls show that it finds a missing link
(an open net) and a missing cut (two nets shorted).
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from tools.circuit import bom, design, stripboard, stripboard_svg


def _hole(name: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", name)
    assert m, name
    row = 0
    for ch in m.group(1):
        row = row * 26 + ord(ch) - 64
    return row - 1, int(m.group(2)) - 1


def _read(text: str):
    rows, cols = None, None
    pins: dict[tuple[int, int], tuple[str, str]] = {}
    cuts: set[tuple[int, int]] = set()
    links: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for r in csv.DictReader(io.StringIO(text)):
        if r["what"] == "board":
            rows, cols = (int(x) for x in re.findall(r"\d+", r["ref_or_net"]))
        elif r["what"] == "pin":
            h = _hole(r["hole"])
            assert h not in pins, f"two pins in {r['hole']}"
            pins[h] = (r["ref_or_net"], r["pin"])
        elif r["what"] == "cut":
            a, b = _hole(r["hole"]), _hole(r["to_hole"])
            assert a[0] == b[0] and b[1] == a[1] + 1, "a cut is between two holes of a strip"
            cuts.add(a)
        elif r["what"] == "link":
            links.append((_hole(r["hole"]), _hole(r["to_hole"])))
    assert rows and cols
    return rows, cols, pins, cuts, links


def _groups(rows, cols, pins, cuts, links) -> list[set[tuple[str, str]]]:
    """The pins that the copper and the links join, one set per connected piece."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(h):
        parent.setdefault(h, h)
        while parent[h] != h:
            parent[h] = parent[parent[h]]
            h = parent[h]
        return h

    def join(a, b):
        parent[find(a)] = find(b)

    ends = [h for link in links for h in link]
    assert len(ends) == len(set(ends)), "two link ends in one hole"
    assert not set(ends) & set(pins), "a link end in a pin's hole"
    for r, c in list(pins) + ends:
        assert 0 <= r < rows and 0 <= c < cols, f"hole {(r, c)} off the board"
    for r in range(rows):
        for c in range(cols - 1):
            if (r, c) not in cuts:
                join((r, c), (r, c + 1))
    for a, b in links:
        join(a, b)
    out: dict[tuple[int, int], set[tuple[str, str]]] = {}
    for h, pin in pins.items():
        out.setdefault(find(h), set()).add(pin)
    return list(out.values())


def _check(board: str, text: str) -> None:
    rows, cols, pins, cuts, links = _read(text)
    placed = {ref for ref, _ in pins.values()}
    listed = {line.split(",")[0] for line in bom.text(board).splitlines()[1:]}
    assert placed == listed, f"placed but not listed {placed - listed}, " \
                             f"listed but not placed {listed - placed}"
    want = {(p.ref, pin): net for p in design.parts(board) for pin, net in p.pins.items()}
    assert set(pins.values()) == set(want), "the placed pins are not the parts' pins"
    groups = _groups(rows, cols, pins, cuts, links)
    for g in groups:
        nets = {want[p] for p in g}
        assert len(nets) == 1, f"nets shorted together: {sorted(nets)}"
        assert "NC" not in nets or len(g) == 1, f"an unused pin joined to others: {sorted(g)}"
    for net, members in design.nets(board).items():
        holding = [g for g in groups if set(members) & g]
        assert len(holding) == 1, f"{net} is split into {len(holding)} pieces"
        assert set(members) == holding[0], net


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_layout_connects_exactly_the_netlist(board):
    _check(board, stripboard.csv_path(board).read_text(encoding="utf-8"))


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_committed_layout_and_figure_are_current(board):
    lay = stripboard.layout(board)
    assert stripboard.csv_path(board).read_text(encoding="utf-8") == stripboard.text(lay), (
        "run `make circuit`")
    assert stripboard.svg_path(board).read_text(encoding="utf-8") == stripboard_svg.svg(lay)


def _without(text: str, what: str, index: int) -> str:
    lines = text.splitlines(keepends=True)
    hits = [i for i, x in enumerate(lines) if x.startswith(what + ",")]
    del lines[hits[index]]
    return "".join(lines)


def test_control_a_missing_link_is_an_open_net():
    text = stripboard.csv_path("pico").read_text(encoding="utf-8")
    with pytest.raises(AssertionError, match="split"):
        _check("pico", _without(text, "link", 0))


def test_control_a_missing_cut_shorts_two_nets():
    text = stripboard.csv_path("pico").read_text(encoding="utf-8")
    with pytest.raises(AssertionError, match="shorted|unused pin"):
        _check("pico", _without(text, "cut", 0))


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_trip_test_button_has_its_four_legs_each_pin_on_one_strip(board):
    # SW4 (Omron B3F) stands on the board: each pin's two legs, joined inside the switch,
    # on one strip 3 holes apart and the two pins 2 strips apart. The checker above sees
    # them as pins: a leg on another net's piece of strip would short it.
    rows = [r for r in csv.DictReader(io.StringIO(stripboard.csv_path(board).read_text(
        encoding="utf-8"))) if r["what"] == "pin" and r["ref_or_net"] == "SW4"]
    legs = {p: sorted(_hole(r["hole"]) for r in rows if r["pin"] == p) for p in ("1", "2")}
    assert len(rows) == 4
    for (ra, ca), (rb, cb) in legs.values():
        assert ra == rb and cb - ca == 3
    assert legs["2"][0][0] - legs["1"][0][0] == 2


def test_control_a_cut_between_the_button_legs_of_one_pin_fails():
    # The checker reads the second leg as the pin too: a cut between the two legs puts
    # SW4's pin 1 on two pieces of strip, which it reports as a split net.
    text = stripboard.csv_path("pico").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(io.StringIO(text))
            if r["what"] == "pin" and r["ref_or_net"] == "SW4" and r["pin"] == "1"]
    r, c = min(_hole(x["hole"]) for x in rows)
    cut = f"cut,,,{stripboard.hole_name((r, c + 1))},{stripboard.hole_name((r, c + 2))},\n"
    assert cut not in text
    with pytest.raises(AssertionError, match="split"):
        _check("pico", text + cut)

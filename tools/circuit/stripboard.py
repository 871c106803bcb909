"""A stripboard layout of each build, made from the circuit source (design.py), so that
it cannot drift from the netlist: where each part goes, where the strips are cut, and
which wire links join the pieces of strip that carry the same net.

    python -m tools.circuit.stripboard      # writes hardware/stripboard_<board>.csv
                                            # and docs/figures/stripboard_<board>.svg

The layout is machine-placed, not hand-optimised: the microcontroller's sockets at the
right-hand edge, then each next part (the one with most signal nets already on the
board) at the free place nearest to the pins of its nets, across the strips (its pins
on different strips); every strip is cut
between two pins of different nets; the pieces of one net are joined by wire links
along a shortest tree. host_tests/test_stripboard.py rebuilds the connections from the
written file alone (strips, cuts, links) and fails unless they are exactly the
netlist's nets: no net split, no two nets joined, every part placed once.

Coordinates: strips are rows, lettered from A at the top; holes are columns, numbered
from 1 at the left (the copper side seen through the board from the parts side).
Parts that sit on the enclosure's lid (the buttons, the status LED) are wired to two
holes ("pads"). Pin positions are the footprints' rounded to the 2.54 mm grid.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tools.circuit import design

ROOT = Path(__file__).resolve().parents[2]
PITCH_MM = 2.54  # the holes' spacing, along and across the strips
ROWS, COLS = 39, 86  # 99.1 x 218.4 mm of stripboard for every build (offboard.py's)
GAP = 3  # free holes kept between two parts along a strip: a tap each side of a cut
VGAP = 1  # free strips kept between two parts above one another

Hole = tuple[int, int]  # (row, column), both from 0


@dataclass
class Shape:
    pins: dict[str, Hole]  # pin -> offset from the part's origin
    body: tuple[int, int, int, int]  # rows and columns the part covers: r0, c0, r1, c1
    how: str  # "board", "pads" (wired from the lid), "module"
    # a pin's further legs, joined to it inside the part (SW4's B3F): pin -> offsets
    legs: dict[str, tuple[Hole, ...]] = field(default_factory=dict)


@dataclass
class Placed:
    ref: str
    origin: Hole
    shape: Shape

    def pin_holes(self) -> dict[str, Hole]:
        r, c = self.origin
        return {p: (r + dr, c + dc) for p, (dr, dc) in self.shape.pins.items()}

    def all_holes(self) -> list[tuple[str, Hole]]:
        """Every leg's hole: the pins', then the further legs of a pin (same pin name)."""
        r, c = self.origin
        return list(self.pin_holes().items()) + [
            (p, (r + dr, c + dc)) for p, offs in self.shape.legs.items() for dr, dc in offs]

    def box(self) -> tuple[int, int, int, int]:
        r, c = self.origin
        r0, c0, r1, c1 = self.shape.body
        return r + r0, c + c0, r + r1, c + c1


@dataclass
class Layout:
    board: str
    rows: int
    cols: int
    parts: list[Placed] = field(default_factory=list)
    cuts: list[Hole] = field(default_factory=list)
    links: list[tuple[str, Hole, Hole]] = field(default_factory=list)  # net, a, b


def _pitch(fp: str) -> int:
    m = re.search(r"_P(\d+\.\d+)mm", fp)
    return max(1, round(float(m.group(1)) / 2.54)) if m else 1


def _column(pins: list[str], step: int = 1) -> dict[str, Hole]:
    return {p: (i * step, 0) for i, p in enumerate(pins)}


def _sorted_pins(part: design.Part) -> list[str]:
    return sorted(part.pins, key=lambda p: (len(p), p))


def shape(part: design.Part) -> Shape:
    """The part's pins on the grid, across the strips (one pin per strip)."""
    fp = part.footprint
    pins = _sorted_pins(part)
    if "SW_TH_Tactile_Omron_B3F" in fp:  # on the board (SW4): its four legs 6.5 mm apart
        # along the strips and 4.5 mm across (the footprint), rounded to 3 holes and 2
        # strips: each pin's two legs (joined inside the switch) on one strip
        return Shape({"1": (0, 0), "2": (2, 0)}, (0, 0, 2, 3), "board",
                     legs={"1": ((0, 3),), "2": ((2, 3),)})
    if fp.startswith(("Button_Switch", "LED_THT")):
        return Shape(_column(pins), (0, 0, len(pins) - 1, 0), "pads")
    if fp.startswith("Package_DIP:DIP-"):
        n = int(re.search(r"DIP-(\d+)", fp).group(1))  # type: ignore[union-attr]
        half = n // 2
        at = {str(k): ((k - 1, 0) if k <= half else (n - k, 3)) for k in range(1, n + 1)}
        return Shape({p: at[p] for p in part.pins}, (0, 0, half - 1, 3), "socket")
    if "Relay_DPDT_Omron_G5V-2" in fp:  # a DIP-16 outline with eight of its pins
        at = {str(k): ((k - 1, 0) if k <= 8 else (16 - k, 3)) for k in range(1, 17)}
        return Shape({p: at[p] for p in part.pins}, (0, 0, 7, 3), "board")
    if fp.startswith("Fuse:Fuseholder_Clip"):
        return Shape({"1": (0, 0), "2": (7, 0)}, (0, -1, 7, 1), "board")
    if "L_Bourns-SRU1028" in fp:  # a 10 mm SMD inductor on its two pads, 4 strips apart
        return Shape({"1": (0, 0), "2": (4, 0)}, (0, -2, 4, 2), "board")
    if fp.startswith("Buzzer_Beeper"):
        return Shape({"1": (0, 0), "2": (3, 0)}, (-1, -2, 4, 2), "board")
    if fp.startswith("Package_TO_SOT_THT:TO-220"):
        return Shape(_column(pins), (0, 0, len(pins) - 1, 2), "board")
    if fp.startswith(("Connector_PinHeader", "Connector_PinSocket")) and part.lib:
        # a module on its pins (U1, U2): its board stands over the holes to its right
        return Shape(_column(pins), (0, 0, len(pins) - 1, 5), "module")
    step = _pitch(fp) if len(pins) == 2 else 1
    n = (len(pins) - 1) * step
    return Shape(_column(pins, step), (0, 0, n, 0), "board")


def _mcu_shapes(board: str, a1: design.Part, a2: design.Part) -> tuple[Shape, Shape, int]:
    """The two sockets of the microcontroller board, as one: the Pico's pin rows are
    17.78 mm apart (Pico datasheet, mechanical drawing) and its pin 21 is opposite pin
    20; the DevKitC's 25.4 mm (an assumption: measure the board before soldering the
    sockets) with both headers counted from the same end."""
    n = len(a1.pins)
    s1 = Shape({p: (int(p) - 1, 0) for p in a1.pins}, (0, 0, n - 1, 0), "board")
    if board == "pico":
        s2 = Shape({p: (n - int(p), 0) for p in a2.pins}, (0, 0, n - 1, 0), "board")
        return s1, s2, 7
    s2 = Shape({p: (int(p) - 1, 0) for p in a2.pins}, (0, 0, n - 1, 0), "board")
    return s1, s2, 10


class _Grid:
    def __init__(self, rows: int, cols: int):
        self.rows, self.cols = rows, cols
        self.taken: set[Hole] = set()  # bodies and their margins

    def fits(self, box: tuple[int, int, int, int]) -> bool:
        r0, c0, r1, c1 = box
        # a free hole between a part and the board's edge too (a module's pins have
        # free holes on one side only)
        if r0 < 0 or c0 < GAP or r1 >= self.rows or c1 + GAP >= self.cols:
            return False
        return all((r, c) not in self.taken for r in range(r0 - VGAP, r1 + VGAP + 1)
                   for c in range(c0 - GAP, c1 + GAP + 1))

    def take(self, box: tuple[int, int, int, int]) -> None:
        r0, c0, r1, c1 = box
        self.taken.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))


def _place(grid: _Grid, part: design.Part, s: Shape,
           placed_at: dict[str, list[Hole]]) -> Placed:
    """The free position nearest to the pins already placed on this part's nets (the
    supplies count less: they are everywhere); the first in column order on a tie."""
    best: tuple[float, Placed] | None = None
    for c in range(grid.cols):
        for r in range(grid.rows):
            p = Placed(part.ref, (r, c), s)
            if not grid.fits(p.box()):
                continue
            cost = PACK * (grid.cols - c)  # towards the microcontroller: no gaps left
            for pin, (hr, hc) in p.pin_holes().items():
                others = placed_at.get(part.pins[pin], [])
                if others:
                    d = min(_apart(hr, hc, orow, ocol) for orow, ocol in others)
                    cost += d * (0.2 if part.pins[pin] in SUPPLIES else 1.0)
            if best is None or cost < best[0]:
                best = (cost, p)
    if best is None:
        raise ValueError(f"{part.ref} does not fit on {grid.rows} x {grid.cols}")
    grid.take(best[1].box())
    return best[1]


def _apart(r: int, c: int, r2: int, c2: int) -> float:
    """How far a pin at (r, c) is from a pin of its net at (r2, c2): on the same strip
    the copper may join them (no link, if no other net's pin sits between), on another
    strip it takes a link (3 holes' worth more)."""
    return (3 + abs(r - r2) if r != r2 else 0) + 0.2 * abs(c - c2)


SUPPLIES = ("GND", "VPACK", "V5", "V3V3", "VSYS")
PACK = 0.1  # the cost of a column further from the microcontroller, against a hole of wire


def _order(parts: list[design.Part], first: set[str]) -> list[design.Part]:
    """The parts with a large body first (in the source's order, so they find room),
    then each next part: the one with the most signal pins on nets already placed."""
    def area(p: design.Part) -> int:
        r0, c0, r1, c1 = shape(p).body
        return (r1 - r0 + 1) * (c1 - c0 + 1)

    out = [p for p in parts if p.ref not in first and area(p) >= 12]
    nets_placed = {n for p in parts if p.ref in first or p in out for n in p.pins.values()}
    todo = [p for p in parts if p.ref not in first and p not in out]
    while todo:
        def links(p: design.Part) -> int:
            return sum(1 for n in p.pins.values() if n in nets_placed and n not in SUPPLIES)
        nxt = max(todo, key=links)  # max keeps the source's order on a tie
        todo.remove(nxt)
        out.append(nxt)
        nets_placed.update(nxt.pins.values())
    return out


def place(board: str, rows: int = ROWS, cols: int = COLS) -> Layout:
    parts = design.parts(board)
    by_ref = {p.ref: p for p in parts}
    grid = _Grid(rows, cols)
    lay = Layout(board, rows, cols)
    # The microcontroller at the right-hand edge, its pins as close to the board's
    # readings as the sockets allow; it goes first so nothing takes its place.
    s1, s2, apart = _mcu_shapes(board, by_ref["A1"], by_ref["A2"])
    c = cols - 1 - apart - GAP
    for ref, s, dc in (("A1", s1, 0), ("A2", s2, apart)):
        p = Placed(ref, (1, c + dc), s)
        lay.parts.append(p)
    # the socketed board covers the holes between its two pin rows
    grid.take((1, c, 1 + len(by_ref["A1"].pins) - 1, c + apart))
    placed_at: dict[str, list[Hole]] = {}

    def note(p: Placed) -> None:
        for pin, h in p.all_holes():
            placed_at.setdefault(by_ref[p.ref].pins[pin], []).append(h)

    for p in lay.parts:
        note(p)
    for part in _order(parts, {"A1", "A2"}):
        p = _place(grid, part, shape(part), placed_at)
        lay.parts.append(p)
        note(p)
    return lay


def _uses(lay: Layout) -> tuple[dict[Hole, tuple[str, str]], set[Hole]]:
    pins: dict[Hole, tuple[str, str]] = {}
    covered: set[Hole] = set()
    for p in lay.parts:
        r0, c0, r1, c1 = p.box()
        if p.shape.how == "socket":  # an open-frame IC socket: links go under it first
            r1 = r0 - 1
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
        for pin, h in p.all_holes():
            if h in pins:
                raise ValueError(f"{p.ref}.{pin} and {pins[h]} share hole {h}")
            pins[h] = (p.ref, pin)
    # the socketed microcontroller board covers the holes between its sockets
    a = {x.ref: x for x in lay.parts}
    (ra, ca), (_, cb) = a["A1"].origin, a["A2"].origin
    n = len(a["A1"].shape.pins)
    covered.update((r, c) for r in range(ra, ra + n) for c in range(ca, cb + 1))
    return pins, covered


def _taps(x: int, between: list[int], mid: float) -> tuple[int, float]:
    """A cut after hole x: the free holes it leaves to the poorer side, then nearness to
    the middle."""
    left = sum(1 for c in between if c <= x)
    return min(left, len(between) - left), -abs(x + 0.5 - mid)


def route(lay: Layout) -> Layout:
    # An unconnected pin (a socket's unused GPIO) is a net of its own: it is cut off
    # from its neighbours like any other.
    net_of = {(x.ref, pin): net if net != "NC" else f"NC:{x.ref}.{pin}"
              for x in design.parts(lay.board) for pin, net in x.pins.items()}
    pins, covered = _uses(lay)
    # Cuts: along each strip, between two neighbouring pins of different nets, across
    # the copper between two holes (a cut (r, c) parts hole c from hole c + 1), where it
    # leaves the most free holes to the poorer side.
    for r in range(lay.rows):
        row = sorted((c, net_of[pins[(r, c)]]) for (rr, c) in pins if rr == r)
        for (ca, na), (cb, nb) in zip(row, row[1:]):
            if na == nb:
                continue
            between = [c for c in range(ca + 1, cb) if (r, c) not in covered]
            lay.cuts.append((r, max(range(ca, cb), key=lambda x, b=between, mid=(ca + cb) / 2:
                                    _taps(x, b, mid))))
    cut = set(lay.cuts)
    # Segments: the pieces of strip between cuts; a segment's net is its pins' net.
    seg_of: dict[Hole, int] = {}
    segs: list[list[Hole]] = []
    for r in range(lay.rows):
        cur: list[Hole] = []
        for c in range(lay.cols):
            cur.append((r, c))
            if c == lay.cols - 1 or (r, c) in cut:
                for h in cur:
                    seg_of[h] = len(segs)
                segs.append(cur)
                cur = []
    net_segs: dict[str, list[int]] = {}
    for h, key in pins.items():
        net = net_of[key]
        if net.startswith("NC:"):
            continue
        if seg_of[h] not in net_segs.setdefault(net, []):
            net_segs[net].append(seg_of[h])
    used = set(pins)
    free = {i: [h for h in s if h not in used and h not in covered]
            for i, s in enumerate(segs)}
    for net in sorted(net_segs):
        ids = net_segs[net]
        done = [ids[0]]
        todo = ids[1:]
        while todo:  # Prim's tree over the segments, by the shortest free-hole pair
            best = None
            for a in done:
                for b in todo:
                    # a piece of strip with one free hole left ends a branch: grow the
                    # tree through the others first, or it may be cut off
                    dead = 50 * ((len(free[a]) == 1) + (len(free[b]) == 1))
                    for ha in free[a]:
                        for hb in free[b]:
                            d = abs(ha[0] - hb[0]) + abs(ha[1] - hb[1]) + dead
                            if best is None or d < best[0]:
                                best = (d, a, b, ha, hb)
            if best is None:
                raise ValueError(f"{net}: a piece of strip with no free hole for a link")
            _, a, b, ha, hb = best
            free[a].remove(ha)
            free[b].remove(hb)
            lay.links.append((net, ha, hb))
            done.append(b)
            todo.remove(b)
    return lay


def layout(board: str) -> Layout:
    return route(place(board))


def hole_name(h: Hole) -> str:
    r, c = h
    letters = ""
    r += 1
    while r:
        r, k = divmod(r - 1, 26)
        letters = chr(65 + k) + letters
    return f"{letters}{c + 1}"


def text(lay: Layout) -> str:
    """The layout as the build follows it (and the test reads): parts, cuts, links."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(("what", "ref_or_net", "pin", "hole", "to_hole", "how"))
    w.writerow(("board", f"{lay.rows} strips x {lay.cols} holes", "", "", "", ""))
    for p in lay.parts:
        for pin, h in sorted(p.all_holes(), key=lambda x: (len(x[0]), x[0], x[1])):
            w.writerow(("pin", p.ref, pin, hole_name(h), "", p.shape.how))
    for r, c in sorted(lay.cuts):  # across the strip between the two holes
        w.writerow(("cut", "", "", hole_name((r, c)), hole_name((r, c + 1)), ""))
    for net, a, b in lay.links:
        w.writerow(("link", net, "", hole_name(a), hole_name(b), ""))
    return out.getvalue()


def csv_path(board: str) -> Path:
    return ROOT / "hardware" / f"stripboard_{board}.csv"


def svg_path(board: str) -> Path:
    return ROOT / "docs" / "figures" / f"stripboard_{board}.svg"


def main() -> int:
    from tools.circuit import stripboard_svg

    for board in design.BOARDS:
        lay = layout(board)
        csv_path(board).write_text(text(lay), encoding="utf-8")
        svg_path(board).write_text(stripboard_svg.svg(lay), encoding="utf-8")
        print("wrote", csv_path(board).relative_to(ROOT), svg_path(board).relative_to(ROOT),
              f"({len(lay.cuts)} cuts, {len(lay.links)} links)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""docs/figures/schematic_<board>.svg, the whole circuit as a net-label schematic
(tools/figures/schematic.py), against the circuit source (tools/circuit/design.py).

- The committed files are what the generator writes today (`make figures`).
- Read back from the SVG's own text, each part's reference, each pin's label (its number
  first) and the net label at the end of the pin's stub give (part, pin, net) triples:
  they are exactly design.nets(board)'s, every other pin of the part is drawn NC, and each
  net label sits at the outer end of its own pin's stub. Controls: a label removed, a
  label renamed and a label moved away from its stub each make the check fail.
- The battery pin's path is visible: on the ESP32 its header pin's net reaches the pack's
  terminal J1 through the divider's top resistor and the fuse, with the bottom resistor to
  GND; on the Pico GP29 is not on the header, and the figure's module note shows the
  Pico's own VSYS/3 divider on the socket pin whose net reaches J1 through Q7 and the fuse.
- The pin names the figure gives agree with KiCad's symbols where KiCad names the pins.
- Every part is drawn on the page and apart from every other (control: one moved onto
  another), the page at most about two A4 pages high; the net index is design.nets().
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import deque

import pytest

from firmware.boards import esp32_devkitc, pico
from tools.circuit import design, kicad, spice
from tools.figures import schematic

NS = "{http://www.w3.org/2000/svg}"
STALE = "out of date: run `make figures` and commit docs/figures/"


def _committed(board: str) -> str:
    return schematic.path(board).read_text(encoding="utf-8")


def _cls(el) -> set[str]:
    return set((el.get("class") or "").split())


def _texts(el, cls: str) -> list:
    return [t for t in el.iter(NS + "text") if cls in _cls(t)]


def read_back(svg: str) -> tuple[set, set, list[str]]:
    """From the SVG's text: the (ref, pin, net) triples, the (ref, pin) drawn NC, and the
    problems found (a pin without its label, a label away from its stub's end)."""
    root = ET.fromstring(svg)
    triples, nc, problems = set(), set(), []
    for g in root.iter(NS + "g"):
        if "part" not in _cls(g):
            continue
        refs = [t.text for t in g if t.tag == NS + "text" and "ref" in _cls(t)]
        if len(refs) != 1:
            problems.append(f"a part with references {refs}")
            continue
        ref = refs[0]
        for pg in g:
            if pg.tag != NS + "g" or "pin" not in _cls(pg):
                continue
            nums = _texts(pg, "pinno")
            nets = _texts(pg, "net")
            ncs = _texts(pg, "nc")
            stubs = [ln for ln in pg if ln.tag == NS + "line" and "w" in _cls(ln)]
            if len(nums) != 1 or len(stubs) != 1 or len(nets) + len(ncs) != 1:
                problems.append(f"{ref}: a pin with {len(nums)} pin labels, {len(stubs)} "
                                f"stubs, {len(nets)} net labels, {len(ncs)} NC marks")
                continue
            pin = (nums[0].text or "").split(" ")[0]
            label = (nets or ncs)[0]
            ln = stubs[0]
            xs = sorted((float(ln.get("x1")), float(ln.get("x2"))))
            y = float(ln.get("y1"))
            lx, ly = float(label.get("x")), float(label.get("y"))
            outward = (lx <= xs[0] if label.get("text-anchor") == "end" else lx >= xs[1])
            near = min(abs(lx - xs[0]), abs(lx - xs[1])) <= 8 and abs(ly - y) <= 6
            if not (outward and near):
                problems.append(f"{ref}.{pin}: its label {label.text!r} is not at its "
                                "stub's end")
            if nets:
                triples.add((ref, pin, nets[0].text))
            else:
                nc.add((ref, pin))
    return triples, nc, problems


def check(board: str, svg: str) -> list[str]:
    """Every difference between the figure's labels and the circuit source."""
    triples, nc, problems = read_back(svg)
    want = {(r, p, n) for n, pins in design.nets(board).items() for r, p in pins}
    want_nc = {(x.ref, pin) for x in design.parts(board) for pin, n in x.pins.items()
               if n == "NC"}
    problems += [f"missing {t}" for t in sorted(want - triples)]
    problems += [f"not in the source {t}" for t in sorted(triples - want)]
    problems += [f"NC differs {t}" for t in sorted(nc ^ want_nc)]
    return problems


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_committed_schematic_is_what_the_source_draws_today(board):
    assert _committed(board) == schematic.svg(board), f"schematic_{board}.svg " + STALE


@pytest.mark.parametrize("board", design.BOARDS)
def test_every_pin_is_drawn_with_its_net_and_nothing_else(board):
    triples, _, _ = read_back(_committed(board))
    assert len(triples) == sum(len(v) for v in design.nets(board).values()) > 200
    assert check(board, _committed(board)) == []


def _pin_groups(svg: str) -> list[re.Match]:
    return list(re.finditer(r'<g class="pin" id="([^"]+)">.*?</g>', svg, re.S))


def test_control_a_missing_a_renamed_and_a_moved_label_are_found():
    svg = _committed("esp32_devkitc")
    (m,) = [m for m in _pin_groups(svg) if m.group(1) == "R30.2"]
    group = m.group(0)
    gone = re.sub(r'<text class="net"[^>]*>ADC_B</text>', "", group)
    assert gone != group
    problems = check("esp32_devkitc", svg.replace(group, gone))
    assert any("R30: a pin with" in p for p in problems), problems
    renamed = group.replace(">ADC_B</text>", ">ADC_R</text>")
    problems = check("esp32_devkitc", svg.replace(group, renamed))
    assert "missing ('R30', '2', 'ADC_B')" in problems
    assert "not in the source ('R30', '2', 'ADC_R')" in problems
    x = re.search(r'<text class="net" x="([0-9.]+)"', group)
    assert x is not None
    moved = group.replace(f'x="{x.group(1)}"', f'x="{float(x.group(1)) + 300:g}"', 1)
    assert any("not at its stub's end" in p
               for p in check("esp32_devkitc", svg.replace(group, moved)))


def _socket_pin(svg: str, name: str) -> tuple[str, str] | None:
    """(ref, pin) of the socket pin whose label names `name` (GP29, IO39, VSYS)."""
    root = ET.fromstring(svg)
    for g in root.iter(NS + "g"):
        if "part" in _cls(g) and g.get("id") in ("A1", "A2"):
            for t in _texts(g, "pinno"):
                words = (t.text or "").split(" ")
                if len(words) > 1 and words[1] == name:
                    return g.get("id"), words[0]
    return None


def _reaches_pack(svg: str, start: str) -> list[str]:
    """The figure's path from net `start` to the pack's + terminal (J1's PACK+ pin)
    through series parts: resistors, fuses and a MOSFET's drain-source, never GND. The
    parts passed, or [] when there is no path."""
    triples, _, _ = read_back(svg)
    kinds = {x.ref: x.symbol for x in design.parts("pico") + design.parts("esp32_devkitc")}
    by_part: dict[str, dict[str, str]] = {}
    for ref, pin, net in triples:
        by_part.setdefault(ref, {})[pin] = net
    names = {(r, p): n for r, p, n in _labelled_pins(svg)}
    edges: dict[str, list[tuple[str, str]]] = {}
    for ref, pins in by_part.items():
        kind = kinds.get(ref, "")
        if kind in ("R", "Fuse") and len(pins) == 2:
            a, b = pins.values()
        elif "NMOS" in kind or "PMOS" in kind:
            ds = [n for p, n in pins.items() if names.get((ref, p)) in ("D", "S")]
            if len(ds) != 2:
                continue
            a, b = ds
        else:
            continue
        edges.setdefault(a, []).append((b, ref))
        edges.setdefault(b, []).append((a, ref))
    pack = by_part.get("J1", {}).get("1")
    seen, todo = {start: []}, deque([start])
    while todo:
        net = todo.popleft()
        if net == pack:
            return seen[net]
        for nxt, ref in edges.get(net, []):
            if nxt not in seen and nxt != "GND":
                seen[nxt] = seen[net] + [ref]
                todo.append(nxt)
    return []


def _labelled_pins(svg: str) -> list[tuple[str, str, str]]:
    """(ref, pin number, pin name) of every pin label that has a name."""
    out = []
    for m in _pin_groups(svg):
        ref = m.group(1).split(".")[0]
        t = re.search(r'class="pinno"[^>]*>([^<]*)<', m.group(0))
        words = (t.group(1) if t else "").split(" ")
        if len(words) > 1:
            out.append((ref, words[0], words[1]))
    return out


def test_the_esp32_battery_pin_is_drawn_through_its_divider_to_the_pack():
    svg = _committed("esp32_devkitc")
    gpio = esp32_devkitc.BOARD["pin_adc_battery"]
    at = _socket_pin(svg, f"IO{gpio}")
    assert at is not None, f"IO{gpio} is not on the figure's sockets"
    triples, _, _ = read_back(svg)
    (net,) = [n for r, p, n in triples if (r, p) == at]
    assert _reaches_pack(svg, net) == ["R30", "F1"]
    assert {("R31", "1", net), ("R31", "2", "GND")} <= triples  # the divider's bottom
    # control: without the top resistor's label at the pack the path is gone
    (m,) = [m for m in _pin_groups(svg) if m.group(1) == "R30.1"]
    cut = svg.replace(m.group(0), m.group(0).replace(">VPACK</text>", ">VPACK_X</text>"))
    assert _reaches_pack(cut, net) == []


def test_the_pico_battery_pin_is_the_modules_vsys_divider_drawn_on_its_socket():
    svg = _committed("pico")
    gpio = pico.BOARD["pin_adc_battery"]
    assert gpio == design.ON_MODULE["pico"]["pin_adc_battery"]
    assert _socket_pin(svg, f"GP{gpio}") is None  # not a header pin: no stub pretends so
    src, top, bot = spice.ON_MODULE_NETS["pico"]["ADC_B"]
    at = _socket_pin(svg, src)
    assert at is not None
    root = ET.fromstring(svg)
    (note,) = [g for g in root.iter(NS + "g") if "module" in _cls(g)]
    text = [t.text or "" for t in note.iter(NS + "text")]
    assert f"GP{gpio}: battery reading (ADC{gpio - 26}) = {src}/{(top + bot) / bot:g}" in text
    assert schematic._ohm(top) in text and schematic._ohm(bot) in text
    assert any(f"{at[0]}.{at[1]} " in t and t.startswith(src) for t in text), text
    triples, _, _ = read_back(svg)
    assert (at[0], at[1], src) in triples
    assert _reaches_pack(svg, src) == ["Q7", "F1"]
    # control: Q7's drain label removed from the figure: VSYS no longer reaches the pack
    (m,) = [m for m in _pin_groups(svg) if m.group(1) == "Q7.3"]
    cut = svg.replace(m.group(0), re.sub(r'<text class="net[^"]*"[^>]*>VPACK</text>', "",
                                         m.group(0)))
    assert _reaches_pack(cut, src) == []


def test_the_pin_names_are_kicads_where_kicad_names_them():
    """SYMBOL_PINS against KiCad 6's libraries (the ERC's symbols): every pin KiCad
    names (not "~") has that name here (subscript braces dropped), or starts with it
    (the op-amps' "-" and "+" here "-INA", "+INA")."""
    checked = 0
    for (lib, sym), names in schematic.SYMBOL_PINS.items():
        text = (kicad.SYMBOLS / f"{lib}.kicad_sym").read_text(encoding="utf-8")
        start = text.index(f'(symbol "{sym}"')
        block = text[start:text.find('\n  (symbol "', start + 1)]
        base = re.search(r'\(extends "([^"]+)"\)', block)
        if base:
            start = text.index(f'(symbol "{base.group(1)}"')
            block = text[start:text.find('\n  (symbol "', start + 1)]
        kicad_names = dict((n, name) for name, n in re.findall(
            r'\(pin \w+ \w+.*?\(name "([^"]*)".*?\(number "([^"]*)"', block, re.S))
        assert set(kicad_names) == set(names), (lib, sym)
        for n, name in kicad_names.items():
            if name != "~":
                assert names[n].startswith(re.sub(r"[_{}]", "", name)), (lib, sym, n)
                checked += 1
    assert checked > 30


def _extents(svg: str) -> tuple[float, float, dict[str, list[float]]]:
    """The page's width and height and each part's box (x0, y0, x1, y1), from the SVG's
    elements with their translations; a text's width is the monospaced estimate."""
    root = ET.fromstring(svg)
    boxes: dict[str, list[float]] = {}

    def see(key, x0, y0, x1, y1):
        b = boxes.setdefault(key, [1e9, 1e9, -1e9, -1e9])
        b[:] = [min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)]

    def walk(el, dx, dy, part):
        m = re.match(r"translate\(([-0-9.]+),([-0-9.]+)\)", el.get("transform") or "")
        if m:
            dx, dy = dx + float(m.group(1)), dy + float(m.group(2))
        if el.tag == NS + "g" and "part" in _cls(el):
            part = el.get("id")
        key = part or "page"
        if el.tag == NS + "text":
            x, y, size = float(el.get("x")), float(el.get("y")), float(el.get("font-size"))
            w = schematic.text_width(el.text or "", size)
            x0 = {"end": x - w, "middle": x - w / 2}.get(el.get("text-anchor") or "", x)
            see(key, x0 + dx, y - size + dy, x0 + w + dx, y + dy)
        elif el.tag == NS + "line":
            see(key, float(el.get("x1")) + dx, float(el.get("y1")) + dy,
                float(el.get("x2")) + dx, float(el.get("y2")) + dy)
        elif el.tag == NS + "rect":
            x, y = float(el.get("x")) + dx, float(el.get("y")) + dy
            see(key, x, y, x + float(el.get("width")), y + float(el.get("height")))
        for child in el:
            walk(child, dx, dy, part)

    walk(root, 0.0, 0.0, None)
    return float(root.get("width")), float(root.get("height")), boxes


def layout_problems(board: str, svg: str) -> list[str]:
    """Parts off the page or overlapping one another, a page over two A4 pages high."""
    w, h, boxes = _extents(svg)
    out = [] if h <= w * 2 * 1.414 * 1.1 else [f"page {w} x {h}"]
    parts = {k: b for k, b in boxes.items() if k != "page"}
    if set(parts) != {x.ref for x in design.parts(board)}:
        out.append("the parts drawn are not the source's")
    out += [f"{k} off the page" for k, b in boxes.items()
            if b[0] < 0 or b[1] < 0 or b[2] > w or b[3] > h]
    items = sorted(parts.items())
    for i, (a, ba) in enumerate(items):
        for b, bb in items[i + 1:]:
            if not (ba[2] <= bb[0] or bb[2] <= ba[0] or ba[3] <= bb[1] or bb[3] <= ba[1]):
                out.append(f"{a} and {b} overlap")
    return out


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_parts_are_on_the_page_and_do_not_overlap(board):
    """Each part's drawing (labels included) inside the page and apart from every other
    part's; the page at most about two A4 pages high for its width."""
    assert layout_problems(board, _committed(board)) == []


def test_control_a_part_moved_onto_another_overlaps():
    svg = _committed("pico")
    at = re.findall(r'<g transform="(translate\([^)]*\))">\n<g class="part" id="(\w+)"', svg)
    (t1, r1), (t2, r2) = at[0], at[1]
    moved = svg.replace(f'<g transform="{t2}">\n<g class="part" id="{r2}"',
                        f'<g transform="{t1}">\n<g class="part" id="{r2}"')
    assert moved != svg
    problems = layout_problems("pico", moved)
    assert f"{min(r1, r2)} and {max(r1, r2)} overlap" in problems, problems


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_net_index_lists_each_nets_pins(board):
    root = ET.fromstring(_committed(board))
    lines = [t.text or "" for t in root.iter(NS + "text") if "idx" in _cls(t)]
    index: dict[str, set] = {}
    name = ""
    for text in lines:
        words = text.split()
        if not text.startswith(" "):
            name = words.pop(0).rstrip(":")
        index.setdefault(name, set()).update(tuple(w.split(".")) for w in words)
    assert index == {n: set(p) for n, p in design.nets(board).items()}

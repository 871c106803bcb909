"""The whole circuit of each reference build as a net-label schematic, drawn from the
circuit source (tools/circuit/design.py: `parts(board)` and their pins' nets) into
docs/figures/schematic_<board>.svg:

    .venv/bin/python -m tools.figures.schematic     (or `make figures`)

Every part is drawn with its reference, its value and every pin, each pin labelled with
its number (and name, where the symbol or the module has one) and ending in a short stub
that carries the NAME OF ITS NET: pins whose stubs carry the same label are connected.
No wires are drawn between parts. A pin connected to nothing ends in a cross and "NC".
The parts are grouped by function, one frame each; a part that no group names lands in a
last frame, so that a new part in design.py is still drawn. Under the frames a net index
lists each net with the pins on it.

Parts on the microcontroller module itself (design.ON_MODULE: the Pico's VSYS/3 divider
on GP29, its VBUS sense on GP24, its LED) are not parts of this board: they are drawn
dashed in a note beside the module's sockets, with the values of spice.ON_MODULE_NETS.

Plain SVG text (no dependency), monospaced labels so that their widths are known: the
same source gives the same bytes. host_tests/test_schematic.py compares the committed
files with what this writes and reads the labels back against design.nets().
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from tools.circuit import design, spice

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "figures"
WIDTH = 1160  # px; sections flow down: about two A4 pages per build
MARGIN = 24
CHAR = 0.6  # a monospaced character's advance, in em
STUB = 22  # pin stub length
PITCH = 18  # between two pins on a box's side
NET_FONT, PIN_FONT, REF_FONT = 11, 9, 11
# Supply and ground nets: the same labels, drawn in colour.
POWER = {"GND": "#000000", "V3V3": "#b8860b", "V5": "#d2691e", "V12": "#a0522d",
         "VSYS": "#8b4513", "VPACK": "#c00000", "VPACK_IN": "#c00000", "RAIL": "#c000c0",
         "VBUS": "#006400", "USB_VBUS": "#006400"}
NET_COLOUR = "#0040a0"

# Pin names: KiCad 6's symbol names where it has them (checked by the test against
# /usr/share/kicad/symbols), the datasheets' names where KiCad's are "~".
SYMBOL_PINS = {
    ("Amplifier_Operational", "LM358"): {"1": "OUTA", "2": "-INA", "3": "+INA", "4": "V-",
                                         "5": "+INB", "6": "-INB", "7": "OUTB", "8": "V+"},
    ("Comparator", "LM393"): {"1": "OUTA", "2": "-INA", "3": "+INA", "4": "V-",
                              "5": "+INB", "6": "-INB", "7": "OUTB", "8": "V+"},
    ("74xx", "74HC00"): {"1": "1A", "2": "1B", "3": "1Y", "4": "2A", "5": "2B", "6": "2Y",
                         "7": "GND", "8": "3Y", "9": "3A", "10": "3B", "11": "4Y",
                         "12": "4A", "13": "4B", "14": "VCC"},
    ("Regulator_Controller", "LM3478MA"): {"1": "ISEN", "2": "COMP", "3": "FB", "4": "AGND",
                                           "5": "PGND", "6": "DR", "7": "FA/SD", "8": "VIN"},
    # Omron G5V-2: coil 1-16; pole 1: COM 4, NC 6, NO 8; pole 2: COM 13, NC 11, NO 9.
    ("Relay", "G5V-2"): {"1": "COIL", "16": "COIL", "4": "COM1", "6": "NC1", "8": "NO1",
                         "13": "COM2", "11": "NC2", "9": "NO2"},
    ("Device", "Q_NMOS_GDS"): {"1": "G", "2": "D", "3": "S"},
    ("Device", "Q_PMOS_GSD"): {"1": "G", "2": "S", "3": "D"},
    ("Transistor_FET", "BSS123"): {"1": "G", "2": "S", "3": "D"},
    ("Transistor_FET", "IRF9540N"): {"1": "G", "2": "D", "3": "S"},
    ("Device", "D_Schottky"): {"1": "K", "2": "A"},
    ("Device", "D_Zener"): {"1": "K", "2": "A"},
    ("Device", "LED"): {"1": "K", "2": "A"},
    ("Diode", "1N4148"): {"1": "K", "2": "A"},
    ("Diode", "1N5819"): {"1": "K", "2": "A"},
    ("Device", "C_Polarized"): {"1": "+", "2": "-"},
    ("Device", "Buzzer"): {"1": "-", "2": "+"},
}
# The modules and connectors drawn as KiCad's generic connectors: their pins' functions,
# as design.py's ratings and comments give them (by reference and symbol).
MODULE_PINS = {
    ("J1", "Conn_01x02"): {"1": "PACK+", "2": "PACK-"},
    ("J2", "Conn_01x02"): {"1": "TRAY A", "2": "TRAY B"},
    ("U1", "Conn_01x03"): {"1": "VIN", "2": "GND", "3": "VOUT"},
    ("U7", "Conn_01x04"): {"1": "VIN", "2": "GND", "3": "VOUT", "4": "EN"},
    ("J3", "Conn_01x05"): {"1": "VBUS", "2": "D-", "3": "D+", "4": "ID", "5": "GND"},
}

# The frames, in reading order: title, the references in it (a board draws those it has).
SECTIONS = [
    ("Power in: pack, fuse, supplies, USB", ["J1", "F1", "Q7", "R37", "U7", "U1", "D1", "J3",
                                             "R38", "R39", "C13"]),
    ("Rail boost U2 (58 V treatment rail)", ["U2", "L1", "Q8", "R40", "D6", "C14", "C15",
                                             "C16", "C17", "R41", "R42", "C20", "R44", "C18",
                                             "C19", "R43", "R45", "D7", "D8", "Q9"]),
    ("Current path: limit, output switch Q1 and its level shifter",
     ["R1", "F2", "Q1", "R2", "D2", "R3", "Q3", "Q4", "R34", "R4", "R15"]),
    ("Polarity relay and trays", ["K1", "D3", "Q5", "R16", "J2"]),
    ("Set path and current sink", ["R6", "R7", "C1", "U3", "R8", "C2", "R9", "C3", "R35",
                                   "D5", "R10", "Q2", "R5", "C4"]),
    ("Hardware trip: comparator and latch", ["R13", "C6", "R11", "R12", "C5", "U5", "R14",
                                             "R52", "SW4", "U6", "C7", "R17"]),
    ("Readings: electrode voltage, rail, current, battery (ADC dividers)",
     ["R18", "R19", "R20", "R21", "U4", "R36", "R22", "C9", "C8", "R28", "R29", "R23", "R24",
      "C10", "R25", "R26", "R27", "C11", "R30", "R31", "C12"]),
    ("Button, LED, buzzer", ["SW1", "SW2", "SW3", "R32", "D4", "BZ1", "Q6", "R33"]),
    ("Microcontroller module sockets", ["A1", "A2"]),
]
OTHER = "Parts not yet sorted into a frame above"


def _esc(s: str) -> str:
    return escape(s, {'"': "&quot;"})


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def text_width(s: str, size: float) -> float:
    return len(s) * size * CHAR


@dataclass
class Canvas:
    """SVG elements at an offset, with the bounding box of what was drawn."""

    ox: float = 0.0
    oy: float = 0.0
    out: list[str] = field(default_factory=list)
    box: list[float] = field(default_factory=lambda: [1e9, 1e9, -1e9, -1e9])

    def _see(self, x0: float, y0: float, x1: float, y1: float) -> None:
        b = self.box
        b[0], b[1] = min(b[0], x0, x1), min(b[1], y0, y1)
        b[2], b[3] = max(b[2], x0, x1), max(b[3], y0, y1)

    def line(self, x0, y0, x1, y1, cls="w", dash=False):
        self._see(x0, y0, x1, y1)
        d = ' stroke-dasharray="4 3"' if dash else ""
        self.out.append(f'<line class="{cls}" x1="{_num(x0 + self.ox)}" y1="{_num(y0 + self.oy)}" '
                        f'x2="{_num(x1 + self.ox)}" y2="{_num(y1 + self.oy)}"{d}/>')

    def rect(self, x, y, w, h, cls="body", dash=False):
        self._see(x, y, x + w, y + h)
        d = ' stroke-dasharray="4 3"' if dash else ""
        self.out.append(f'<rect class="{cls}" x="{_num(x + self.ox)}" y="{_num(y + self.oy)}" '
                        f'width="{_num(w)}" height="{_num(h)}"{d}/>')

    def path(self, pts, cls="body", close=False):
        for x, y in pts:
            self._see(x, y, x, y)
        d = " ".join(("M" if i == 0 else "L") + f"{_num(x + self.ox)},{_num(y + self.oy)}"
                     for i, (x, y) in enumerate(pts))
        self.out.append(f'<path class="{cls}" d="{d}{" Z" if close else ""}"/>')

    def text(self, x, y, s, size, cls, anchor="start", fill=None):
        w = text_width(s, size)
        x0 = {"start": x, "end": x - w, "middle": x - w / 2}[anchor]
        self._see(x0, y - size * 0.8, x0 + w, y + size * 0.25)
        a = "" if anchor == "start" else f' text-anchor="{anchor}"'
        f = f' fill="{fill}"' if fill else ""
        self.out.append(f'<text class="{cls}" x="{_num(x + self.ox)}" y="{_num(y + self.oy)}" '
                        f'font-size="{size}"{a}{f}>{_esc(s)}</text>')

    def raw(self, s: str) -> None:
        self.out.append(s)


def pin_name(p: design.Part, pin: str) -> str:
    if p.pin_names:  # a module socket: the module's pin name (and the Pico's pin number)
        return p.pin_names[pin][0] + (f" (pin {module_pin(p, pin)})"
                                      if module_pin(p, pin) != int(pin) else "")
    names = MODULE_PINS.get((p.ref, p.symbol)) or SYMBOL_PINS.get((p.lib, p.symbol), {})
    return names.get(pin, "")


def module_pin(p: design.Part, pin: str) -> int:
    """The module's own pin number of a socket pin: the Pico's second socket (A2) holds
    its pins 21-40; the DevKitC's headers number their pins 1-19 each."""
    return int(pin) + (20 if p.ref == "A2" and p.value.startswith("Raspberry") else 0)


def pin_label(p: design.Part, pin: str) -> str:
    """What the drawing writes at a pin: its number, then its name if it has one."""
    name = pin_name(p, pin)
    return f"{pin} {name}" if name else pin


def _stub(cv: Canvas, p: design.Part, pin: str, x: float, y: float, side: int,
          boxed: bool) -> None:
    """A pin of part p, one <g> each: its stub from (x, y) outwards (side -1 left, +1
    right), its net's label (or NC and a cross) at the stub's end, and its pin label:
    inside the box at the edge (boxed), or above the stub. The label starts with the
    pin's number, so that a reader (and the test) can split it off."""
    net = p.pins[pin]
    cv.raw(f'<g class="pin" id="{_esc(p.ref)}.{_esc(pin)}">')
    end = x + side * STUB
    cv.line(x, y, end, y)
    anchor = "end" if side < 0 else "start"
    if net == "NC":
        cv.line(end - 4, y - 4, end + 4, y + 4, "nc")
        cv.line(end - 4, y + 4, end + 4, y - 4, "nc")
        cv.text(end + side * 7, y + 3.5, "NC", PIN_FONT, "nc", anchor)
    else:
        cls = "net pwr" if net in POWER else "net"
        cv.text(end + side * 3, y + 4, net, NET_FONT, cls, anchor, POWER.get(net, NET_COLOUR))
    if boxed:
        cv.text(x - side * 4, y + 3, pin_label(p, pin), PIN_FONT, "pinno",
                "start" if side < 0 else "end")
    else:
        cv.text(x + side * STUB / 2, y - 3, pin_label(p, pin), PIN_FONT - 1, "pinno", "middle")
    cv.raw("</g>")


def _header(cv: Canvas, p: design.Part, cx: float, y: float) -> None:
    cv.text(cx, y, p.ref, REF_FONT, "ref", "middle")
    cv.text(cx, y + 12, p.value, PIN_FONT + 1, "val", "middle")


def _two_pin(cv: Canvas, p: design.Part) -> None:
    """A two-pin part across: pin 1 on the left, pin 2 on the right, its symbol between."""
    bx0, bx1, cy = 0.0, 48.0, 34.0
    _header(cv, p, (bx0 + bx1) / 2, 8)
    _symbol(cv, p, bx0 + 8, bx1 - 8, cy)
    cv.line(bx0, cy, bx0 + 8, cy)
    cv.line(bx1 - 8, cy, bx1, cy)
    for pin, x, side in (("1", bx0, -1), ("2", bx1, 1)):
        _stub(cv, p, pin, x, cy, side, boxed=False)


def _symbol(cv: Canvas, p: design.Part, x0: float, x1: float, y: float) -> None:
    """A small symbol between x0 and x1 on the line y, by KiCad symbol name."""
    s, cx = p.symbol, (x0 + x1) / 2
    if s == "R":
        cv.rect(x0, y - 5, x1 - x0, 10)
    elif s in ("C", "C_Polarized"):
        cv.line(x0, y, cx - 3, y)
        cv.line(cx + 3, y, x1, y)
        cv.line(cx - 3, y - 9, cx - 3, y + 9, "body")
        if s == "C":
            cv.line(cx + 3, y - 9, cx + 3, y + 9, "body")
        else:  # the (-) plate drawn filled; pin 1's label says "+"
            cv.rect(cx + 3, y - 9, 3, 18, "fill")
    elif s.startswith("D_") or s in ("1N4148", "1N5819", "LED"):
        # pin 1 (K) on the left: the triangle points left, the bar at the cathode
        cv.path([(x1 - 2, y - 7), (x1 - 2, y + 7), (cx - 5, y)], "body", close=True)
        cv.line(cx - 5, y - 7, cx - 5, y + 7, "body")
        cv.line(x0, y, cx - 5, y)
        if s == "D_Zener":
            cv.line(cx - 5, y - 7, cx - 2, y - 9, "body")
        if s == "LED":
            cv.line(cx, y - 9, cx + 4, y - 14, "body")
            cv.line(cx + 4, y - 9, cx + 8, y - 14, "body")
    elif s == "L":
        w = (x1 - x0) / 4
        for i in range(4):
            a = x0 + i * w
            cv.raw(f'<path class="body" d="M{_num(a + cv.ox)},{_num(y + cv.oy)} a{_num(w / 2)},'
                   f'{_num(w / 2)} 0 0 1 {_num(w)},0"/>')
        cv._see(x0, y - w / 2, x1, y)
    elif s in ("Fuse", "Polyfuse"):
        cv.rect(x0, y - 5, x1 - x0, 10)
        cv.line(x0, y, x1, y)
        if s == "Polyfuse":
            cv.line(x0 + 2, y + 8, x1 - 2, y - 8, "body")
    elif s == "SW_Push":
        cv.line(x0, y, x0 + 4, y)
        cv.line(x1 - 4, y, x1, y)
        cv.line(x0 + 2, y - 6, x1 - 2, y - 6, "body")
        cv.line(cx, y - 6, cx, y - 11, "body")
    else:  # Buzzer and anything else: a small box with the symbol's name
        cv.rect(x0, y - 7, x1 - x0, 14)
        cv.text(cx, y + 3, s[:4], PIN_FONT - 1, "mark", "middle")


def _sides(p: design.Part) -> tuple[list[str], list[str]]:
    """The pins on a box's left and right sides, top to bottom."""
    pins = sorted(p.pins, key=int)
    if p.pin_names:  # a module socket: A1 on the left, A2 on the right
        if p.ref == "A1":
            return pins, []
        # The Pico's pins 21-40 run up its right side (pin 40 opposite pin 1); the
        # DevKitC's J3 runs down from pin 1.
        return [], (pins[::-1] if p.value.startswith("Raspberry") else pins)
    if p.symbol.startswith("Conn_"):
        return [], pins
    if len(pins) == 3:  # a transistor: gate left, the other two right
        g = [x for x in pins if pin_name(p, x) == "G"]
        return g, [x for x in pins if x not in g]
    half = max(int(x) for x in pins) // 2  # DIP order: 1..n/2 down the left, the rest up
    return [x for x in pins if int(x) <= half], [x for x in pins if int(x) > half][::-1]


def _boxed(cv: Canvas, p: design.Part) -> None:
    left, right = _sides(p)
    lw = max((text_width(pin_label(p, x), PIN_FONT) for x in left), default=0)
    rw = max((text_width(pin_label(p, x), PIN_FONT) for x in right), default=0)
    w = max(lw + rw + 24, 56)
    rows = max(len(left), len(right))
    h = rows * PITCH + 8
    top = 26
    _header(cv, p, w / 2, 8)
    cv.rect(0, top, w, h)
    for i, pin in enumerate(left):
        y = top + 4 + PITCH / 2 + i * PITCH
        _stub(cv, p, pin, 0, y, -1, boxed=True)
    for i, pin in enumerate(right):
        y = top + 4 + PITCH / 2 + i * PITCH
        _stub(cv, p, pin, w, y, 1, boxed=True)


def draw_part(p: design.Part, ox: float = 0, oy: float = 0) -> Canvas:
    cv = Canvas(ox, oy)
    cv.raw(f'<g class="part" id="{_esc(p.ref)}">')
    if len(p.pins) == 2 and not p.symbol.startswith("Conn_"):
        _two_pin(cv, p)
    else:
        _boxed(cv, p)
    cv.raw("</g>")
    return cv


def _module_note(board: str) -> Canvas | None:
    """What the module carries on its own board (design.ON_MODULE), dashed: its
    dividers with spice.ON_MODULE_NETS's values, from the socket pin of their source net
    to the GPIO they feed."""
    on = design.ON_MODULE[board]
    if not on:
        return None
    sockets = [p for p in design.parts(board) if p.pin_names]
    cv = Canvas()
    cv.raw('<g class="module">')
    cv.text(0, 0, "On the Pico module itself: not parts of this board (dashed).",
            PIN_FONT + 2, "note")
    cv.text(0, 15, "They read the nets of the socket pins named.", PIN_FONT + 2, "note")
    y = 44
    dividers = spice.ON_MODULE_NETS[board]
    for key, gpio in sorted(on.items(), key=lambda kv: kv[1], reverse=True):
        net = design.MCU_SIGNALS[key][0]
        what = {"pin_adc_battery": f"battery reading (ADC{gpio - 26})", "pin_led": "status LED",
                "pin_usb_sense": "USB sense"}.get(key, key)
        if net not in dividers:
            cv.text(0, y, f"GP{gpio}: {what}, on the module (no pin here)", PIN_FONT + 2,
                    "note")
            y += 26
            continue
        src, top, bot = dividers[net]
        at = [f"{p.ref}.{n} (pin {module_pin(p, n)})" for p in sockets
              for n, v in sorted(p.pins.items(), key=lambda kv: int(kv[0])) if v == src]
        cv.text(0, y, f"{src}, socket pin {', '.join(at)}:", PIN_FONT + 2, "note")
        y += 20
        cv.text(0, y + 4, src, NET_FONT, "mnet", "start", POWER.get(src, NET_COLOUR))
        x = text_width(src, NET_FONT) + 4
        cv.line(x, y, x + 12, y, "w", dash=True)
        cv.rect(x + 12, y - 5, 36, 10, "body", dash=True)
        cv.text(x + 30, y - 8, _ohm(top), PIN_FONT, "mval", "middle")
        cv.line(x + 48, y, x + 80, y, "w", dash=True)
        cv.rect(x + 80, y - 5, 36, 10, "body", dash=True)
        cv.text(x + 98, y - 8, _ohm(bot), PIN_FONT, "mval", "middle")
        cv.line(x + 116, y, x + 128, y, "w", dash=True)
        cv.text(x + 131, y + 4, "GND", NET_FONT, "mnet", "start", POWER["GND"])
        cv.line(x + 64, y, x + 64, y + 12, "w", dash=True)
        ratio = (top + bot) / bot
        cv.text(x + 64, y + 24, f"GP{gpio}: {what} = {src}/{ratio:g}", PIN_FONT + 2, "note",
                "middle")
        y += 48
    cv.raw("</g>")
    return cv


def _ohm(x: float) -> str:
    return f"{x / 1e6:g}M" if x >= 1e6 else f"{x / 1e3:g}k" if x >= 1e3 else f"{x:g}"


def sections(board: str) -> list[tuple[str, list[design.Part]]]:
    parts = design.parts(board)
    by_ref = {p.ref: p for p in parts}
    out, placed = [], set()
    for title, refs in SECTIONS:
        got = [by_ref[r] for r in refs if r in by_ref]
        placed.update(r for r in refs if r in by_ref)
        out.append((title, got))
    rest = [p for p in parts if p.ref not in placed]
    for i, (title, got) in enumerate(out):  # the rail boost's new parts go with it
        if title.startswith("Rail boost"):
            got.extend(p for p in rest if "rail boost" in p.role or "U2" in p.role)
            out[i] = (title, got)
    placed.update(p.ref for _, got in out for p in got)
    rest = [p for p in parts if p.ref not in placed]
    if rest:
        out.append((OTHER, rest))
    return [(t, g) for t, g in out if g]


TITLE = {"pico": "Raspberry Pi Pico build", "esp32_devkitc": "ESP32-DevKitC V4 build"}
STYLE = ("<style>text{font-family:'DejaVu Sans Mono',monospace}"
         ".w,.body,line.nc{stroke:#000;stroke-width:1.2;fill:none}"
         ".fill{fill:#000;stroke:none}line.nc{stroke:#c00000}text.nc{fill:#c00000}"
         ".frame{fill:none;stroke:#888;stroke-width:1}.ref{font-weight:bold}"
         ".net{font-weight:bold}.val,.mval{fill:#333}.pinno{fill:#555}"
         ".title{font-weight:bold}.idx{fill:#222}</style>")


def svg(board: str) -> str:
    body: list[str] = []
    y = MARGIN
    head = Canvas()
    head.text(MARGIN, y + 16, f"ionto reference circuit, {TITLE[board]}: every part and "
              f"pin of tools/circuit/design.py", 16, "title")
    head.text(MARGIN, y + 36, "Net labels: each pin ends in a stub carrying its net's name; "
              "pins with the same label are connected (no wires drawn).", 11, "note")
    head.text(MARGIN, y + 52, "Pin labels: number, then name. ICs in DIP order (1 top left, "
              "down, then up the right). NC: not connected. Generated: make figures.",
              11, "note")
    body += head.out
    y += 72
    for title, parts in sections(board):
        y = _frame(body, title, [draw_part(p) for p in parts], y,
                   _module_note(board) if title.startswith("Microcontroller") else None)
    y = _index(body, board, y)
    h = y + MARGIN
    return "\n".join([f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_num(h)}"'
                      f' viewBox="0 0 {WIDTH} {_num(h)}">', STYLE,
                      f'<rect x="0" y="0" width="{WIDTH}" height="{_num(h)}" fill="#ffffff"/>',
                      *body, "</svg>", ""])


def _frame(body: list[str], title: str, cells: list[Canvas], y: float,
           extra: Canvas | None) -> float:
    """A titled frame at y whose cells flow left to right in rows: the y under it."""
    x0, x1 = MARGIN, WIDTH - MARGIN
    pad, gap = 14, 22
    if extra is not None:
        cells = cells + [extra]
    placed, x, row_y, row_h = [], x0 + pad, y + 34, 0.0
    for cv in cells:
        bx0, by0, bx1, by1 = cv.box
        w, h = bx1 - bx0, by1 - by0
        if x + w > x1 - pad and x > x0 + pad:
            x, row_y, row_h = x0 + pad, row_y + row_h + gap, 0.0
        placed.append((cv, x - bx0, row_y - by0))
        x += w + gap
        row_h = max(row_h, h)
    bottom = row_y + row_h + pad
    body.append(f'<rect class="frame" x="{x0}" y="{_num(y)}" width="{x1 - x0}" '
                f'height="{_num(bottom - y)}"/>')
    t = Canvas()
    t.text(x0 + 8, y + 18, title, 13, "title")
    body += t.out
    for cv, ox, oy in placed:
        final = Canvas(ox, oy)
        _redraw(cv, final)
        body += final.out
    return bottom + 12


def _redraw(cv: Canvas, final: Canvas) -> None:
    """The same elements at final's offset (cells are drawn once at 0, 0 to size them)."""
    final.out = _shift(cv.out, final.ox, final.oy)


def _shift(lines: list[str], dx: float, dy: float) -> list[str]:
    if not (dx or dy):
        return list(lines)
    return [f'<g transform="translate({_num(dx)},{_num(dy)})">', *lines, "</g>"]


def _index(body: list[str], board: str, y: float) -> float:
    """The net index: each net and the pins on it, in two columns."""
    nets = design.nets(board)
    cv = Canvas()
    cv.text(MARGIN + 8, y + 18, "Net index: each net and the pins (part.pin) on it", 13,
            "title")
    size, line, cols = 10, 14, 2
    col_w = (WIDTH - 2 * MARGIN - 16) / cols
    limit = int((col_w - 12) / (size * CHAR))
    entries = []  # each net's lines, wrapped to a column
    for name in sorted(nets):
        words, cur, lines = [name + ":"] + [f"{r}.{p}" for r, p in
                                            sorted(nets[name], key=_pin_key)], "", []
        for w in words:
            if cur and len(cur) + 1 + len(w) > limit:
                lines.append(cur)
                cur = "    " + w
            else:
                cur = f"{cur} {w}" if cur else w
        entries.append(lines + [cur])
    total = sum(len(e) for e in entries)
    yy0, col, yy, used = y + 38, 0, y + 38, 0
    bottom = yy0
    for lines in entries:
        if col < cols - 1 and used >= total / cols:
            col, yy, used = col + 1, yy0, 0
        for text in lines:
            cv.text(MARGIN + 8 + col * col_w, yy, text, size, "idx")
            yy += line
        used += len(lines)
        bottom = max(bottom, yy)
    body.append(f'<rect class="frame" x="{MARGIN}" y="{_num(y)}" width="{WIDTH - 2 * MARGIN}" '
                f'height="{_num(bottom - y)}"/>')
    body += cv.out
    return bottom + 4


def _pin_key(rp: tuple[str, str]) -> tuple[str, int, int]:
    r, p = rp
    head = r.rstrip("0123456789")
    return head, int(r[len(head):] or 0), int(p) if p.isdigit() else 0


def path(board: str, outdir: Path = OUT) -> Path:
    return outdir / f"schematic_{board}.svg"


def main(argv: list[str]) -> int:
    outdir = Path(argv[0]) if argv else OUT
    outdir.mkdir(parents=True, exist_ok=True)
    for board in design.BOARDS:
        p = path(board, outdir)
        p.write_text(svg(board), encoding="utf-8")
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

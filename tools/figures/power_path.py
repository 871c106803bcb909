"""The power path of both builds, for the circuit figure (tools/figures/circuit.py): how
each build's pack reaches its battery pin (SR-16) and USB's VBUS its USB sense pin
(SR-17), as tools/circuit/design.py wires them. The values are read from the circuit
source, the pins from the board files (figure.pins)."""

from __future__ import annotations

import schemdraw
import schemdraw.elements as elm

from tools.circuit import design


def _ohm(board: str, ref: str) -> str:
    x = float(design.part(board, ref).ohm)  # type: ignore[arg-type]
    return f"{x / 1000:g} kΩ" if x >= 1000 else f"{x:g} Ω"


def _divider(d: schemdraw.Drawing, at: tuple[float, float], board: str, top: str, bot: str,
             pin: str) -> None:
    """A resistor right from `at`, one down to GND from its end, the pin tag there."""
    r = d.add(elm.Resistor().right().at(at).length(2.0).label(_ohm(board, top)))
    d.add(elm.Dot().at(r.end))
    rb = d.add(elm.Resistor().down().at(r.end).length(1.6).label(_ohm(board, bot),
                                                                  loc="bottom"))
    d.add(elm.Ground().at(rb.end))
    d.add(elm.Line().at(r.end).right().length(0.6))
    d.add(elm.Label().at(d.here).label(pin, loc="right", fontsize=10))


def _pack(d: schemdraw.Drawing, x: float, y: float, title: str, what: str) -> float:
    """A build's title and its pack at x, its + wired to a node at x + 0.8: the node's y."""
    d.add(elm.Label().at((x, y + 6.2)).label(title, loc="right", fontsize=11))
    bat = d.add(elm.Battery().up().at((x, y + 1.0)).length(1.6)
                .label(what, loc="bottom", ofst=0.3))
    d.add(elm.Ground().at(bat.start))
    top = bat.end[1] + 0.6
    d.add(elm.Line().at(bat.end).to((x, top)))
    d.add(elm.Line().at((x, top)).to((x + 0.8, top)))
    d.add(elm.Dot().at((x + 0.8, top)))
    return top


def draw(d: schemdraw.Drawing, y: float, pins) -> None:
    """Both builds' power paths in a band from y upwards (about 6 units tall)."""
    # --- ESP32 DevKitC: 2-3 cells; the pack through R30/R31; USB's VBUS through R38/R39
    x = 0.0
    top = _pack(d, x, y, "ESP32 DevKitC build", "pack\n2-3 cells")
    _divider(d, (x + 0.8, top), "esp32_devkitc", "R30", "R31",
             f"ADC battery\nGPIO{pins['esp32_devkitc']['pin_adc_battery']}")
    d.add(elm.Line().at((x + 0.8, top)).to((x + 0.8, top + 1.6)))
    buck = d.add(elm.Line().at((x + 0.8, top + 1.6)).right().length(0.4))
    _box(d, buck.end, 2.0, "buck 5 V")
    dio = d.add(elm.Diode().right().at((buck.end[0] + 2.0, buck.end[1])).length(1.4)
                .label("D1", loc="bottom"))
    d.add(elm.Line().at(dio.end).right().length(0.4))
    d.add(elm.Label().at(d.here).label("DevKitC 5V pin\n(USB: through its D3)",
                                       loc="right", fontsize=9))
    usb_y = y + 0.2
    d.add(elm.Label().at((x + 3.9, usb_y)).label("USB socket J3\nVBUS", loc="left",
                                                 fontsize=9))
    _divider(d, (x + 4.0, usb_y), "esp32_devkitc", "R38", "R39",
             f"USB sense\nGPIO{pins['esp32_devkitc']['pin_usb_sense']}")
    # --- Pico: one cell through Q7 (gate: VBUS) onto VSYS; U7 makes 12 V from the cell
    x = 10.0
    top = _pack(d, x, y, "Pico build", "one\nLi-ion cell")
    q7 = d.add(elm.PFet().theta(-90).at((x + 0.8, top)).anchor("drain"))
    d.add(elm.Line().at(q7.gate).to((q7.gate[0], y + 0.6)))
    d.add(elm.Label().at((q7.gate[0], y + 0.6)).label(
        "Q7's gate: VBUS (R37 100 kΩ to GND):\nthe cell off VSYS while USB is in",
        loc="bottom", fontsize=9))
    d.add(elm.Line().at(q7.source).right().length(0.5))
    d.add(elm.Label().at(d.here).label(
        f"VSYS; on the Pico: VSYS/3 → GP{pins['pico']['pin_adc_battery']} (ADC battery),\n"
        f"USB → its Schottky → VSYS, VBUS sense → GP{pins['pico']['pin_usb_sense']}",
        loc="right", fontsize=9))
    d.add(elm.Line().at((x + 0.8, top)).to((x + 0.8, top + 1.8)))
    u7 = d.add(elm.Line().at((x + 0.8, top + 1.8)).right().length(0.5))
    _box(d, u7.end, 2.4, "U7 boost 12 V")
    d.add(elm.Line().at((u7.end[0] + 2.4, u7.end[1])).right().length(0.5))
    d.add(elm.Label().at(d.here).label("op-amps, relay buck 5 V, rail boost\n"
                                       "(U7, rail boost: enables on the Pico's 3.3 V)",
                                       loc="right", fontsize=9))


def _box(d: schemdraw.Drawing, left: tuple[float, float], w: float, text: str) -> None:
    x0, yc = left
    pts = ((x0, yc - 0.4), (x0 + w, yc - 0.4), (x0 + w, yc + 0.4), (x0, yc + 0.4))
    for a, b in zip(pts, pts[1:] + pts[:1]):
        d.add(elm.Line().at(a).to(b))
    d.add(elm.Label().at((x0 + w / 2, yc)).label(text, fontsize=9))

"""The reference circuit (shared/design/hardware.md) as a figure: docs/figures/circuit.svg
and circuit.png, drawn with schemdraw. `make figures` runs this; a test regenerates the
SVG and compares it with the committed one.

The pin labels come from the board descriptions (firmware/boards/pico.py and
esp32_devkitc.py), so a changed pin changes the figure. Part values are those of
docs/hardware.md's parts list.

The SVG uses schemdraw's own SVG backend with text as <text> elements: the same
input gives the same bytes on any machine. The PNG is rendered by matplotlib from
the same drawing; fonts and anti-aliasing can differ between machines, so the PNG
carries the SHA-256 of the SVG it was drawn with (a PNG text chunk), which the test
checks instead of the pixels.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import schemdraw
import schemdraw.elements as elm

from firmware.boards import esp32_devkitc, pico
from tools.figures import power_path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "figures"
NAME = "circuit"
PNG_KEY = "Source-SVG-SHA256"  # the PNG text chunk that names its SVG


def pins(key: str) -> str:
    """'GP16 / GPIO25': the pin of both reference boards, from their files."""
    p = pico.BOARD[key]
    e = esp32_devkitc.BOARD[key]
    return f"GP{p} / GPIO{e}" if e is not None else f"GP{p} / -"


def _box(d: schemdraw.Drawing, x0: float, y0: float, x1: float, y1: float, text: str,
         size: float = 9) -> None:
    """A labelled block (x0, y0 bottom-left, x1, y1 top-right)."""
    d.add(elm.Line().at((x0, y0)).to((x1, y0)))
    d.add(elm.Line().at((x1, y0)).to((x1, y1)))
    d.add(elm.Line().at((x1, y1)).to((x0, y1)))
    d.add(elm.Line().at((x0, y1)).to((x0, y0)))
    d.add(elm.Label().at(((x0 + x1) / 2, (y0 + y1) / 2)).label(text, fontsize=size))


def _wire(d: schemdraw.Drawing, *points: tuple[float, float], color: str = "black") -> None:
    for a, b in zip(points, points[1:]):
        d.add(elm.Line().at(a).to(b).color(color))


def _tag(d: schemdraw.Drawing, at: tuple[float, float], text: str, loc: str) -> None:
    d.add(elm.Label().at(at).label(text, loc=loc, fontsize=10))


def same(key: str) -> int:
    """A value both reference boards share (the figure shows one circuit)."""
    v = pico.BOARD[key]
    if esp32_devkitc.BOARD[key] != v:
        raise ValueError(f"{key} differs between the boards: the figure shows one value")
    return v


def drawing() -> schemdraw.Drawing:
    rail_v = same("rail_mv") / 1000
    sense_ohm = same("current_sense_ohm")
    trip_v = same("hw_cap_ua") * sense_ohm / 1e6
    d = schemdraw.Drawing(show=False)
    d.config(fontsize=11, unit=2.5, lw=1.2, bgcolor="white")
    col = 9.5  # the current path: rail -> Q1 -> relay -> person -> relay -> Q2 -> R_sense

    # --- power: pack -> boost -> current limit -> PTC -> high-side output switch Q1 ---
    bat = d.add(elm.Battery().up().at((0, 7.4)).label("pack\n(Pico: U7's\n12 V)",
                                                      loc="bottom", ofst=0.4))
    d.add(elm.Ground().at(bat.start))
    y = bat.end[1]
    _wire(d, bat.end, (1.4, y))
    _box(d, 1.4, y - 0.7, 3.6, y + 0.7, f"U2 boost\n{rail_v:g} V", 11)
    _wire(d, (3.6, y), (4.6, y))
    d.add(elm.Dot().at((4.6, y)))
    d.add(elm.Resistor().right().at((4.6, y)).label("R_limit 220 Ω"))
    d.add(elm.FuseIEC().right().label("PTC 50 mA"))
    _wire(d, d.here, (col, y))
    q1 = d.add(elm.PFet().theta(0).at((col, y)).anchor("source").label("Q1\noutput\nswitch",
                                                              loc="left", ofst=0.2))
    # battery and rail readings
    _wire(d, (0, y), (0, y + 1.0))
    # Never straight to the pack: 8-12.6 V would destroy the pin (issue 18). Each
    # build's divider and power path are drawn above (power_path.py).
    _tag(d, (0, y + 1.0), f"ADC battery {pins('pin_adc_battery')}\n(through the power\n"
         "path above)", "top")
    _wire(d, (4.6, y), (4.6, y + 1.0))
    _tag(d, (4.6, y + 1.0), f"ADC rail (divider)\n{pins('pin_adc_rail')}", "top")
    # Q1's gate: a level shifter, on only with enable high and the trip latch clear
    gx, gy = q1.gate
    _wire(d, (gx, gy), (11.2, gy))
    _box(d, 11.2, gy - 0.7, 14.4, gy + 0.7, "level shifter\non: enable high\nand not tripped")
    _wire(d, (12.8, gy + 0.7), (12.8, gy + 1.3))
    _tag(d, (12.8, gy + 1.3), f"enable {pins('pin_enable')}\n(pull-down: off at reset)",
         "top")

    # --- the relay swaps the trays (coil off = normal polarity) ---
    hi_y, lo_y = 7.6, 5.6
    _wire(d, q1.drain, (col, hi_y), (11.2, hi_y))
    d.add(elm.Dot().at((col, hi_y)))
    _box(d, 11.2, lo_y - 0.6, 13.2, hi_y + 0.6, "relay\nDPDT", 10)
    _wire(d, (13.2, hi_y), (14.4, hi_y))
    _wire(d, (13.2, lo_y), (14.4, lo_y))
    _tag(d, (13.8, hi_y), "tray A", "top")
    _tag(d, (13.8, lo_y), "tray B", "bottom")
    d.add(elm.Resistor().down().at((14.4, hi_y)).to((14.4, lo_y))
          .label("hand or foot\nin tap water", loc="bottom", ofst=0.2))
    _wire(d, (12.2, lo_y - 0.6), (12.2, lo_y - 1.2))
    _tag(d, (12.2, lo_y - 1.2), f"relay {pins('pin_relay')}", "bottom")
    _wire(d, (11.2, lo_y), (col, lo_y))
    d.add(elm.Dot().at((col, lo_y)))

    # --- electrode voltage: a difference stage across the relay's two inputs ---
    _wire(d, (col, hi_y), (8.2, hi_y), (8.2, 7.1))
    _wire(d, (col, lo_y), (8.2, lo_y), (8.2, 6.1))
    _box(d, 5.0, 6.1, 8.6, 7.1, "difference stage\n(hi - lo) x ratio")
    _wire(d, (5.0, 6.6), (4.4, 6.6))
    _tag(d, (4.4, 6.6), f"ADC voltage\n{pins('pin_adc_voltage')}", "left")

    # --- the sink: op-amp + Q2 + R_sense; I = V_set / R_sense ---
    q2 = d.add(elm.NFet().theta(0).reverse().at((col, 4.4)).anchor("drain")
               .label("Q2 sink", loc="right", ofst=0.2))
    _wire(d, (col, lo_y), q2.drain)
    sense = (col, q2.source[1] - 0.4)
    _wire(d, q2.source, sense)
    d.add(elm.Dot().at(sense))
    rs = d.add(elm.Resistor().down().at(sense).label(f"R_sense\n{sense_ohm} Ω", loc="bottom"))
    d.add(elm.Ground().at(rs.end))
    op = d.add(elm.Opamp(leads=True).flip().right().at(q2.gate).anchor("out")
               .label("op-amp", loc="center", fontsize=9))
    minus = op.in1
    _wire(d, minus, (minus[0] - 0.3, minus[1]), (minus[0] - 0.3, sense[1] - 0.6),
          (col - 0.8, sense[1] - 0.6), (col - 0.8, sense[1]), sense)
    plus = op.in2
    r1 = d.add(elm.Resistor().left().at(plus).label("20 kΩ"))
    c1 = d.add(elm.Capacitor().down().at(r1.end).label("100 nF", loc="bottom"))
    d.add(elm.Ground().at(c1.end))
    r2 = d.add(elm.Resistor().left().at(r1.end).label("20 kΩ"))
    c2 = d.add(elm.Capacitor().down().at(r2.end).label("100 nF", loc="bottom"))
    d.add(elm.Ground().at(c2.end))
    _wire(d, r2.end, (r2.end[0] - 0.4, r2.end[1]))
    _tag(d, (r2.end[0] - 0.4, r2.end[1]), f"set PWM\n{pins('pin_set')}", "left")

    # --- the current reading and the hardware trip latch on the sense node ---
    tap = (11.2, sense[1])
    _wire(d, sense, tap, (12.0, sense[1]))
    d.add(elm.Dot().at(tap))
    _tag(d, (12.0, sense[1]), f"ADC current {pins('pin_adc_current')}\n"
         "(RC; ESP32: bias divider)", "right")
    ly = sense[1] - 2.6
    _wire(d, tap, (11.2, ly + 1.0))
    trip = f"comparator at {trip_v:g} V ({same('hw_cap_ua') // 1000} mA) + latch"
    _box(d, 10.4, ly - 0.6, 15.6, ly + 1.0, trip, 9)
    _wire(d, (11.6, ly - 0.6), (11.6, ly - 1.2))
    _tag(d, (11.6, ly - 1.2), f"trip\n{pins('pin_trip')}\n(low = tripped)", "bottom")
    _wire(d, (14.4, ly - 0.6), (14.4, ly - 1.2))
    _tag(d, (14.4, ly - 1.2), f"trip_reset\n{pins('pin_trip_reset')}", "bottom")
    _wire(d, (15.6, ly + 0.2), (17.6, ly + 0.2), (17.6, gy), (14.4, gy), color="gray")
    _tag(d, (17.6, (ly + gy) / 2), "tripped:\nQ1 off", "right")
    power_path.draw(d, 13.6, {"pico": pico.BOARD, "esp32_devkitc": esp32_devkitc.BOARD})
    return d


def svg_text(d: schemdraw.Drawing) -> str:
    schemdraw.svgconfig.text = "text"  # plain <text>: no font outlines, same bytes anywhere
    d.draw(show=False, canvas="svg")
    return d.get_imagedata("svg").decode()


def write_png(d: schemdraw.Drawing, path: Path, svg_sha: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    d.draw(show=False, canvas="matplotlib")
    fig = d.fig.getfig()  # type: ignore[union-attr]
    fig.savefig(path, dpi=110, bbox_inches="tight", pad_inches=0.1, facecolor="white",
                metadata={PNG_KEY: svg_sha, "Software": "schemdraw " + schemdraw.__version__})


def render(outdir: Path = OUT) -> tuple[Path, Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    svg = svg_text(drawing())
    svg_path = outdir / f"{NAME}.svg"
    svg_path.write_text(svg, encoding="utf-8")
    png_path = outdir / f"{NAME}.png"
    write_png(drawing(), png_path, hashlib.sha256(svg.encode()).hexdigest())
    return svg_path, png_path


def main(argv: list[str]) -> int:
    outdir = Path(argv[0]) if argv else OUT
    for p in render(outdir):
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

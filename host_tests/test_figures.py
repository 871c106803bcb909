"""The committed circuit figure (docs/figures/circuit.svg, .png) is what
tools/figures/circuit.py draws today (`make figures` regenerates both).

The SVG is compared byte for byte with a fresh rendering. The PNG is not compared
pixel by pixel (matplotlib's rasteriser and fonts may differ between machines); it
must be a PNG that names, in a text chunk, the SHA-256 of the SVG it was drawn
with, and that SVG must be the committed one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image

from firmware.boards import esp32_devkitc, pico
from tools.figures import circuit

FIG = Path(__file__).resolve().parent.parent / "docs" / "figures"
STALE = "out of date: run `make figures` and commit docs/figures/"


def test_svg_is_what_the_source_draws_today():
    committed = (FIG / "circuit.svg").read_text(encoding="utf-8")
    assert circuit.svg_text(circuit.drawing()) == committed, "circuit.svg " + STALE


def test_png_was_rendered_from_the_committed_svg():
    svg = (FIG / "circuit.svg").read_bytes()
    with Image.open(FIG / "circuit.png") as png:
        assert png.format == "PNG"
        assert png.width > 800 and png.height > 400  # readable, not a stub
        source = png.text.get(circuit.PNG_KEY)  # type: ignore[attr-defined]
    assert source == hashlib.sha256(svg).hexdigest(), "circuit.png " + STALE


def test_the_figure_labels_the_pins_of_both_board_files():
    svg = (FIG / "circuit.svg").read_text(encoding="utf-8")
    keys = [k for k in pico.BOARD if k.startswith("pin_") and k not in
            ("pin_led", "pin_buzzer", "pin_button", "pin_up", "pin_down", "pin_usb_sense")]
    # the circuit's signals; LED, buzzer, the buttons and USB are in docs/wiring.md
    for key in keys:
        label = f"GP{pico.BOARD[key]} / GPIO{esp32_devkitc.BOARD[key]}"
        assert label in svg, f"{key}: {label} not in the figure"

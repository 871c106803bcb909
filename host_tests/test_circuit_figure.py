"""docs/figures/circuit.svg (drawn by tools/figures/circuit.py from the board files)
against the circuit source (tools/circuit/design.py): every part value the figure names
is the source's. The figure draws blocks, not every part (docs/circuit.md); this keeps
what it does show from drifting.

The sense resistor and the trip voltage come from the board file: until the firmware
takes 82 Ohm (test_circuit_constants.PENDING) the figure may show the board's value.
"""

from __future__ import annotations

import re
from pathlib import Path

from test_circuit_constants import PENDING

from firmware.boards import pico
from tools.circuit import design

SVG = Path(__file__).resolve().parent.parent / "docs" / "figures" / "circuit.svg"


def _labels() -> list[str]:
    text = SVG.read_text(encoding="utf-8")
    return [m for m in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", text)]


def _ohm(x: float) -> str:
    return f"{x / 1000:g} kΩ" if x >= 1000 else f"{x:g} Ω"


def test_the_figures_part_values_are_the_sources():
    labels = _labels()
    r1, f2 = design.part("pico", "R1"), design.part("pico", "F2")
    assert f"R_limit {_ohm(r1.ohm)}" in labels
    assert f2.value in labels  # "PTC 50 mA"
    for ref in ("R7", "R8"):
        assert labels.count(_ohm(design.part("pico", ref).ohm)) >= 2, ref
    for ref in ("C1", "C2"):
        c = design.part("pico", ref).farad
        assert labels.count(f"{c * 1e9:g} nF") >= 2, ref
    sense = [lab for lab in labels if lab.endswith(" Ω") and lab[0].isdigit()
             and lab not in (_ohm(20e3),)]
    allowed = {design.R_SENSE, PENDING.get(("pico", "current_sense_ohm"), design.R_SENSE)}
    assert any(float(lab.split()[0]) in allowed for lab in sense), sense
    assert pico.BOARD["current_sense_ohm"] in allowed


def test_the_figure_draws_each_builds_power_path_from_the_source():
    """Issue 18: the battery pin through its divider and the USB sense (SR-16, SR-17):
    the ESP32's two dividers with the source's values and both boards' pins, the Pico's
    cell through Q7 onto VSYS (VSYS/3 on its GP29)."""
    from firmware.boards import esp32_devkitc

    labels = _labels()
    for ref in ("R30", "R31", "R38", "R39"):
        assert _ohm(design.part("esp32_devkitc", ref).ohm) in labels, ref
    text = " ".join(labels)
    for key in ("pin_adc_battery", "pin_usb_sense"):
        assert f"GPIO{esp32_devkitc.BOARD[key]}" in text, key
        assert f"GP{pico.BOARD[key]}" in text, key
    assert "VSYS/3" in text and "Q7" in text and "U7 boost 12 V" in labels

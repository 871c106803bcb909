"""The board files' analog constants and pins against the circuit source
(tools/circuit/design.py): the dividers, the sense resistor, the set filter and the trip
level follow from the parts there, and every pin field names the GPIO the netlist
wires. A resistor changed on one side only fails here.

PENDING lists the board-file values that the circuit has changed and the firmware has
not followed yet (firmware/ is changed by its own commits): the test accepts the old
value only there, and fails once the board file is updated, so that the entry goes.
"""

from __future__ import annotations

import pytest

from firmware.boards import esp32_devkitc, pico
from tools.circuit import design

BOARDS = {"pico": pico.BOARD, "esp32_devkitc": esp32_devkitc.BOARD}

# (board, field): the value the board file still has, while the circuit has moved on.
# Empty: the last one (R_sense 100 -> 82 Ohm, issue 18) is in the board files now.
PENDING: dict[tuple[str, str], int] = {}

# How close a board field must be to the circuit's value: the calibration corrects
# what is left (firmware/store.py: +-10 % of gain, +-200 codes of offset).
RATIO = ("current_div_ppm", "voltage_div_ppm", "rail_div_ppm", "battery_div_ppm")
BIAS = ("current_bias_mv", "voltage_bias_mv")


def _close(field: str, got: float, want: float) -> bool:
    if field in RATIO:
        return abs(got / want - 1) < 0.02
    if field in BIAS:
        return abs(got - want) < 5
    if field in ("set_filter_ms",):
        return abs(got / want - 1) < 0.05
    if field in ("hw_cap_ua", "rail_mv"):
        return abs(got / want - 1) < 0.01
    return got == want


@pytest.mark.parametrize("name", design.BOARDS)
def test_analog_constants_follow_from_the_parts(name):
    board = BOARDS[name]
    derived = design.analog(name, board["adc_ref_mv"])
    for field, want in derived.items():
        got = board[field]
        if _close(field, got, want):
            assert (name, field) not in PENDING, (
                f"{name}.{field} now matches the circuit: remove it from PENDING")
            continue
        assert PENDING.get((name, field)) == got, (
            f"{name}.{field} = {got}, the circuit gives {want:g} (tools/circuit/design.py)")


@pytest.mark.parametrize("name", design.BOARDS)
def test_every_pin_field_is_the_gpio_the_netlist_wires(name):
    board = BOARDS[name]
    nets = design.nets(name)
    for field, gpio in design.WIRING[name].items():
        if gpio is None:
            assert field in design.ON_MODULE[name], f"{name}: {field} is wired nowhere"
            assert board[field] == design.ON_MODULE[name][field], f"{name}.{field}"
            continue
        assert board[field] == gpio, f"{name}.{field} = {board[field]}, the netlist: {gpio}"
        net = design.MCU_SIGNALS[field][0]
        sockets = [ref for ref, _ in nets[net] if ref.startswith("A")]
        assert sockets, f"{name}: {net} reaches no microcontroller pin"
    # The board file's pins that the netlist does not wire are on the module itself.
    for field, value in board.items():
        if field.startswith("pin_") and value is not None and field not in design.WIRING[name]:
            assert design.ON_MODULE[name].get(field) == value, f"{name}.{field} is not wired"


def test_the_circuit_and_the_simulator_share_the_set_path_and_trip():
    """Values both boards share (the figure and the simulator draw one circuit)."""
    for name in design.BOARDS:
        d = design.analog(name)
        assert d["set_filter_ms"] == pytest.approx(2.0)
        assert d["hw_cap_ua"] == pytest.approx(35000, rel=0.01)
        assert d["current_sense_ohm"] == design.R_SENSE


def test_the_trip_reference_keeps_the_current_adc_pin_under_3_3_v():
    """Issue 18: at the trip level the sense node (the Pico's current ADC pin, through
    its RC) must stay inside the ADC's range, with the trip tolerance."""
    v = design.analog("pico")["hw_cap_ua"] / 1e6 * design.R_SENSE
    assert v * (1 + design.trip_tolerance("pico")) < 3.3

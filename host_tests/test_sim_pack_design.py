"""The simulated packs (tools/sim/circuit.py pack(), BUILDS, the CELL_ figures) against
the circuit source they come from (tools/circuit/design.py, tools/circuit/offboard.py), so
that they cannot drift apart: a cell's lowest, nominal and full voltage (design.PACK_V),
the Pico build's rail held down to U7's lowest input, the ESP32's above U1's,
and each pack's capacity from the order list. CPython only (design.py is); what the
model does with them, in both interpreters: host_tests/device/test_sim_pack.py.
"""

from __future__ import annotations

import re

import pytest

from firmware.boards import esp32_devkitc, pico
from tools.circuit import design, offboard
from tools.sim import circuit

BUILD_PORT = {"pico": "rp2", "esp32_devkitc": "esp32"}  # design.BOARDS -> the model's key
BOARDS = {"pico": pico.BOARD, "esp32_devkitc": esp32_devkitc.BOARD}


def _lowest_input_v(board: str, ref: str) -> float:
    # A module's stated input range, "in LO-HI V ..." (its rating in design.py).
    m = re.match(r"in (\d+(?:\.\d+)?)-(\d+(?:\.\d+)?) V", design.part(board, ref).rating)
    assert m, design.part(board, ref).rating
    return float(m.group(1))


def _cell_mah(key: str) -> float:
    (item,) = [x for x in offboard.ITEMS if x.key == key]
    m = re.search(r"(\d+) mAh", item.mpn)
    assert m, item.mpn
    return float(m.group(1))


def test_the_builds_are_the_circuit_sources():
    assert set(BUILD_PORT) == set(design.BOARDS)
    for name, port in BUILD_PORT.items():
        assert BOARDS[name]["port"] == port
        assert circuit.pack(BOARDS[name])["cells"] == circuit.BUILDS[port]["cells"]


@pytest.mark.parametrize("name, cells", [("pico", 1), ("esp32_devkitc", 2)])
def test_a_cell_is_design_pack_v(name, cells):
    lowest, nominal, full = design.PACK_V[name]
    assert circuit.BUILDS[BUILD_PORT[name]]["cells"] == cells
    assert lowest * 1000 == cells * circuit.CELL_MIN_MV
    assert nominal * 1000 == pytest.approx(cells * circuit.CELL_NOMINAL_MV)
    # full: the Pico's one cell; the ESP32's PACK_V is a full 3-cell pack (2-3 cells)
    assert full * 1000 == pytest.approx(round(full / 4.2) * circuit.CELL_FULL_MV)
    # the cut-off is the board file's, and the model starts between nominal and full
    assert BOARDS[name]["battery_min_mv"] == lowest * 1000
    start = circuit.pack(BOARDS[name])["battery_mv"]
    assert nominal * 1000 < start < cells * circuit.CELL_FULL_MV


def _on_net(board: str, net: str) -> set[str]:
    return {ref for ref, _ in design.nets(board)[net]}


def test_the_pico_rail_holds_down_to_u7s_lowest_input():
    assert circuit.BUILDS["rp2"]["rail_min_battery_mv"] == _lowest_input_v("pico", "U7") * 1000
    # U7 makes V12 from the cell; the rail boost U2 and the buck U1 run from V12
    assert design.part("pico", "U7").pins["1"] == "VPACK"
    assert design.part("pico", "U7").pins["3"] == "V12"
    assert {"U1", "U2", "U7"} <= _on_net("pico", "V12")
    assert "U2" not in _on_net("pico", "VPACK")


def test_the_esp32_rail_sags_no_lower_than_its_modules_allow():
    # The model's 6.4 V: its own assumption, at or above the lowest input of U1 (the
    # buck module, on the pack: design.py) and above the firmware's cut-off. U2, the
    # rail boost, also runs from the pack (its input range: tools/circuit/boost.py).
    rail_min = circuit.BUILDS["esp32"]["rail_min_battery_mv"]
    assert {"U1", "U2"} <= _on_net("esp32_devkitc", "VPACK")
    assert rail_min >= _lowest_input_v("esp32_devkitc", "U1") * 1000
    assert rail_min > esp32_devkitc.BOARD["battery_min_mv"]


def test_the_capacities_are_the_order_lists_packs():
    assert circuit.BUILDS["rp2"]["cell_mah"] == _cell_mah("pack_1s")
    assert circuit.BUILDS["esp32"]["cell_mah"] == _cell_mah("pack_2s")

"""The circuit source (tools/circuit/design.py) through KiCad's rules: SKiDL reads the
KiCad 6 symbols (Debian kicad-symbols), runs its electrical rules check and writes the
KiCad netlists committed in hardware/; every footprint exists in KiCad's library
(Debian kicad-footprints); the parts lists in hardware/ are what design.py gives.

The control case ties two op-amp outputs together: the ERC must report it, so a check
that reports nothing cannot pass here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.circuit import bom, design

ROOT = Path(__file__).resolve().parent.parent
FOOTPRINTS = Path("/usr/share/kicad/footprints")


def _kicad(tmp: Path, board: str, *extra: str) -> tuple[dict, Path]:
    out = tmp / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "tools.circuit.kicad", board, str(out), *extra],
                       cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    lines = [x for x in r.stdout.splitlines() if x.startswith("{")]
    assert lines, f"no result from tools.circuit.kicad:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    return json.loads(lines[-1]), out / f"ionto_{board}.net"


@pytest.mark.parametrize("board", design.BOARDS)
def test_erc_is_clean_and_the_committed_netlist_is_current(tmp_path, board):
    result, net = _kicad(tmp_path, board)
    assert result["errors"] == 0 and result["warnings"] == 0, result["messages"]
    committed = ROOT / "hardware" / f"ionto_{board}.net"
    assert committed.read_text(encoding="utf-8") == net.read_text(encoding="utf-8"), (
        f"{committed.name} is out of date: run `make circuit`")


def test_erc_reports_two_outputs_on_one_net(tmp_path):
    result, _ = _kicad(tmp_path, "pico", "--fault", "outputs")
    assert result["errors"] >= 1
    assert any("OUTPUT connected to OUTPUT" in m for m in result["messages"]), result


@pytest.mark.parametrize("board", design.BOARDS)
def test_every_footprint_is_in_kicads_library(board):
    assert FOOTPRINTS.is_dir(), "kicad-footprints is not installed (make installs it)"
    for p in design.parts(board):
        lib, name = p.footprint.split(":")
        assert (FOOTPRINTS / f"{lib}.pretty" / f"{name}.kicad_mod").is_file(), (
            f"{p.ref}: no footprint {p.footprint}")


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_committed_parts_list_is_current(board):
    assert bom.path(board).read_text(encoding="utf-8") == bom.text(board), (
        f"{bom.path(board).name} is out of date: run `make circuit`")


def _volts(rating: str) -> float:
    vs = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) V\b", rating)]
    assert vs, f"no voltage in {rating!r}"
    return max(vs)


# Parts on the rail's side that are rated under 100 V, and why that is enough.
LOW_RATED = {
    "D2": "the Zener sees only Q1's gate-source voltage (it clamps it at 15 V)",
    "F2": "MF-R005 is rated 60 V: the rail stays under 60 V (rail_mv 58 V, brief)",
}
RAIL_SIDE = {"RAIL", "RAIL_L", "RAIL_P", "Q1_G", "LS_D", "OUT_HI", "OUT_LO", "TRAY_A",
             "TRAY_B"}


@pytest.mark.parametrize("board", design.BOARDS)
def test_every_part_has_value_rating_and_footprint(board):
    for p in design.parts(board):
        assert p.value and p.rating and p.footprint and p.mpn and p.alt, p.ref
        if p.symbol == "R":
            assert re.search(r"\d W", p.rating) and "%" in p.rating, p.ref
            _volts(p.rating)
        if p.symbol in ("C", "C_Polarized"):
            assert "%" in p.rating, p.ref
            _volts(p.rating)
        if set(p.pins.values()) & RAIL_SIDE and p.ref not in LOW_RATED:
            assert _volts(p.rating) >= 100, f"{p.ref} on the rail's side: {p.rating}"

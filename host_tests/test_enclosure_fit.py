"""The enclosure on the order list holds what docs/build.md puts in it (issue 18: the
1591E listed before could not take the board). Each build's stripboard, as its committed
layout (hardware/stripboard_<board>.csv) gives it, ROWS strips x COLS holes at PITCH_MM,
is laid out with the margins and allowances in tools/circuit/offboard.py: along the box,
MARGIN_MM from each end wall and CORNER_MM from one long wall, on its standoffs over the
insulating sheet, its tallest part and the lid's parts MARGIN_MM under the lid; beside it
the pack on its long edge and the tray leads' gland. The check fails a box that is too
small in any of the three directions; the controls show that it does: the old box
(170 x 110 x 50 mm inside) and a box a millimetre short in each direction are refused.
"""

from __future__ import annotations

import re

import pytest

from tools.circuit import design, offboard, stripboard

OLD_INSIDE_MM = (170.0, 110.0, 50.0)  # the Hammond 1591ESFLBK's, listed before issue 18
AXES = ("length", "width", "height")


def board_mm(board: str) -> tuple[float, float]:
    """The build's stripboard, (across the strips, along them), from its committed layout."""
    text = stripboard.csv_path(board).read_text(encoding="utf-8")
    m = re.search(r"^board,(\d+) strips x (\d+) holes,", text, flags=re.M)
    assert m, f"{board}: no board line in {stripboard.csv_path(board).name}"
    rows, cols = int(m.group(1)), int(m.group(2))
    # place() sizes every build's layout ROWS x COLS (its defaults)
    assert (rows, cols) == (stripboard.ROWS, stripboard.COLS), (board, rows, cols)
    return rows * stripboard.PITCH_MM, cols * stripboard.PITCH_MM


def needed_mm(board: str) -> dict[str, float]:
    across, along = board_mm(board)
    m, corner = offboard.MARGIN_MM, offboard.CORNER_MM
    pack_len, pack_high, pack_thick = offboard.PACK_MM[board]
    gland_in, gland_along = offboard.GLAND_MM
    stack = (
        offboard.SHEET_MM
        + offboard.STANDOFF_MM
        + offboard.BOARD_MM
        + offboard.TALLEST_MM
        + offboard.LID_PARTS_MM
        + m
    )
    return {
        # the board between the end walls; beside it the pack and the gland, clear of the
        # corner bosses at both ends
        "length": max(along + 2 * m, 2 * corner + pack_len + m + gland_along),
        # the board clear of the corner bosses on one side; the pack (or the gland, where
        # it goes through the wall) along the other
        "width": corner + across + m + max(pack_thick, gland_in),
        # the board's stack under the lid; the pack stood on its edge
        "height": max(stack, pack_high + m),
    }


def too_small(inside_mm: tuple[float, float, float], board: str) -> list[str]:
    need = needed_mm(board)
    return [
        f"{axis}: {have:.1f} mm inside, {need[axis]:.1f} mm needed"
        for axis, have in zip(AXES, inside_mm)
        if have < need[axis]
    ]


def test_every_build_has_its_pack_allowance():
    assert set(offboard.PACK_MM) == set(design.BOARDS)


@pytest.mark.parametrize("board", design.BOARDS)
def test_the_listed_enclosure_holds_the_build(board):
    assert too_small(offboard.ENCLOSURE_INSIDE_MM, board) == []


@pytest.mark.parametrize("board", design.BOARDS)
def test_control_the_old_box_is_refused(board):
    problems = too_small(OLD_INSIDE_MM, board)
    # 218.4 mm of board in 170 mm; 99.1 mm and the pack in 110 mm; the stack in 50 mm
    assert [p.split(":")[0] for p in problems] == list(AXES), problems


@pytest.mark.parametrize("board", design.BOARDS)
@pytest.mark.parametrize("axis", range(3))
def test_control_a_millimetre_short_in_any_direction_is_refused(board, axis):
    inside = [needed_mm(board)[a] for a in AXES]
    assert too_small(tuple(inside), board) == []
    inside[axis] -= 1.0
    assert [p.split(":")[0] for p in too_small(tuple(inside), board)] == [AXES[axis]]


def test_the_items_say_the_sizes_the_check_uses():
    items = {x.key: x for x in offboard.ITEMS}
    length, width, height = offboard.ENCLOSURE_INSIDE_MM
    assert f"inside about {length:.0f} x {width:.0f} x {height:.0f} mm" in (
        items["enclosure"].rating
    )
    assert f"M3 x {offboard.STANDOFF_MM:.0f} mm" in items["standoffs"].what
    assert f"sheet under the board, {offboard.SHEET_MM} mm" in items["insulating_sheet"].what
    across, along = board_mm("pico")
    assert f"({across:.1f} x {along:.1f} mm)" in items["stripboard"].what


def test_stripboard_py_states_the_true_size():
    across = stripboard.ROWS * stripboard.PITCH_MM
    along = stripboard.COLS * stripboard.PITCH_MM
    source = (stripboard.ROOT / "tools" / "circuit" / "stripboard.py").read_text()
    assert re.search(rf"^ROWS, COLS = .*# {across:.1f} x {along:.1f} mm ", source, flags=re.M)

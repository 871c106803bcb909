"""docs/wiring.md matches the board files: every pin of firmware/boards/pico.py and
esp32_devkitc.py in the pin table with its number, and the divider resistors give the
board's ratios and biases."""

from __future__ import annotations

import re

from doc_tables import number, table, text, untick

from firmware.boards import esp32_devkitc, pico

DOC = text("docs/wiring.md")
BOARDS = {"pico": pico.BOARD, "esp32_devkitc": esp32_devkitc.BOARD}


def _pin(cell: str, prefix: str) -> int | None:
    if cell == "not wired":
        return None
    m = re.fullmatch(prefix + r"(\d+)", cell)
    assert m, f"{cell!r} is not {prefix}<n> or 'not wired'"
    return int(m.group(1))


def test_every_pin_of_both_boards_is_in_the_table_with_its_number():
    rows = table(DOC, "| signal | board field |")
    fields = [untick(r[1]) for r in rows]
    for name, board in BOARDS.items():
        pins = sorted(k for k in board if k.startswith("pin_"))
        assert sorted(fields) == pins, f"{name}: the table's fields differ from the board file"
    for r in rows:
        key = untick(r[1])
        assert _pin(r[2], "GP") == pico.BOARD[key], f"{key}: Pico pin"
        assert _pin(r[3], "GPIO") == esp32_devkitc.BOARD[key], f"{key}: ESP32 pin"
        assert r[4], f"{key}: no wiring note"


def _ohm(cell: str) -> float | None:
    if cell in ("none",):
        return None
    m = re.fullmatch(r"([\d.]+) (k|M)?Ω", cell)
    assert m, f"{cell!r} is not a resistance"
    return float(m.group(1)) * {"k": 1e3, "M": 1e6, None: 1.0}[m.group(2)]


def test_divider_resistors_give_the_board_ratios_and_biases():
    rows = table(DOC, "| board | channel | R_node |")
    seen = set()
    for board_name, channel, r_node, r_3v3, r_gnd, ratio_field, bias_field in rows:
        board = BOARDS[board_name]
        ratio = board[untick(ratio_field)] / 1e6
        bias = board[untick(bias_field)] if bias_field != "none" else 0
        seen.add((board_name, untick(ratio_field)))
        if r_node == "direct":
            assert ratio == 1.0 and bias == 0, f"{board_name} {channel}: not a direct reading"
            continue
        if r_node.startswith("on the board"):
            assert board_name == "pico" and abs(ratio - 1 / 3) < 1e-5  # the Pico's VSYS/3
            continue
        g = [1 / _ohm(r_node), 0.0, 0.0]
        if r_3v3 != "none":
            g[1] = 1 / _ohm(r_3v3)
        if r_gnd != "none":
            g[2] = 1 / _ohm(r_gnd)
        total = sum(g)
        got_ratio = g[0] / total
        got_bias = g[1] / total * board["adc_ref_mv"]
        assert abs(got_ratio / ratio - 1) < 0.02, f"{board_name} {channel}: ratio {got_ratio}"
        assert abs(got_bias - bias) < 5, f"{board_name} {channel}: bias {got_bias:.0f} mV"
    for name in BOARDS:  # every divided channel but the voltage (the difference stage)
        for field in ("current_div_ppm", "rail_div_ppm", "battery_div_ppm"):
            assert (name, field) in seen, f"{name}: {field} has no row"


def test_difference_stage_gives_the_board_voltage_scale_and_bias():
    rows = table(DOC, "| board | R_in | R_f |")
    assert sorted(r[0] for r in rows) == sorted(BOARDS)
    for board_name, r_in, r_f, ref, ratio_field, bias_field in rows:
        board = BOARDS[board_name]
        assert untick(ratio_field) == "voltage_div_ppm"
        assert untick(bias_field) == "voltage_bias_mv"
        ratio = _ohm(r_f) / _ohm(r_in)
        assert abs(ratio / (board["voltage_div_ppm"] / 1e6) - 1) < 0.02, board_name
        assert abs(number(ref, "mV") - board["voltage_bias_mv"]) < 5, board_name


def test_the_new_boards_table_gives_every_pin_that_differs_from_the_picos():
    # Pico 2, Pico W, Pico 2 W: a row for every pin field that differs from pico.py,
    # with its value; every other pin is the Pico's (the prose says so).
    from firmware.boards import load

    rows = table(DOC, "| signal | board field | Pico 2 | Pico W, Pico 2 W |")
    got = {untick(r[1]): (r[2], r[3]) for r in rows}
    for col, names in ((0, ("pico2",)), (1, ("picow", "pico2w"))):
        for name in names:
            board = load(name)
            differ = {k for k in board if k.startswith("pin_") and board[k] != pico.BOARD[k]}
            assert differ <= set(got), f"{name}: {differ - set(got)} not in the table"
            for key, cells in got.items():
                cell = cells[col]
                want = board[key]
                if isinstance(want, str):
                    assert cell == want, f"{name} {key}"
                else:
                    assert _pin(cell, "GP") == want, f"{name} {key}"
    for r in rows:
        assert r[4], f"{r[1]}: no reason given"

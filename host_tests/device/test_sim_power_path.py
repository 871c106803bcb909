# SR-16 and SR-17 on the two reference builds, on the simulated board (CPython and
# unix port), with the pins the circuit wires (tools/circuit/design.py): the Pico reads
# its one cell as VSYS/3 on GP29 (battery_min_mv 3000) and USB on GP24; the ESP32 its
# 2-3 cell pack on GPIO39 (6000) and USB on GPIO4 (a divider from the USB socket's
# VBUS). Each build refuses a start on USB power and on a low pack, and ends a session
# (ramped down, output off) when USB appears or the pack falls under its minimum.
# The pins' voltages against the pack's and USB's: host_tests/test_circuit_power_path.py.
import json

from firmware import names
from firmware.boards import esp32_devkitc, pico
from tools.sim import faults
from tools.sim.simboard import SimBoard

# The simulated pack is each build's own, the circuit model's default (tools/sim/
# circuit.py pack(), host_tests/device/test_sim_pack.py): nothing is passed here but
# a low pack's start.
DONE = 7  # firmware/app.py's state after a session's end
BOARDS = {"pico": pico.BOARD, "esp32_devkitc": esp32_devkitc.BOARD}


def _board(name, seed, tag, battery_mv=None):
    params = {}
    if battery_mv is not None:
        params["battery_mv"] = float(battery_mv)
    return SimBoard(name, seed=seed, params=params,
                    flash_dir="build/sim_flash/test_power_path_" + name + "_" + tag)


def _journal(b):
    return [json.loads(x) for x in (b.read_file("journal.jsonl") or "").split("\n") if x]


def _refused(b):
    b.press_button(3.0, 2.5)
    seen = b.snapshot_at(8.0)
    b.run(8.5)
    assert not b.crashes, b.crashes
    assert b.circuit.max_i_ua == 0
    assert _journal(b) == []
    return seen


def _ends(b, at_s, inject):
    b.press_button(3.0, 2.5)
    treat = b.snapshot_at(at_s - 0.5)
    b.at(at_s, inject)
    end = b.snapshot_at(at_s + 20.0)
    b.run(at_s + 20.5)
    assert not b.crashes, b.crashes
    assert treat["state"] == 3 and treat["fault"] == 0, treat  # treating
    assert (end["fault"], end["state"], end["enabled"]) == (0, DONE, 0), end
    assert end["true_i_ua"] < 100, end
    recs = _journal(b)
    assert len(recs) == 1, recs
    return treat, recs[0]


def _usb_refuses_a_start(name, seed):
    b = _board(name, seed, "usb_start")
    b.hw.usb_present = True  # the sense pin (pin_usb_sense) reads 1
    seen = _refused(b)
    assert (seen["state"], seen["refusal"]) == (0, names.REFUSALS.index("usb")), seen


def _usb_ends_a_session(name, seed):
    _, rec = _ends(_board(name, seed, "usb_stop"), 40.0, lambda b: faults.usb(b, True))
    assert (rec["end"], rec["fault"]) == ("usb", "none"), rec


def _low_pack_refuses_a_start(name, seed):
    # under 110 % of battery_min_mv (limits.BATTERY_START_PCT)
    b = _board(name, seed, "low_start", battery_mv=b_min(name) * 1.08)
    seen = _refused(b)
    assert (seen["state"], seen["refusal"]) == (0, names.REFUSALS.index("battery")), seen


def _low_pack_ends_a_session(name, seed):
    # The pack at 50 mV over its minimum, then sagging 100 mV/s: under it 0.5 s later.
    sag = (b_min(name) + 50, 100)
    treat, rec = _ends(_board(name, seed, "low_stop"), 40.0,
                       lambda b: faults.battery(b, sag))
    assert abs(treat["battery_mv"] - PACK_MV[name]) < PACK_MV[name] * 0.05, treat
    assert (rec["end"], rec["fault"]) == ("battery", "none"), rec


def b_min(name):
    return BOARDS[name]["battery_min_mv"]


# What the firmware must read of the model's default packs in treatment: the Pico's
# one cell at 3.9 V, the ESP32's two at 7.8 V.
PACK_MV = {"pico": 3900, "esp32_devkitc": 7800}


def test_pico_refuses_a_start_on_usb_power():
    """SR-17: GP24 reads USB power: the start is refused."""
    _usb_refuses_a_start("pico", 191)


def test_esp32_refuses_a_start_on_usb_power():
    """SR-17: GPIO4 (the USB socket's VBUS) reads USB power: the start is refused."""
    _usb_refuses_a_start("esp32_devkitc", 192)


def test_pico_ends_a_session_when_usb_appears():
    """SR-17: USB plugged in during treatment: ramped down and ended."""
    _usb_ends_a_session("pico", 193)


def test_esp32_ends_a_session_when_usb_appears():
    """SR-17: USB plugged in during treatment: ramped down and ended."""
    _usb_ends_a_session("esp32_devkitc", 194)


def test_pico_refuses_a_start_on_a_low_cell():
    """SR-16: the one cell (VSYS/3 on GP29) under 3.3 V: the start is refused."""
    _low_pack_refuses_a_start("pico", 195)


def test_esp32_refuses_a_start_on_a_low_pack():
    """SR-16: the pack (GPIO39) under 6.6 V: the start is refused."""
    _low_pack_refuses_a_start("esp32_devkitc", 196)


def test_pico_ends_a_session_on_a_low_cell():
    """SR-16: the cell sags under 3.0 V: ramped down and ended."""
    _low_pack_ends_a_session("pico", 197)


def test_esp32_ends_a_session_on_a_low_pack():
    """SR-16: the pack sags under 6.0 V: ramped down and ended."""
    _low_pack_ends_a_session("esp32_devkitc", 198)

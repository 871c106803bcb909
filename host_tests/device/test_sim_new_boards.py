# The Pico 2, Pico W and Pico 2 W board descriptions on the simulated board
# (CPython and unix port): each loads and passes firmware/board_check.py, and a
# short session regulates; on the W boards the USB sense is the radio chip's
# WL_GPIO2 (SR-17: refused at the start, stopped when it appears), and there is
# no battery channel (SR-16's gap, docs/wiring.md): the reading is 0 and never
# frozen or low. One file per group: its own unix-port interpreter and heap.
from tools.sim.simboard import SimBoard


def _session(name, seed, usb_at=None):
    b = SimBoard(name, seed=seed, flash_dir="build/sim_flash/test_board_" + name)
    b.press_button(3.0, 2.5)
    treat = b.snapshot_at(40.0)
    if usb_at is not None:
        b.at(usb_at, lambda b: setattr(b.hw, "usb_present", True))
    end = b.snapshot_at(65.0)
    b.run(65.5)
    assert not b.crashes, b.crashes
    return b, treat, end


def _treats(b, treat):
    assert treat["state"] == 3 and treat["fault"] == 0, treat
    assert abs(treat["true_i_ua"] - 15000) <= 150, treat  # within 1 %


def test_every_new_board_loads_passes_the_board_check_and_keeps_the_radio_pins_free():
    from firmware.boards import load

    pico = load("pico")
    for name in ("pico2", "picow", "pico2w"):
        board = load(name)  # firmware/board_check.py runs in load()
        assert board["name"] == name and board["port"] == "rp2"
        for key in board:
            if key.startswith("pin_"):
                assert board[key] not in (23, 24, 25, 29) or name == "pico2", (name, key)
    # The Pico's pinout and scales; its clock is the RP2350's own (pico2.py).
    assert load("pico2") == dict(pico, name="pico2", cpu=None)


def test_pico2_session_regulates():
    b, treat, _ = _session("pico2", 181)
    _treats(b, treat)


def test_picow_session_regulates_without_a_battery_channel_and_usb_stops_it():
    b, treat, end = _session("picow", 182, usb_at=42.0)
    _treats(b, treat)
    assert treat["battery_mv"] == 0  # no channel: no reading, no SR-16 stop, no frozen latch
    assert b.hw.roles["WL_GPIO2"] == "usb_sense"
    # SR-17: USB power appeared (WL_GPIO2 high): ramped down and ended, the output off.
    assert (end["fault"], end["state"], end["enabled"]) == (0, 7, 0), end  # DONE
    assert end["true_i_ua"] < 100, end


def test_pico2w_refuses_a_start_on_usb_power():
    # SR-17 on a W: USB power seen through the radio chip's WL_GPIO2 refuses the start.
    b = SimBoard("pico2w", seed=183, flash_dir="build/sim_flash/test_board_pico2w")
    b.hw.usb_present = True
    b.press_button(3.0, 2.5)
    seen = b.snapshot_at(8.0)
    b.run(8.5)
    assert not b.crashes, b.crashes
    assert (seen["state"], seen["fault"], seen["refusal"]) == (0, 0, 3), seen
    assert b.circuit.max_i_ua == 0


def test_picow_still_latches_a_frozen_rail_reading():
    # SR-12 on a board without a battery channel: the slow frozen check keeps
    # watching the rail (the supervisor stops its loop there, not before).
    b = SimBoard("picow", seed=184, flash_dir="build/sim_flash/test_board_picow_frozen")
    b.press_button(3.0, 2.5)
    b.at(40.0, lambda b: b.circuit.frozen.update({"rail": None}))
    seen = b.snapshot_at(52.0)
    b.run(52.5)
    assert not b.crashes, b.crashes
    assert seen["fault"] == 8 and not seen["enabled"], seen  # FROZEN, output off

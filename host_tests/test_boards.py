"""The boards people buy today (issue 17, item 5): the Pico 2 (RP2350), the Pico W
and the Pico 2 W. Their board descriptions pass firmware/board_check.py and keep off
the radio's pins; a board without board.txt gets its own description from the name
MicroPython gives it; `ionto deploy` compiles for the architecture the board
reports (served simulated boards standing in for each), and every device file
compiles for each of them. Their simulated sessions: host_tests/device/test_sim_new_boards.py."""

from __future__ import annotations

import pytest
from test_host_tools import _Board

from firmware import board_check
from firmware.boards import default_name, load
from tools import firmware_build
from tools.check_device import ARCHS, MPY_ARCHS
from tools.device_files import BOARD_NAMES
from tools.ionto import cli, deploy, link
from tools.sim.replboard import ReplBoard, write_firmware


def _mpy(arch: str) -> int:
    # sys.implementation._mpy as a board reports it: version 6.3 and the arch in bits 10-13.
    major, minor = deploy.mpy_version()
    return major | minor << 8 | MPY_ARCHS.index(arch) << 10


def test_every_board_description_loads_and_passes_the_board_check():
    assert {"pico", "pico2", "picow", "pico2w", "esp32_devkitc"} <= set(BOARD_NAMES)
    for name in BOARD_NAMES:
        assert load(name)["name"] == name


@pytest.mark.parametrize("name", ["pico2", "picow", "pico2w"])
def test_ionto_simulate_runs_on_the_new_boards(capsys, name):
    assert cli.main(["simulate", "--board", name, "--minutes", "0.75", "--every", "40"]) == 0
    out = capsys.readouterr().out
    assert f" on {name}, seed 1" in out and "crashes none" in out, out
    assert "treat" in out, out


@pytest.mark.parametrize("key,value,message", [
    ("pin_led", 25, "pin_led is on a pin the radio owns"),  # the Pico's LED pin: the W's CS
    ("pin_usb_sense", 24, "pin_usb_sense is on a pin the radio owns"),
    ("pin_adc_battery", 28, "battery_min_mv must be 0"),  # a channel, and no cut-off
    ("battery_min_mv", 3000, "battery_min_mv must be 0"),  # a cut-off, and no channel
])
def test_the_board_check_refuses_a_w_board_on_the_radios_pins_or_without_sr16_stated(
        key, value, message):
    board = dict(load("picow"))
    board[key] = value
    with pytest.raises(ValueError, match=message):
        board_check.check(board)


@pytest.mark.parametrize("rtc", ["0, 0, 1", (0, 0), (0, 14, 1), (0, 0, 0), (0, 1, 24), (0, 0, 1.0)])
def test_the_board_check_refuses_a_ds3231_on_a_pin_in_use_or_badly_named(rtc):
    # The optional DS3231 module (pico_rtc.py): (I2C bus, SDA, SCL), two pins of
    # its own: not the button's (GP14), not one pin twice, not a W's radio's.
    board = dict(load("picow"))
    board["rtc"] = rtc
    with pytest.raises(ValueError, match="rtc"):
        board_check.check(board)
    board["rtc"] = (0, 0, 1)
    assert board_check.check(board) is board


def test_a_board_without_board_txt_gets_the_description_of_the_board_micropython_names():
    # sys.implementation._machine: "<MICROPY_HW_BOARD_NAME> with <MICROPY_HW_MCU_NAME>"
    assert default_name("rp2", "Raspberry Pi Pico with RP2040") == "pico"
    assert default_name("rp2", "Raspberry Pi Pico W with RP2040") == "picow"
    assert default_name("rp2", "Raspberry Pi Pico2 with RP2350") == "pico2"
    assert default_name("rp2", "Raspberry Pi Pico2 with RP2350-RISCV") == "pico2"
    assert default_name("rp2", "Raspberry Pi Pico 2 W with RP2350") == "pico2w"
    assert default_name("esp32", "Generic ESP32 module with ESP32") == "esp32_devkitc"


def test_deploy_takes_each_chips_architecture_from_the_board_and_every_file_compiles(tmp_path):
    assert deploy.check_board(_Board("rp2", _mpy("armv6m"))) == "armv6m"  # Pico, Pico W
    assert deploy.check_board(_Board("rp2", _mpy("armv7emsp"))) == "armv7emsp"  # RP2350, Arm
    assert deploy.check_board(_Board("rp2", _mpy("rv32imc"))) == "rv32imc"  # RP2350, RISC-V
    assert {"armv6m", "armv7emsp", "rv32imc", "xtensawin"} <= set(ARCHS)
    for arch in ("armv7emsp", "rv32imc"):
        files = firmware_build.build(arch, tmp_path / arch)
        mods = [data for path, data in files if path.endswith(".mpy")]
        assert mods and all(d[0] == ord("M") and d[1] == 6 for d in mods)
        # The .mpy header's feature byte carries the architecture of a module
        # with native code (py/persistentcode.h); the firmware's hot ones have some.
        archs = {d[2] >> 2 for d in mods}
        assert archs == {0, MPY_ARCHS.index(arch)}, (arch, archs)


@pytest.mark.parametrize("name,arch", [("pico2", "armv7emsp"), ("picow", "armv6m"),
                                       ("pico2w", "rv32imc")])
def test_deploy_asks_the_served_board_for_its_architecture(tmp_path, name, arch):
    # The served board reports the _mpy of the chip it stands in for (its
    # .mpy of that architecture would not load in the unix port: only the
    # choice is run here, deploy end to end below).
    b = ReplBoard(tmp_path / "flash", name, paced=False, link=tmp_path / "port",
                  params={"reported_mpy": _mpy(arch)})
    b.start()
    try:
        with link.Link(str(tmp_path / "port"), log=lambda m: None) as lk:
            assert deploy.check_board(lk) == arch
    finally:
        b.stop()


@pytest.mark.parametrize("name", ["pico2", "picow"])
def test_deploy_to_a_served_new_board_boots_the_app_on_its_description(tmp_path, capsys, name):
    flash = tmp_path / "flash"
    write_firmware(flash, name)
    (flash / "console.once").write_text("test\n")
    b = ReplBoard(flash, name, paced=False, link=tmp_path / "port")
    b.start()
    try:
        rc = cli.main(["deploy", "--port", str(tmp_path / "port")])
        out, err = capsys.readouterr()
        assert rc == 0, err
        assert f"soft reset: ionto: ready on {name}" in out
    finally:
        b.stop()


@pytest.mark.parametrize("name, cpu", [
    ("pico", (200000000, None)),  # 200 MHz at the default 1.10 V: not rated
    ("pico", (250000000, 1150)),  # above the rated 200 MHz
    ("pico", (150000000, 1100)),  # a core voltage other than the rated 1.15 V
    ("esp32_devkitc", (200000000, None)),  # not one of the ESP32's clocks
    ("esp32_devkitc", (240000000, 1150)),  # the ESP32 has no core voltage to set
])
def test_the_board_check_refuses_a_clock_the_chip_is_not_rated_for(name, cpu):
    # The CPU clock (issue 13, pico.py "cpu"): rated figures only.
    board = dict(load(name))
    assert board_check.check(dict(board)) is not None  # as shipped: passes
    board["cpu"] = cpu
    with pytest.raises(ValueError, match="cpu must be"):
        board_check.check(board)
    board["cpu"] = None  # the port's default clock
    assert board_check.check(board) is board

# Which board description this device uses, and a check that it is complete.
# The choice: a file `board.txt` at the flash root naming a module in this
# folder (one line, e.g. "pico"), else the port's default below (on rp2 by the
# board MicroPython names, default_name()).
import sys

BY_PORT = {"rp2": "pico", "esp32": "esp32_devkitc"}

# Pins the firmware drives; boot.py drives each of them low first (SR-1).
OUTPUT_PINS = ("pin_enable", "pin_set", "pin_relay", "pin_trip_reset", "pin_buzzer", "pin_led")


def drive_outputs_low(machine, board):
    # SR-1: every output the firmware drives, as a plain output driven low. On rp2
    # this also takes a pin back from a PWM slice, which deinit() would leave at
    # its last level (platform.md, micropython issue #9007).
    Pin = machine.Pin
    for key in OUTPUT_PINS:
        if board[key] is not None:
            Pin(board[key], Pin.OUT, value=0)


def default_name(platform, machine):
    # rp2: sys.implementation._machine is MicroPython's "<board> with <MCU>"
    # (ports/rp2/mpconfigport.h MICROPY_HW_MCU_NAME "RP2040", "RP2350" or
    # "RP2350-RISCV"; boards/RPI_PICO_W and RPI_PICO2_W name "... Pico W" and
    # "... Pico 2 W"). A W must never get pico.py: its GP24, GP25 and GP29
    # are the radio's (picow.py).
    name = BY_PORT.get(platform, "")
    if platform == "rp2":
        name = "pico2" if "RP2350" in machine else "pico"
        if " W with " in machine:
            name += "w"
    return name


def chosen_name():
    try:
        with open("board.txt") as f:
            name = f.read().strip()
    except OSError:
        name = default_name(sys.platform, getattr(sys.implementation, "_machine", ""))
    if not name:
        raise ValueError("no board description for port " + sys.platform + ": write board.txt")
    return name


def load(name=None):
    if name is None:
        name = chosen_name()
    for ch in name:  # a module name, nothing that could reach outside this folder
        if not (ch.isalpha() or ch.isdigit() or ch == "_"):
            raise ValueError("bad board name " + repr(name))
    # The dict is all that is needed: its module goes after (M8), and any
    # board module it was made from (pico2.py from pico.py); so does the
    # completeness check, which runs once, at startup.
    import firmware

    board = firmware.job("boards", "_board", name)
    firmware.job("board_check", "check", board)
    return board


def _board(name):
    return __import__("firmware.boards." + name, None, None, ("BOARD",)).BOARD

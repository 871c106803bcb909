# Board description: Raspberry Pi Pico 2 W (RP2350A + CYW43439): the Pico W's
# pinout (Pico 2 W datasheet: the radio on GP23-25 and GP29, LED on WL_GPIO0,
# VBUS sense on WL_GPIO2), so picow.py's pins, reasons and open points, and the
# Pico 2's chip notes (pico2.py: armv7emsp or rv32imc .mpy; erratum E9).
from firmware.boards.picow import BOARD as _PICOW

BOARD = dict(_PICOW)
BOARD["name"] = "pico2w"

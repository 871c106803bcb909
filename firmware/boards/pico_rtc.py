# Board description: the Raspberry Pi Pico of pico.py with the optional DS3231
# real-time clock module (issue 17; docs/using.md, the clock; docs/wiring.md):
# the module keeps UTC on its own coin cell, so the journal's start and SR-22's
# schedule warnings survive a power cut and every reset, which the RP2040's
# clock does not. Write "pico_rtc" in board.txt. On I2C0: GP0 SDA and GP1 SCL
# (RP2040 datasheet, GPIO functions: I2C0 SDA/SCL), neither a pin of the
# reference circuit (pico.py), of the display (pico_oled.py) or of a W's radio.
# DS3231 modules usually carry pull-ups on SDA and SCL to their own VCC: power
# the module from the Pico's 3V3(OUT) (the DS3231 runs from 2.3-5.5 V, its
# datasheet), never from VSYS or 5 V, so both lines stay within the RP2040's
# pin rating (its datasheet, absolute maximum ratings: IOVDD + 0.5 V).
from firmware.boards.pico import BOARD as _PICO

BOARD = dict(_PICO)
BOARD["name"] = "pico_rtc"
BOARD["rtc"] = (0, 0, 1)  # I2C0, SDA GP0, SCL GP1

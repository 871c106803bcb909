# Board description: the Raspberry Pi Pico of pico.py with the optional display
# (issue 17, docs/display.md): a 128x64 SSD1306 OLED module on SPI0. Write
# "pico_oled" in board.txt; `ionto deploy` then installs the ssd1306 driver.
# SPI, not I2C: a page (128 bytes) takes about 0.1 ms at the driver's 10 MHz,
# where I2C's 400 kHz takes about 3 ms inside one 1 ms tick (docs/display.md).
# GP2 and GP3 are SPI0's SCK and TX (RP2040 datasheet, GPIO functions); CS, D/C
# and RES are plain outputs the driver drives. None of them is a pin of the
# reference circuit (pico.py) or the radio's (a Pico W takes the same pins:
# picow.py).
from firmware.boards.pico import BOARD as _PICO

BOARD = dict(_PICO)
BOARD["name"] = "pico_oled"
BOARD["display"] = {
    "spi": 0,  # the SPI block
    "spi_hz": 10000000,  # the SSD1306's 100 ns clock cycle at least (its datasheet)
    "sck": 2,  # SPI0 SCK -> the module's D0 (SCL, CLK)
    "mosi": 3,  # SPI0 TX -> D1 (SDA, MOSI)
    "cs": 5,  # -> CS
    "dc": 4,  # -> DC (low: command, high: data)
    "res": 6,  # -> RES (reset, active low)
}

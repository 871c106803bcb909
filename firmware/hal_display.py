# Startup only, on a board whose description names a display (docs/display.md):
# the SPI bus, the panel's pins and micropython-lib's ssd1306 driver, which
# `ionto deploy` installs as lib/ssd1306.mpy. A hal file: the firmware's
# modules that touch machine's objects are hal*.py, given machine by the entry
# points (main.py); the display's logic (firmware/display.py) gets the driver
# object.
WIDTH = 128
HEIGHT = 64


def oled(machine, board):
    # The panel, initialised by the driver (reset, its init sequence, a blank
    # screen): horizontal addressing over all 8 pages, the address at page 0.
    # SPI, not I2C: a 128-byte page takes about 0.1 ms at the driver's
    # 10 MHz, where I2C at 400 kHz takes about 3 ms (docs/display.md).
    # Fetched by the deploy step, not in the tree (tools/display_driver.py):
    # host_tests/device/test_display.py runs this firmware on it.
    import ssd1306  # pyright: ignore[reportMissingImports]

    d = board["display"]
    Pin = machine.Pin
    spi = machine.SPI(d["spi"], baudrate=d["spi_hz"], polarity=0, phase=0,
                      sck=Pin(d["sck"]), mosi=Pin(d["mosi"]))
    return ssd1306.SSD1306_SPI(WIDTH, HEIGHT, spi, Pin(d["dc"]), Pin(d["res"]), Pin(d["cs"]))

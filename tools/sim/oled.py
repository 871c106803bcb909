# The simulated display (issue 17): a 128x64 SSD1306 panel on a fake SPI bus.
# The firmware's display (firmware/display.py) drives the real ssd1306 driver
# (tools/display_driver.py fetches it), the driver writes commands and
# data to this bus, and the panel keeps what a real one keeps: its 1024-byte
# display RAM, written at an address that moves as the SSD1306 datasheet says
# (horizontal, vertical or page addressing, within the column and page
# windows), display on/off, inversion, remap and scan direction. png() draws
# what a person would see. Plain code: runs in CPython and in the unix port
# (the PNG needs Pillow: CPython only).

from tools.sim.framebuf import FONT  # the glyphs' data (text_lines), not the stand-in

# Arguments that follow each multi-byte command (SSD1306 datasheet, section 9;
# 0xAD: the IREF select some clones take, sent by micropython-lib's driver).
_ARGS = {0x20: 1, 0x21: 2, 0x22: 2, 0x81: 1, 0x8D: 1, 0xA8: 1, 0xD3: 1, 0xD5: 1,
         0xD9: 1, 0xDA: 1, 0xDB: 1, 0xAD: 1, 0xA3: 2, 0x26: 6, 0x27: 6, 0x29: 5, 0x2A: 5}
WIDTH = 128
PAGES = 8


class Panel:
    def __init__(self):
        self.ram = bytearray(WIDTH * PAGES)
        self.on = False
        self.inverted = False
        self.entire_on = False
        self.remap = False  # 0xA1: column 127 is SEG0
        self.com_reversed = False  # 0xC8: scan from COM63 to COM0
        self.mode = 2  # page addressing after reset (datasheet)
        self.col0, self.col1, self.page0, self.page1 = 0, WIDTH - 1, 0, PAGES - 1
        self.col = 0
        self.page = 0
        self._cmd = []  # a command still waiting for its arguments
        self.data_bytes = 0  # every data byte written (the tests count pages)
        self.commands = 0

    # ---- the bus side ----
    def command(self, b):
        cmd = self._cmd
        cmd.append(b)
        if len(cmd) <= _ARGS.get(cmd[0], 0):
            return
        self._cmd = []
        self.commands += 1
        c = cmd[0]
        if c == 0x20:
            self.mode = cmd[1] & 3
        elif c == 0x21:
            self.col0, self.col1 = cmd[1] & 127, cmd[2] & 127
            self.col = self.col0
        elif c == 0x22:
            self.page0, self.page1 = cmd[1] & 7, cmd[2] & 7
            self.page = self.page0
        elif c == 0xAE or c == 0xAF:
            self.on = c == 0xAF
        elif c == 0xA6 or c == 0xA7:
            self.inverted = c == 0xA7
        elif c == 0xA4 or c == 0xA5:
            self.entire_on = c == 0xA5
        elif c == 0xA0 or c == 0xA1:
            self.remap = c == 0xA1
        elif c == 0xC0 or c == 0xC8:
            self.com_reversed = c == 0xC8
        elif 0xB0 <= c <= 0xB7:  # page addressing: the page
            self.page = c & 7
        elif c <= 0x0F:  # page addressing: the column's low nibble
            self.col = (self.col & 0xF0) | c
        elif c <= 0x1F:
            self.col = (self.col & 0x0F) | (c & 0x0F) << 4

    def data(self, b):
        self.ram[self.page * WIDTH + self.col] = b
        self.data_bytes += 1
        if self.mode == 1:  # vertical: page first
            if self.page < self.page1:
                self.page += 1
                return
            self.page = self.page0
            self.col = self.col + 1 if self.col < self.col1 else self.col0
            return
        if self.mode == 2:  # page: the column alone, no wrap to the next page
            if self.col < WIDTH - 1:
                self.col += 1
            return
        if self.col < self.col1:  # horizontal
            self.col += 1
            return
        self.col = self.col0
        self.page = self.page + 1 if self.page < self.page1 else self.page0

    # ---- what a person sees ----
    def lit(self, x, y):
        # Is the pixel at (x, y) of the glass lit? (x right, y down, as the
        # driver's framebuffer draws them when the panel has its usual init.)
        if not self.on:
            return False
        if self.entire_on:
            return True
        col = x if self.remap else WIDTH - 1 - x
        row = y if self.com_reversed else PAGES * 8 - 1 - y
        bit = self.ram[(row >> 3) * WIDTH + col] >> (row & 7) & 1
        return bool(bit) != self.inverted

    def text_lines(self):
        # The screen read back as 8 lines of 16 characters, each 8x8 cell
        # matched against the font (tools/sim/framebuf.py FONT, the port's
        # glyphs); "?" where a cell is no character. For the tests: what the
        # person reads, taken from the panel's RAM as the driver left it.
        glyphs = {}
        for c in range(32, 127):
            glyphs[bytes(FONT[(c - 32) * 8:(c - 31) * 8])] = chr(c)
        lines = []
        for p in range(PAGES):
            row = ""
            for x in range(0, WIDTH, 8):
                row += glyphs.get(bytes(self.ram[p * WIDTH + x:p * WIDTH + x + 8]), "?")
            lines.append(row.rstrip())
        return lines

    def png(self, path, scale=4):
        # The glass as a PNG (Pillow, CPython only): light blue on black, one
        # pixel as scale x scale with a dark gap, as the panel's dots look.
        from PIL import Image

        img = Image.new("RGB", (WIDTH * scale, PAGES * 8 * scale), (8, 8, 12))
        px = img.load()
        dot = max(scale - 1, 1)
        for y in range(PAGES * 8):
            for x in range(WIDTH):
                if self.lit(x, y):
                    for dy in range(dot):
                        for dx in range(dot):
                            px[x * scale + dx, y * scale + dy] = (150, 220, 255)
        img.save(path)


class SPI:
    # A fake machine.SPI carrying bytes to a panel: with its D/C pin low they
    # are commands, high display data; with its CS pin high they go nowhere.
    # level(pin) reads a pin's driven level; clock (optional) is charged the
    # transfer's time at the rate set (the driver's 10 MHz: 0.1 ms a page).
    def __init__(self, panel, dc, cs, level, clock=None, baudrate=1000000):
        self.panel = panel
        self._dc = dc
        self._cs = cs
        self._level = level
        self._clock = clock
        self.baudrate = baudrate
        self.writes = 0

    def init(self, baudrate=None, polarity=0, phase=0, **kw):
        if polarity or phase:
            raise ValueError("the SSD1306 reads SPI mode 0")
        if baudrate is not None:
            self.baudrate = baudrate

    def write(self, buf):
        self.writes += 1
        if self._clock is not None:
            self._clock.advance(len(buf) * 8 * 1000000 // self.baudrate + 1)
        if self._level(self._cs):
            return
        if self._level(self._dc):
            for b in buf:
                self.panel.data(b)
        else:
            for b in buf:
                self.panel.command(b)


class BenchPin:
    # A pin for the device tests' panels (the simulated board has fakemachine's).
    OUT = 1
    IN = 0

    def __init__(self):
        self.level = 0

    def init(self, mode=-1, pull=-1, value=None):
        if value is not None:
            self.level = 1 if value else 0

    def __call__(self, x=None):
        if x is None:
            return self.level
        self.level = 1 if x else 0


def pin_level(pin):
    return pin.level


class NullSPI:
    # A bus that takes the bytes and counts the writes: what the display
    # itself costs and allocates, without a fake panel's Python in the count.
    def __init__(self):
        self.writes = 0

    def init(self, baudrate=None, polarity=0, phase=0):
        pass

    def write(self, buf):
        self.writes += 1


def load_driver():
    # The ssd1306 driver module (tools/display_driver.py fetches it to
    # build/drivers/lib; tools/run_device_tests.py compiles it for the unix
    # port's run), on framebuf: the port's own, or tools/sim/framebuf.py in CPython.
    import os
    import sys

    try:
        import framebuf  # noqa: F401
    except ImportError:
        from tools.sim import framebuf as fb

        sys.modules["framebuf"] = fb
    if sys.implementation.name == "micropython":
        # compiled by tools/run_device_tests.py, as a board has it
        folder = (os.getenv("IONTO_SIM_ROOT") or "build/mpy/sim") + "/lib"
    else:
        from tools.display_driver import source

        folder = str(source().parent)
    if folder not in sys.path:
        sys.path.append(folder)
    import ssd1306

    return ssd1306


def make_oled(spi=None, panel=None):
    # The driver's SPI panel object on a fake bus (a Panel's by default),
    # initialised as on a board: (driver object, panel or None).
    ssd1306 = load_driver()
    dc, res, cs = BenchPin(), BenchPin(), BenchPin()
    if spi is None:
        panel = panel or Panel()
        spi = SPI(panel, dc, cs, pin_level)
    import sys
    import time

    if hasattr(time, "sleep_ms"):  # MicroPython, or the simulator's fake time
        return ssd1306.SSD1306_SPI(WIDTH, PAGES * 8, spi, dc, res, cs), panel
    sys.modules["time"] = _NoSleep()  # CPython: the driver's reset pulse (1 ms, 10 ms)
    try:
        return ssd1306.SSD1306_SPI(WIDTH, PAGES * 8, spi, dc, res, cs), panel
    finally:
        sys.modules["time"] = time


class _NoSleep:
    def sleep_ms(self, ms):
        pass


def machine_spi(id, baudrate=1000000, polarity=0, phase=0, bits=8, firstbit=0, sck=None,
                mosi=None, miso=None):
    # machine.SPI on the simulated board (tools/sim/fakemachine.py): the bus
    # of the board's display, its D/C and CS pins read from the levels the
    # firmware drives; the transfer's time is charged to the virtual clock.
    # One panel a board, kept through resets as a module's own power keeps it.
    from tools.sim import fakemachine

    hw = fakemachine.hw
    d = hw.board.get("display")
    if not d or id != d["spi"] or _pin_no(sck) != d["sck"] or _pin_no(mosi) != d["mosi"]:
        raise ValueError("no display on this SPI bus and these pins (the board description)")
    panel = getattr(hw, "panel", None)
    if panel is None:
        panel = hw.panel = Panel()
    spi = SPI(panel, d["dc"], d["cs"], lambda pin: hw.level.get(pin, 0), hw.clock, baudrate)
    spi.init(baudrate, polarity, phase)
    return spi


def _pin_no(p):
    return getattr(p, "id", p)


def frames_at(board, times, stem):
    # The display's PNGs at virtual times (s), stem + "_display_<t>s.png":
    # `ionto simulate --plot` writes them beside the plot. Returns the paths
    # (each written once the run gets there, if the display started).
    paths = []
    for t in times:
        path = "%s_display_%04ds.png" % (stem, t)
        paths.append(path)
        board.at(t, lambda b, path=path: _frame(b, path))
    return paths


def _frame(board, path):
    panel = getattr(board.hw, "panel", None)
    if panel is not None:
        panel.png(path)

# The optional display (issue 17): a 128x64 SSD1306 OLED on SPI, through
# micropython-lib's ssd1306 driver (`ionto deploy` installs it when the board
# description names a display: docs/display.md). It shows the state and the
# polarity, the measured and the set current, the time left, the load, the
# percentage of the set point reached (SR-14), and a fault or a refused start
# in words. Loaded only on a board with a display: no other board holds any of
# it (M8).
#
# Real time (issue 13): the app calls step() in one slow slot of its loop,
# every 32 ticks. Each call is one bounded slice: render one 8-pixel text line
# (exactly one of the panel's 8 pages) into the driver's framebuffer, or send
# that page (128 bytes) over SPI; 16 calls make a frame, 512 ms at 1 kHz.
# A page goes right after its line is drawn, and in order: the driver leaves
# the panel in horizontal addressing over the whole screen, so each 128-byte
# write lands on the next page and the eighth wraps to the first.
# step() allocates nothing (host_tests/device/test_display.py measures it with
# micropython.mem_total in the unix port): numbers are drawn digit by digit
# from constant one-character strings, words are constants, each page's
# memoryview and every bound method are taken once here. Each method's
# locals and stack stay within the 11 words a frame may keep on the C stack
# (app.py).
from micropython import const

_PAGES = const(8)
_W = const(128)  # columns: 16 characters of the 8x8 font
_CH = const(8)
# firmware/app.py status indexes (names.py STATUS): a test keeps them equal
_S_STATE = const(0)
_S_SET_UA = const(2)
_S_I_UA = const(3)
_S_LOAD_OHM = const(5)
_S_REACHED_PCT = const(6)
_S_FAULT = const(7)
_S_REFUSAL = const(17)
_S_LIMITED = const(18)
_GLYPHS = "0123456789.:- "  # the figures' characters, by index:
_DOT = const(10)
_COLON = const(11)
_DASH = const(12)
_SPACE = const(13)
_FIELD = const(48)  # a figure's columns: 48-87 (5 characters), right-aligned ...
_LAST = const(80)  # ... its last digit at 80
# The labels and the units (text, x, y): drawn once, never cleared.
_LABELS = (("I", 0, 8), ("mA", 96, 8), ("set", 0, 16), ("mA", 96, 16), ("left", 0, 24),
           ("load", 0, 32), ("kOhm", 96, 32), ("reached", 0, 40), ("%", 88, 40))


def _words(codes):
    # names.py's words as a person reads them: "ramp up", not "ramp_up".
    return tuple(w.replace("_", " ") for w in codes)


class Display:
    def __init__(self, oled, status, ses):
        # oled: the driver's SSD1306_SPI (a framebuf.FrameBuffer over
        # oled.buffer, already initialised: screen blank, horizontal addressing
        # from page 0); status: the app's status array; ses: the session
        # (the time left and the relay's position are not in the status).
        # The words: names.py's, loaded for this and released (M8): its
        # strings are already in the board's qstr pool (startup loads it), so
        # the display adds no name of its own for them.
        import framebuf

        import firmware
        from firmware import names

        self._states = _words(names.STATES)
        self._faults = _words(names.FAULTS)
        self._refusals = _words(names.REFUSALS)
        del names
        firmware.release("names")
        self._s = status
        self._ses = ses
        self._text = oled.text  # bound once: taking it per call allocates
        self._send = oled.write_data
        mv = memoryview(oled.buffer)
        self._page = tuple(mv[p * _W:(p + 1) * _W] for p in range(_PAGES))
        self._row = self._page[0]  # the page being drawn
        self._blank = bytes(_W)  # a page's clearing: one copy
        self._blank24 = memoryview(self._blank)[:24]
        # The figures' glyphs, in the font framebuf.text draws: a line is one
        # page, so a glyph is 8 bytes of it, one per column; a figure is a
        # few 8-byte copies (framebuf.text draws pixel by pixel, several
        # times as long: docs/display.md).
        g = bytearray(len(_GLYPHS) * _CH)
        framebuf.FrameBuffer(g, len(_GLYPHS) * _CH, _CH, framebuf.MONO_VLSB).text(_GLYPHS, 0, 0)
        g = memoryview(g)
        self._glyph = tuple(g[i * _CH:(i + 1) * _CH] for i in range(len(_GLYPHS)))
        self._field(_FIELD, 1, _DOT)  # the figure being drawn: its first
        # column, how many places it always fills, its separator (_num)
        self._n = 0  # the next slice: 2 p draws line p, 2 p + 1 sends page p
        # The labels and units, drawn once: a slice redraws only its figures.
        for text, x, y in _LABELS:
            oled.text(text, x, y)

    def step(self):
        # One slice of the frame (the app's slow slot).
        n = self._n
        self._n = (n + 1) & 15
        if n & 1:
            self._send(self._page[n >> 1])
        else:
            self._line(n >> 1)

    def _line(self, p):
        s = self._s
        self._row = self._page[p]
        if p == 0:
            self._words_line(self._states[s[_S_STATE]], 0)
            # SR-11: which tray is + (the relay reversed: B); at rest A.
            self._text("B+" if self._ses.reversed else "A+", 112, 0)
        elif p == 1:
            self._ma(s[_S_I_UA])
        elif p == 2:
            self._ma(s[_S_SET_UA])
        elif p == 3:
            self._left()
        elif p == 4:
            self._load(s[_S_LOAD_OHM])
        elif p == 5:
            self._field(64, 1, _DOT)  # after "reached": 3 digits
            self._num(s[_S_REACHED_PCT], -1)
            # SR-14's mark: the rail can push no more.
            self._row[104:_W] = self._blank24
            if s[_S_LIMITED]:
                self._text("max", 104, 40)
        elif s[_S_FAULT]:
            self._words_line("fault" if p == 6 else self._faults[s[_S_FAULT]], p)
        elif s[_S_REFUSAL]:
            self._words_line("refused" if p == 6 else self._refusals[s[_S_REFUSAL]], p)
        else:
            self._row[:] = self._blank

    def _words_line(self, word, p):
        self._row[:] = self._blank
        self._text(word, 0, p * _CH)

    def _num(self, v, point):
        # The figure v >= 0 right-aligned, its last digit at _LAST; `point`
        # > 0 puts the separator (self._sep) that many digits from the right
        # (-1: none); zeros in front are blank, but in the last self._least
        # places; blanks to the left as far as self._from. Glyph copies only.
        g = self._glyph
        row = self._row
        x = _LAST
        while x >= self._from:
            if point == 0:
                row[x:x + _CH] = g[self._sep]
            elif v or x > _LAST - self._least * _CH:
                row[x:x + _CH] = g[v % 10]
                v //= 10
            else:
                row[x:x + _CH] = g[_SPACE]
            point -= 1
            x -= _CH

    def _field(self, first, least, sep):
        self._from = first
        self._least = least
        self._sep = sep

    def _ma(self, ua):
        # uA as mA with two decimals: 14.95, 0.30
        self._field(_FIELD, 4, _DOT)
        self._num(ua // 10 if ua > 0 else 0, 2)

    def _left(self):
        # The session's time left, m:ss (current-on time counts: paused, it holds).
        ses = self._ses
        left = (ses.duration_ms - ses.on_ms) // 1000
        if left < 0:
            left = 0
        self._field(_FIELD, 4, _COLON)
        self._num(left // 60 * 100 + left % 60, 2)

    def _load(self, ohm):
        # kOhm with one decimal; "-" without current (names.py STATUS
        # load_ohm is 0 below 100 uA: no reading).
        if ohm > 0:
            self._field(_FIELD, 3, _DOT)
            self._num((ohm + 50) // 100, 1)
        else:
            self._field(_FIELD, 0, _DOT)
            self._num(0, -1)
            self._row[_LAST:_LAST + _CH] = self._glyph[_DASH]

def start(app, board):
    # At startup, when the board description names a display: the panel
    # (firmware/hal_display.py, released after) and the app's display. A
    # display that does not start (no driver on the board, a wrong pin) is
    # said on the console and left out: the device works as without one.
    import firmware

    try:
        from firmware import hal_display

        oled = hal_display.oled(board)
    except (ImportError, OSError, KeyError, ValueError, TypeError) as e:
        print("display not started:", repr(e))
        return
    finally:
        firmware.release("hal_display")
    app.display = Display(oled, app.status, app.ses)

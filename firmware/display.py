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
# micropython.mem_total in the unix port): a figure is copied glyph by glyph
# (8 bytes each, in viper) from glyphs drawn once here, the words are names.py's
# strings, each page's memoryview and every bound method are taken once. Each
# bytecode method's locals and stack stay within the 11 words a frame may keep
# on the C stack (app.py).
import micropython
from micropython import const

_PAGES = const(8)
_W = const(128)  # columns: 16 characters of the 8x8 font
_CH = const(8)
# firmware/app.py status indexes (names.py STATUS): test_display.py sets the
# status by those names, so a wrong index here shows on its screens
_S_STATE = const(0)
_S_SET_UA = const(2)
_S_I_UA = const(3)
_S_LOAD_OHM = const(5)
_S_REACHED_PCT = const(6)
_S_FAULT = const(7)
_S_REFUSAL = const(17)
_S_LIMITED = const(18)
# Characters 32-127, in one string (chr() of each would make 96 names, M8).
_ASCII = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
          "abcdefghijklmnopqrstuvwxyz{|}~\x7f")
_DOT = const(46)  # the separators, by character code: "."
_COLON = const(58)  # ":"
_DASH = const(45)  # "-"
_FIELD = const(48)  # a figure's columns: 48-87 (5 characters), right-aligned ...
_LAST = const(80)  # ... its last digit at 80
# The labels and the units (text, x, y): drawn once, never cleared.
_LABELS = (("I", 0, 8), ("mA", 96, 8), ("set", 0, 16), ("mA", 96, 16), ("left", 0, 24),
           ("load", 0, 32), ("kOhm", 96, 32), ("reached", 0, 40), ("%", 88, 40))


class Display:
    def __init__(self, oled, status, ses):
        # oled: the driver's SSD1306_SPI (a framebuf.FrameBuffer over
        # oled.buffer, already initialised: screen blank, horizontal addressing
        # from page 0); status: the app's status array; ses: the session
        # (the time left and the relay's position are not in the status).
        # The words: names.py's tuples, kept when the module is dropped
        # (M8): its strings are already in the board's qstr pool (startup
        # loads it), so the display adds no string of its own for them.
        import framebuf

        from firmware import names

        self._states = names.STATES
        self._faults = names.FAULTS
        self._refusals = names.REFUSALS
        del names
        self._s = status
        self._ses = ses
        self._send = oled.write_data
        mv = memoryview(oled.buffer)
        self._page = tuple(mv[p * _W:(p + 1) * _W] for p in range(_PAGES))
        self._row = self._page[0]  # the page being drawn
        self._blank = bytes(_W)  # a page's clearing: one copy
        # The font framebuf.text draws, as 8 bytes a character (one per
        # column, bit 0 at the top): a line is one page, so a character is
        # an 8-byte copy into it (framebuf.text draws pixel by pixel, several
        # times as long: docs/display.md).
        g = bytearray(96 * _CH)  # characters 32-127
        framebuf.FrameBuffer(g, 96 * _CH, _CH, framebuf.MONO_VLSB).text(_ASCII, 0, 0)
        self._font = g
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
            self._words_line(self._states[s[_S_STATE]])
            # SR-11: which tray is + (the relay reversed: B); at rest A.
            self._put("B+" if self._ses.reversed else "A+", 112)
        elif p == 1:
            self._ma(s[_S_I_UA])
        elif p == 2:
            self._ma(s[_S_SET_UA])
        elif p == 3:
            self._left()
        elif p == 4:
            self._load(s[_S_LOAD_OHM])
        elif p == 5:
            self._num(s[_S_REACHED_PCT], -1, 64 | 1 << 8)  # after "reached": 3 places
            # SR-14's mark: the rail can push no more.
            self._put("max" if s[_S_LIMITED] else "   ", 104)
        elif s[_S_FAULT]:
            self._words_line("fault" if p == 6 else self._faults[s[_S_FAULT]])
        elif s[_S_REFUSAL]:
            self._words_line("refused" if p == 6 else self._refusals[s[_S_REFUSAL]])
        else:
            self._row[:] = self._blank

    def _words_line(self, word):
        self._row[:] = self._blank
        self._put(word, 0)

    @micropython.viper
    def _put(self, text, x: int):
        # text's characters from column x, glyph by glyph, as far as the
        # line's end; "_" shows as a space (names.py's "ramp_up": "ramp up").
        # names.py's words are ASCII; any other character shows as 127's
        # glyph, as framebuf.text draws it.
        row = ptr8(self._row)
        g = ptr8(self._font)
        t = ptr8(text)
        n = int(len(text))
        j = 0
        while j < n and x <= _W - _CH:
            c = t[j] - 32
            if c == 63:  # "_"
                c = 0
            elif c < 0 or c > 95:
                c = 95
            c = c * _CH
            i = 0
            while i < _CH:
                row[x + i] = g[c + i]
                i += 1
            x += _CH
            j += 1

    @micropython.viper  # machine words, frame on the C stack: the slice's loop
    def _num(self, v: int, point: int, spec: int):
        # The figure v right-aligned, its last digit at _LAST: `point` > 0
        # puts the separator that many digits from the right (-1: none);
        # zeros in front are blank but in the last few places; blanks to the
        # left as far as the field's first column. spec: that first column |
        # the places always drawn << 8 | the separator's character << 16. Each
        # character is its glyph's 8 bytes copied into the page. Every value
        # is small (v < 2**24, x < 128): a machine word on every port.
        row = ptr8(self._row)
        g = ptr8(self._font)
        first = spec & 0xFF
        always = _LAST - (spec >> 8 & 0xFF) * _CH
        if v < 0:
            v = 0
        x = _LAST
        while x >= first:
            if point == 0:
                c = spec >> 16
            elif v or x > always:
                c = 48 + v % 10  # "0"
                v = v // 10
            else:
                c = 32  # " "
            c = (c - 32) * _CH
            i = 0
            while i < _CH:
                row[x + i] = g[c + i]
                i += 1
            point -= 1
            x -= _CH

    def _ma(self, ua):
        # uA as mA with two decimals: 14.95, 0.30
        self._num(ua // 10, 2, _FIELD | 4 << 8 | _DOT << 16)

    def _left(self):
        # The session's time left, m:ss (current-on time counts: paused, it
        # holds), as the figure mss with a colon two digits from the right.
        ses = self._ses
        left = (ses.duration_ms - ses.on_ms) // 1000
        if left < 0:
            left = 0
        self._num(left // 60 * 100 + left % 60, 2, _FIELD | 4 << 8 | _COLON << 16)

    def _load(self, ohm):
        # kOhm with one decimal; "-" without current (names.py STATUS
        # load_ohm is 0 below 100 uA: no reading).
        if ohm > 0:
            self._num((ohm + 50) // 100, 1, _FIELD | 3 << 8 | _DOT << 16)
        else:
            self._num(0, 0, _FIELD | _DASH << 16)

def maker(machine, board):
    # At startup, when the board description names a display: what App calls with
    # its status and session to make its display. The panel (firmware/hal_display.py,
    # dropped after the startup job) starts then, once the hal has set the CPU's
    # clock (an SPI bus set up before would change speed with it). A display that
    # does not start (no driver on the board, a wrong pin) is said on the console
    # and left out (None): the device works as without one.
    def make(status, ses):
        try:
            from firmware import hal_display

            oled = hal_display.oled(machine, board)
        except Exception as e:  # noqa: BLE001 - whatever it is, the device runs without it
            print("ionto: display not started:", repr(e))
            return None
        return Display(oled, status, ses)

    return make

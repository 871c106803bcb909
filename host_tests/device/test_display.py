# The optional display (issue 17, firmware/display.py) on micropython-lib's
# ssd1306 driver (tools/display_driver.py) and a simulated SSD1306 panel
# (tools/sim/oled.py): what it shows, that a frame is 16 bounded slices that
# reach the panel's RAM, that a slice allocates nothing (unix port:
# micropython.mem_total, frames included) and what its worst slice costs
# against the app's slowest slow job.
import gc
import sys
import time
from array import array

import micropython
from support import HAND, make_app, press, run_ticks, skip

from firmware import names, states
from tools.sim import oled

STATUS = names.STATUS  # Display releases names.py; the test keeps its own reference


class Ses:
    # What the display reads of the session: the time left and the relay.
    def __init__(self):
        self.duration_ms = 1200000
        self.on_ms = 0
        self.reversed = False


def _status(**kw):
    s = array("i", [0] * len(STATUS))
    for k in kw:
        s[STATUS.index(k)] = kw[k]
    return s


def _display(status, ses, spi=None):
    from firmware.display import Display

    drv, panel = oled.make_oled(spi)
    return Display(drv, status, ses), drv, panel


def _frame(d):
    for _ in range(16):
        d.step()


def _expected(lines):
    # The screen drawn with whole strings by the same font: (text, x) per line.
    import framebuf

    buf = bytearray(1024)
    fb = framebuf.FrameBuffer(buf, 128, 64, framebuf.MONO_VLSB)
    for p in range(8):
        for text, x in lines.get(p, ()):
            fb.text(text, x, p * 8, 1)
    return buf


def _page(buf, p):
    return bytes(buf[p * 128:(p + 1) * 128])


def test_a_frame_is_sixteen_slices_that_reach_the_panel():
    s = _status(state=states.TREAT, i_ua=14953, set_ua=15000)
    d, drv, panel = _display(s, Ses())
    assert panel.on and panel.mode == 0  # the driver's init: horizontal addressing
    sent = panel.data_bytes  # the driver's blank screen at init: 1024
    assert sent == 1024
    for n in range(16):
        d.step()
        # A page goes right after its line: 128 bytes every second slice.
        assert panel.data_bytes - sent == (n + 1) // 2 * 128, n
    assert panel.ram == drv.buffer
    assert _page(panel.ram, 0) != bytes(128) and _page(panel.ram, 1) != bytes(128)
    # Each next frame lands on the same pages: the address wrapped to page 0.
    s[STATUS.index("i_ua")] = 9000
    _frame(d)
    assert panel.ram == drv.buffer


def test_it_shows_state_polarity_currents_time_load_and_reached():
    ses = Ses()
    ses.on_ms = 754000  # 1200 - 754 = 446 s left: 7:26
    s = _status(state=states.TREAT, i_ua=14953, set_ua=15000, load_ohm=3304, reached_pct=99)
    d, drv, panel = _display(s, ses)
    _frame(d)
    want = _expected({
        0: (("treat", 0), ("A+", 112)),
        1: (("I", 0), ("14.95", 48), ("mA", 96)),
        2: (("set", 0), ("15.00", 48), ("mA", 96)),
        3: (("left", 0), ("7:26", 56)),
        4: (("load", 0), ("3.3", 64), ("kOhm", 96)),
        5: (("reached", 0), ("99", 72), ("%", 88)),
    })
    for p in range(8):
        assert _page(panel.ram, p) == _page(want, p), p
    # Another frame with other figures: every digit's place is drawn anew,
    # none of the last frame's digits stays.
    ses.on_ms = 1200000 - 59000 - 600000  # 10:59
    ses.reversed = True
    s[STATUS.index("state")] = states.RAMP_UP
    s[STATUS.index("i_ua")] = 305  # 0.30 mA: the leading zero and the padded decimals
    s[STATUS.index("set_ua")] = 5000
    s[STATUS.index("load_ohm")] = 0  # no current, no load reading
    s[STATUS.index("reached_pct")] = 100
    s[STATUS.index("limited")] = 1
    _frame(d)
    want = _expected({
        0: (("ramp up", 0), ("B+", 112)),
        1: (("I", 0), ("0.30", 56), ("mA", 96)),
        2: (("set", 0), ("5.00", 56), ("mA", 96)),
        3: (("left", 0), ("10:59", 48)),
        4: (("load", 0), ("-", 80), ("kOhm", 96)),
        5: (("reached", 0), ("100", 64), ("%", 88), ("max", 104)),
    })
    for p in range(8):
        assert _page(panel.ram, p) == _page(want, p), p
    s[STATUS.index("load_ohm")] = 123456  # 123.5 kOhm
    s[STATUS.index("limited")] = 0
    _frame(d)
    want = _expected({4: (("load", 0), ("123.5", 48), ("kOhm", 96)),
                      5: (("reached", 0), ("100", 64), ("%", 88))})
    for p in (4, 5):
        assert _page(panel.ram, p) == _page(want, p), p


def test_a_fault_or_a_refusal_in_words():
    s = _status(state=states.FAULT, fault=1)  # faults.OVERCURRENT
    d, drv, panel = _display(s, Ses())
    _frame(d)
    want = _expected({6: (("fault", 0),), 7: (("overcurrent", 0),)})
    assert _page(panel.ram, 6) == _page(want, 6)
    assert _page(panel.ram, 7) == _page(want, 7)
    s[STATUS.index("fault")] = 0
    s[STATUS.index("state")] = states.IDLE
    s[STATUS.index("refusal")] = 3  # session.REFUSE_USB
    _frame(d)
    want = _expected({0: (("idle", 0), ("A+", 112)), 6: (("refused", 0),), 7: (("usb", 0),)})
    for p in (0, 6, 7):
        assert _page(panel.ram, p) == _page(want, p), p
    s[STATUS.index("refusal")] = 0
    _frame(d)  # cleared: the two lines go blank
    assert _page(panel.ram, 6) == bytes(128) and _page(panel.ram, 7) == bytes(128)


def test_every_word_fits_the_line():
    # 16 characters of 8 pixels; the state word leaves room for the polarity.
    for w in names.STATES:
        assert len(w) <= 13, w
    for w in names.FAULTS + names.REFUSALS:
        assert len(w) <= 16, w


def _need_mem_total():
    if not hasattr(micropython, "mem_total"):
        skip("micropython.mem_total exists only in the MicroPython unix port")


def _steps(step, n):
    for _ in range(n):
        step()


def _nothing():
    pass


def _bytes_of(step, n):
    _steps(step, 16)
    gc.collect()
    gc.disable()
    try:
        m = micropython.mem_total()
        _steps(step, n)
        return micropython.mem_total() - m
    finally:
        gc.enable()


def _busy_status():
    # Every figure at its widest, the longest state and fault words.
    return _status(state=states.WAIT_CONTACT, i_ua=24999, set_ua=25000, load_ohm=123456,
                   reached_pct=100, limited=1, fault=1, refusal=1)


def test_a_slice_allocates_nothing_frames_included():
    _need_mem_total()
    ses = Ses()
    ses.on_ms = 1000
    for s in (_status(), _busy_status(), _status(state=states.IDLE, refusal=1)):
        d, drv, _ = _display(s, ses, oled.NullSPI())
        base = _bytes_of(_nothing, 1600)
        assert _bytes_of(d.step, 1600) - base == 0


def test_the_apps_tick_with_a_display_allocates_nothing():
    # The app's tick with the display in its slot (every 32 ticks), in ramp
    # and treatment: test_alloc.py's count, frames included.
    _need_mem_total()
    from test_alloc import TICKS, _app_in_ramp, _bytes_of_ticks, _harness_bytes

    from firmware.display import Display

    idle, _ = make_app()  # the harness's own cost, on an app of its own (as test_alloc.py)
    run_ticks(idle, 1000)
    base = _harness_bytes(idle, 0)
    app = _app_in_ramp()
    spi = oled.NullSPI()
    drv, _ = oled.make_oled(spi)
    app.display = Display(drv, app.status, app.ses)
    w0 = spi.writes
    assert _bytes_of_ticks(app, HAND) - base == 0, "ramp"
    # a page sent every 64 ticks (one bus write each)
    pages = spi.writes - w0
    assert TICKS // 64 - 2 <= pages <= TICKS // 64 + 2, pages
    run_ticks(app, 40000, HAND)
    assert app.ses.state == states.TREAT
    assert _bytes_of_ticks(app, HAND) - base == 0, "treatment"


def _heap_frame(a, b, c, d, e, f, g, h, i, j, k, m):
    return a + b + c + d + e + f + g + h + i + j + k + m


def test_the_count_sees_a_heap_frame_in_a_slice():
    # Control: the same count, with one call of a 12-word frame inside each
    # page's sending, is caught; and so is the driver's fill_rect bound once
    # and called with its 5 arguments (the bound method puts them on the heap:
    # py/objboundmeth.c), which display.py avoids.
    _need_mem_total()
    d, drv, _ = _display(_busy_status(), Ses(), oled.NullSPI())
    real = d._send

    def framed(buf):
        real(buf)
        _heap_frame(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)

    d._send = framed
    base = _bytes_of(_nothing, 1600)
    assert _bytes_of(d.step, 1600) - base >= 800 * 16
    d._send = real
    clear = drv.fill_rect
    assert _bytes_of(lambda: clear(0, 0, 128, 8, 0), 100) - _bytes_of(_nothing, 100) >= 100 * 16


def _time_each_slice(d, rounds):
    # us per call of each of the 16 slices, the median of `rounds` rounds of
    # 50 calls (a full frame between them keeps every slice's own content).
    tu = time.ticks_us
    td = time.ticks_diff
    per = [[] for _ in range(16)]
    for _ in range(rounds):
        for n in range(16):
            t0 = tu()
            for _ in range(50):
                d._n = n
                d.step()
            per[n].append(td(tu(), t0) / 50)
    return [sorted(x)[len(x) // 2] for x in per]


def _time_calls(f, arg, n):
    tu = time.ticks_us
    t0 = tu()
    for _ in range(n):
        f(arg)
    return time.ticks_diff(tu(), t0) / n


def test_the_worst_slice_costs_less_than_the_sessions_step():
    # The display's slot must not make the tick's slowest class slower: its
    # worst slice (on a bus that costs nothing here: the SPI transfer is the
    # chip's, docs/display.md adds it) against the app's slowest slow job, the
    # session's step in treatment (docs/testing.md: 259 us of the RP2040's
    # estimate), timed in the same run. Unix port only: CPython's costs are
    # not the VM's.
    if sys.implementation.name != "micropython":
        skip("timed in the MicroPython unix port")
    app, hal = make_app()
    app.ses.configure(15000, 1200000, 1)
    run_ticks(app, 1000, HAND)
    press(app, 2100, HAND)
    run_ticks(app, 40000, HAND)
    assert app.ses.state == states.TREAT
    d, drv, _ = _display(_busy_status(), Ses(), oled.NullSPI())
    gc.collect()
    slices = _time_each_slice(d, 7)
    decide = sorted(_time_calls(app._decide, 0, 200) for _ in range(7))[3]
    worst = max(slices)
    print("display slices us (unix port):", ["%.2f" % x for x in slices])
    print("worst %.2f us, the session's step %.2f us: ratio %.2f" % (worst, decide,
                                                                     worst / decide))
    assert worst < decide

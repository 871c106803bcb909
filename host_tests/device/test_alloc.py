# M6 and the hot-path rule: the every-millisecond tick and the slow job after
# it (App.job) allocate nothing at all, frames included, in idle, ramp,
# treatment, pause and reversal.
# Measured with micropython.mem_total() in the MicroPython unix port: it
# counts every byte ever allocated, so a call frame put on the heap and freed
# on return (a bytecode function whose locals and stack need more than 11
# words, py/objfun.c VM_MAX_STATE_ON_STACK; platform.md) shows, where
# gc.mem_alloc() returns to the same value. CPython has no such counter:
# pytest does not collect this file (conftest.py); `make devtest` runs it.
import gc

import micropython
from support import HAND, make_app, press, run_ticks, skip

from firmware import states

TICKS = 10000


def _need_mem_total():
    if not hasattr(micropython, "mem_total"):
        skip("micropython.mem_total exists only in the MicroPython unix port")


def _bytes_of_ticks(app, load_ohm, ticks=TICKS):
    # Bytes allocated over `ticks` ticks with the fake hal's bath between them.
    hal = app.hal
    run_ticks(app, 8, load_ohm)  # the helpers' own first-call work, outside the count
    gc.collect()
    gc.disable()
    try:
        before = micropython.mem_total()
        run_ticks(app, ticks, load_ohm)
        return micropython.mem_total() - before
    finally:
        gc.enable()
        hal.bath(load_ohm)


def _harness_bytes(app, load_ohm):
    # The same loop around a tick and a job that do nothing: what the
    # measurement itself costs (support.tick, the bath), subtracted from each
    # figure.
    real = app.tick, app.job
    app.tick = _NoTick()
    app.job = _NoJob()
    try:
        return _bytes_of_ticks(app, load_ohm)
    finally:
        app.tick, app.job = real


class _NoTick:
    def __call__(self, now_us):
        pass


class _NoJob:
    def __call__(self):
        pass


def _app_in_ramp():
    app, hal = make_app()
    app.ses.configure(15000, 1200000, 1)  # hands, midway reversal
    run_ticks(app, 1000, HAND)
    press(app, 2100, HAND)
    run_ticks(app, 1000, HAND)
    assert app.ses.state == states.RAMP_UP
    return app


def test_tick_allocates_nothing_frames_included_in_every_state():
    _need_mem_total()
    idle, _ = make_app()
    run_ticks(idle, 1000)
    base = _harness_bytes(idle, 0)
    assert _bytes_of_ticks(idle, 0) - base == 0, "idle"
    app = _app_in_ramp()
    assert _bytes_of_ticks(app, HAND) - base == 0, "ramp"
    run_ticks(app, 40000, HAND)
    assert app.ses.state == states.TREAT
    assert _bytes_of_ticks(app, HAND) - base == 0, "treatment"
    run_ticks(app, 100)
    assert app.ses.state == states.PAUSED
    assert _bytes_of_ticks(app, 0) - base == 0, "pause"
    run_ticks(app, 300, HAND)  # contact again: ramp up, then to the midway reversal
    ses = app.ses
    ses.on_ms = ses.duration_ms // 2
    run_ticks(app, 40000, HAND)
    while ses.state != states.REVERSING:
        run_ticks(app, 100, HAND)
    assert _bytes_of_ticks(app, HAND, 2000) - base * 2000 // TICKS == 0, "reversal"


def test_tick_allocates_nothing_in_a_compliance_limited_treatment():
    # SR-14 (issue 14 D1): treatment at the most the load allows (the fake
    # hal's bath limited to 9 mA): the session counts its limited time, the
    # LED shows the limited pattern; then the load falls and the current
    # ramps to the set point (SR-8).
    _need_mem_total()
    idle, _ = make_app()
    run_ticks(idle, 1000)
    base = _harness_bytes(idle, 0)
    app, hal = make_app()
    app.ses.configure(15000, 1200000, 1)
    run_ticks(app, 1000, HAND)
    hal.max_ua = 9000
    press(app, 2100, HAND)
    run_ticks(app, 30000, HAND)
    assert app.ses.state == states.TREAT and app.reg.limited
    assert _bytes_of_ticks(app, HAND) - base == 0, "limited treatment"
    assert app.ses.limited_ms > 0
    hal.max_ua = 0
    assert _bytes_of_ticks(app, HAND) - base == 0, "ramp on to the set point"
    assert app.ses.state == states.TREAT and not app.reg.limited


def test_the_up_and_down_buttons_allocate_nothing():
    # Issue 17: a press of up, then of down, in treatment (the set point
    # steps, the journal's pairs fill, the density guard's cap follows).
    _need_mem_total()
    idle, _ = make_app()
    run_ticks(idle, 1000)
    base = _harness_bytes(idle, 0)
    app = _app_in_ramp()
    run_ticks(app, 40000, HAND)
    ses = app.ses
    assert ses.state == states.TREAT and ses.adjust_n == 0
    hal = app.hal
    gc.collect()
    gc.disable()
    try:
        before = micropython.mem_total()
        for bit, ticks in ((1, 150), (0, 4850), (2, 150), (0, 4850)):  # 10,000 ticks
            hal.adjust = bit
            run_ticks(app, ticks, HAND)
        spent = micropython.mem_total() - before
    finally:
        gc.enable()
    assert ses.adjust_n == 2 and ses.set_ua == 15000, (ses.adjust_n, ses.set_ua)
    assert ses.adjusts[1] == 16000 and ses.state == states.TREAT
    assert spent - base == 0, spent - base


def _heap_frame(a, b, c, d, e, f, g, h, i, j, k, m):
    # Twelve arguments: more than 11 words of state, a frame on the heap.
    return a + b + c + d + e + f + g + h + i + j + k + m


def test_the_measurement_sees_a_heap_frame():
    # Control: a tick, or a job, that calls one bytecode function with a large
    # frame (what a hot function that grew would do) is caught. Nothing else
    # differs: no object, no float, only the frame.
    _need_mem_total()
    app = _app_in_ramp()
    base = _harness_bytes(app, HAND)
    real = app.tick, app.job

    def framed_tick(now_us):
        due = real[0](now_us)
        _heap_frame(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
        return due

    def framed_job():
        real[1]()
        _heap_frame(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)

    app.tick = framed_tick
    assert _bytes_of_ticks(app, HAND) - base >= TICKS * 16
    app.tick = real[0]
    app.job = framed_job
    assert _bytes_of_ticks(app, HAND) - base >= TICKS * 16

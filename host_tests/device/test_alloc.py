# M6 and the hot-path rule: one tick of the app allocates nothing, in ramp,
# treatment and pause. Measured with gc.mem_alloc in the MicroPython unix port
# (CPython has no such counter: pytest does not collect this file, conftest.py).
import gc

from support import make_app, press, run_ticks, skip

from firmware import states

HAND = 3300
TICKS = 10000


def _alloc_of_ticks(app, load_ohm):
    hal = app.hal
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        for _ in range(TICKS):
            app.tick()
            hal.bath(load_ohm)
        return gc.mem_alloc() - before
    finally:
        gc.enable()


def _app_in_ramp():
    app, hal = make_app()
    app.ses.configure(15000, 1200000, 1)
    run_ticks(app, 1000, HAND)
    press(app, 2100, HAND)
    run_ticks(app, 1000, HAND)
    assert app.ses.state == states.RAMP_UP
    return app


def test_tick_allocates_nothing_in_ramp_treatment_and_pause():
    if not hasattr(gc, "mem_alloc"):
        skip("gc.mem_alloc exists only in MicroPython")
    app = _app_in_ramp()
    assert _alloc_of_ticks(app, HAND) == 0, "ramp"
    run_ticks(app, 40000, HAND)
    assert app.ses.state == states.TREAT
    assert _alloc_of_ticks(app, HAND) == 0, "treatment"
    run_ticks(app, 100)
    assert app.ses.state == states.PAUSED
    assert _alloc_of_ticks(app, 0) == 0, "pause"


def test_the_measurement_sees_an_allocation():
    # Control: the same measurement catches a tick that allocates.
    if not hasattr(gc, "mem_alloc"):
        skip("gc.mem_alloc exists only in MicroPython")
    app = _app_in_ramp()
    real = app.tick
    junk = []

    def leaky_tick():
        real()
        if app.n % 1000 == 0:
            junk.append(1.5 * len(junk))  # a float and a list slot: heap objects

    app.tick = leaky_tick
    assert _alloc_of_ticks(app, HAND) > 0

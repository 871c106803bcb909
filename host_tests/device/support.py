# Shared helpers for the device tests (they run in CPython under pytest and in
# the MicroPython unix port under tools/sim/mptest.py). Plain code only.
import sys

from tools.sim.fakehal import FakeHal  # noqa: F401  (the tests import it from here)


def skip(reason):
    # pytest and mptest both report this as a skip, never as a pass.
    if sys.implementation.name == "micropython":
        from tools.sim.mptest import SkipTest
    else:
        from unittest import SkipTest
    raise SkipTest(reason)


def make_app(calibrated=True):
    from firmware.app import App

    hal = FakeHal()
    app = App(hal, hal.board, calibrated)
    app.sup.start_watchdog()
    return app, hal


def run_ticks(app, n, load_ohm=0):
    # Ticks with an ideal bath: the current follows the command when a load
    # is given (load_ohm > 0), else nothing flows (no hand in the water).
    # test_alloc.py repeats this loop inline (it must not add a call level).
    hal = app.hal
    for _ in range(n):
        app.tick()
        if load_ohm and hal.output_is_on:
            hal.i_ua = hal.set_ua
            hal.v_mv = hal.set_ua * load_ohm // 1000
        else:
            hal.i_ua = 0
            # An open load with the switch on puts the electrodes at the rail.
            hal.v_mv = hal.rail_mv if hal.output_is_on else 0


def press(app, ms, load_ohm=0):
    app.hal.button = True
    run_ticks(app, ms * 1000 // app.tick_us, load_ohm)
    app.hal.button = False

# Shared helpers for the device tests (they run in CPython under pytest and in
# the MicroPython unix port under tools/sim/mptest.py). Plain code only.
import os
import sys

from tools.sim.fakehal import FakeHal  # noqa: F401  (the tests import it from here)

HAND = 3300  # Ohm: the default hand of measures.md (300 series + 3 k skin)


def skip(reason):
    # pytest and mptest both report this as a skip, never as a pass.
    if sys.implementation.name == "micropython":
        from tools.sim.mptest import SkipTest
    else:
        from unittest import SkipTest
    raise SkipTest(reason)


def _build_dir(path):
    from tools.sim.files import mkdirs

    return mkdirs(path)


def fake_flash():
    # The folder a fake-hal app writes its journal and marker to: one per test
    # file in the unix port, where tools/run_device_tests.py runs files side by side
    # (one per test of a file whose tests each get an interpreter: mptest.py's pick).
    # In CPython, one per pytest-xdist worker (make test runs pytest on every core).
    name = "build/fake_flash"
    if sys.implementation.name == "micropython" and len(sys.argv) > 1:
        name += "_" + sys.argv[1].split("/")[-1].split(".")[0]
        if len(sys.argv) > 2:
            name += "_" + "".join(c if c.isalpha() or c.isdigit() else "_"
                                  for c in sys.argv[2].split("::")[-1])
    elif os.getenv("PYTEST_XDIST_WORKER"):
        name += "_" + os.getenv("PYTEST_XDIST_WORKER")
    return _build_dir(name) + "/"


def make_app(calibrated=True):
    from firmware.app import App

    hal = FakeHal()
    app = App(hal, hal.board, calibrated, journal_dir=fake_flash())
    app.sup.start_watchdog()
    return app, hal


def tick(app, dt_us=1000):
    # One period, dt_us after the last, as App.run runs it: the tick, then the
    # slow job after it. The loop's clock (time.ticks_us) as the fake hal
    # keeps it, wrapping at 2**30 as on the boards.
    hal = app.hal
    hal.now_us = (hal.now_us + dt_us) & 0x3FFFFFFF
    if app.tick(hal.now_us):
        app.job()


def run_ticks(app, n, load_ohm=0, dt_us=1000):
    # Ticks with the fake hal's ideal bath (FakeHal.bath).
    hal = app.hal
    for _ in range(n):
        tick(app, dt_us)
        hal.bath(load_ohm)


def press(app, ms, load_ohm=0, dt_us=1000):
    app.hal.button = True
    run_ticks(app, ms * 1000 // dt_us, load_ohm, dt_us)
    app.hal.button = False


def treating_board(seed, at_s):
    # A simulated board whose person starts a session at 1 s (held 2.5 s);
    # `seen` fills in with a sample at at_s, once the run gets there.
    from tools.sim.simboard import SimBoard

    b = SimBoard("pico", seed=seed, flash_dir="build/sim_flash/test_" + str(seed))
    b.press_button(1.0, 2.5)
    return b, b.snapshot_at(at_s)


def fresh_board(name, seed, calibrated=True, params=None):
    # A simulated board whose flash holds nothing from an earlier run (a new
    # SimBoard wipes it): only board.txt and, when calibrated, the calibration.
    from tools.sim.simboard import SimBoard

    b = SimBoard("pico", seed=seed, params=params, calibrated=calibrated,
                 flash_dir="build/sim_flash/test_" + name)
    return b


def console_call(b, name, *args, **kw):
    # firmware/console.py's call `name` on a simulated board (its fake machine
    # and flash), as a person at the REPL makes it.
    def go():
        from firmware import console

        return getattr(console, name)(*args, **kw)
    return b.call(go)


def flash_files(b):
    # {name: bytes} of every file on a simulated board's flash: what a call changed.
    import os

    out = {}
    for n in os.listdir(b.flash):
        with open(b.flash + "/" + n, "rb") as f:
            out[n] = f.read()
    return out


def near(value, want, tol):
    assert want - tol <= value <= want + tol, (value, want, tol)


def journal(b):
    # The journal records on a simulated board's flash, oldest first.
    import json

    text = b.read_file("journal.jsonl") or ""
    return [json.loads(line) for line in text.splitlines() if line]


_OPS = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__floordiv__",
        "__rfloordiv__", "__lshift__", "__rlshift__", "__rshift__", "__rrshift__", "__and__",
        "__rand__", "__neg__")


def bounded_int(limit):
    # An int type whose every arithmetic result is checked against +-limit
    # (and stays of that type, so the next operation on it is checked too):
    # 2**30 for bytecode (a small int on the 32-bit boards), 2**31 for viper
    # (a machine word). CPython only: MicroPython's ints cannot be watched.
    class Bounded(int):
        pass

    def op(name):
        def f(a, *b):
            r = getattr(int, name)(int(a), *[int(x) for x in b])
            assert -limit < r < limit, (name, int(a), [int(x) for x in b], r)
            return Bounded(r)

        return f

    if sys.implementation.name != "micropython":
        for name in _OPS:
            setattr(Bounded, name, op(name))
    return Bounded

# Figures measured inside the MicroPython unix port (measures.md):
#   M6 bytes allocated per tick (gc disabled, 10,000 ticks) in ramp, treatment, pause
#   M7 time of one app tick / time of the reference tick, in the same run
#   M8 heap in use after importing the whole app, and while it runs
# Run: micropython -X heapsize=192K tools/sim/bench_device.py [FOLDER]   (one JSON line)
# FOLDER: the compiled firmware (default build/mpy/armv6m; an armv6m .mpy with
# native code does not load in this port: tools/ionto/bench.py passes a build
# for this machine, the same bytecode).
import gc
import os  # noqa: E402
import sys

_ROOT = os.getcwd()  # run from the repository root
sys.path.insert(0, _ROOT)
# As deployed: the precompiled .mpy files (tools/check_device.py builds them),
# ahead of the sources, imported from the current folder as a board imports
# them from its flash root (each module's __file__ is then "firmware/x.mpy",
# as on the board, whatever the folder the repository was cloned into).
os.chdir(sys.argv[1] if len(sys.argv) > 1 else "build/mpy/armv6m")
sys.path.insert(0, "")
gc.collect()
_HEAP0 = gc.mem_alloc()
import firmware  # noqa: E402
from firmware import app as _app  # noqa: E402  (measured: the whole app's imports)
from firmware import hal as _hal  # noqa: E402,F401

gc.collect()
HEAP_IMPORT = gc.mem_alloc() - _HEAP0
FROM_MPY = _app.__file__.endswith(".mpy")

import json  # noqa: E402
import time  # noqa: E402

from tools.sim.fakehal import FakeHal  # noqa: E402  (the test double: not counted)

gc.collect()
_HEAP1 = gc.mem_alloc()

HAND = 3300
N = 10000
# The tick's API, found at the first tick (main): tick(now_us), a synthetic
# time.ticks_us advancing 1 ms a tick; or None: e72854b's tick().
_now = None


def _ticks(a, n, load_ohm):
    global _now
    hal = a.hal
    for _ in range(n):
        if _now is None:
            a.tick()
        else:
            if a.tick(_now):
                a.job()  # the slow job after the tick, as App.run runs them
            _now = time.ticks_add(_now, 1000)
        hal.bath(load_ohm)


def _first_tick(a):
    global _now
    now = time.ticks_us()
    try:
        if a.tick(now):
            a.job()
        _now = time.ticks_add(now, 1000)
    except TypeError:
        a.tick()


def _alloc(a, load_ohm):
    gc.collect()
    gc.disable()
    try:
        before = gc.mem_alloc()
        _ticks(a, N, load_ohm)
        return gc.mem_alloc() - before
    finally:
        gc.enable()


def _reference_tick_us(hal):
    # Two ADC reads (one hal.sense), one integer PI step, one PWM write, one WDT feed.
    integ = 0
    t0 = time.ticks_us()
    for _ in range(N):
        i = hal.sense()
        v = hal.v_mv
        err = 15000 - i
        integ += err
        cmd = 15000 + (err >> 4) + (integ >> 8) + (v >> 20)
        hal.set_current_ua(cmd)
        hal.feed_watchdog()
    return time.ticks_diff(time.ticks_us(), t0)


def _app_tick_us(a):
    t0 = time.ticks_us()
    _ticks(a, N, HAND)
    return time.ticks_diff(time.ticks_us(), t0)


def _flash():
    # A calibrated board's flash, as the app reads it at startup: the current
    # folder (build/mpy/armv6m) is the flash root, firmware and files.
    for name in ("journal.jsonl", "journal.1.jsonl", "config.json", "session.run"):
        try:
            os.remove(name)
        except OSError:
            pass
    cal = {"version": 1}
    for ch in ("current", "voltage", "rail", "battery", "set"):
        cal[ch] = {"offset": 0, "gain_ppm": 1000000}
    with open("calibration.json", "w") as f:
        f.write(json.dumps(cal))


def main():
    from firmware.boards import load

    _flash()
    board = load("pico")
    # The app's own startup path, as main.py runs it (the loop's modules are
    # loaded above, so the job drops what startup loads beyond them).
    a = firmware.job("startup", "build", board, lambda board, cal: FakeHal(board))
    hal = a.hal
    a.sup.start_watchdog()
    _first_tick(a)
    _ticks(a, 1000, HAND)
    hal.button = True
    _ticks(a, 2100, HAND)
    hal.button = False
    _ticks(a, 1000, HAND)
    assert a.ses.state == 2, "not ramping"
    out = {"state_ramp": a.ses.state, "M6_ramp_bytes": _alloc(a, HAND)}
    _ticks(a, 40000, HAND)
    out["state_treat"] = a.ses.state
    out["M6_treat_bytes"] = _alloc(a, HAND)
    # M7 in treatment: best of 3 of each, interleaved, in this one run.
    app_us = ref_us = 1 << 30
    for _ in range(3):
        ref_us = min(ref_us, _reference_tick_us(hal))
        app_us = min(app_us, _app_tick_us(a))
    out["M7_app_tick_us"] = app_us / N
    out["M7_ref_tick_us"] = ref_us / N
    out["M7_ratio"] = app_us / ref_us
    gc.collect()
    # The app's objects (and the small FakeHal instance) on top of its imports.
    out["M8_heap_running_bytes"] = HEAP_IMPORT + gc.mem_alloc() - _HEAP1
    out["M8_heap_import_bytes"] = HEAP_IMPORT
    out["M8_imported_from_mpy"] = FROM_MPY
    # The firmware's modules this run holds: whose native code a board's heap holds
    # (a module loaded for a job and released holds none; nor one never loaded).
    out["M8_modules"] = sorted(m for m in sys.modules if m.startswith("firmware."))
    _ticks(a, 100, 0)  # hand lifted
    out["state_pause"] = a.ses.state
    out["M6_pause_bytes"] = _alloc(a, 0)
    print(json.dumps(out))


main()

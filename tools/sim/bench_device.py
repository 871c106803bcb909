# Figures measured inside the MicroPython unix port (measures.md):
#   M6 bytes allocated per tick (gc disabled, 10,000 ticks) in ramp, treatment, pause
#   M7 time of one app tick / time of the reference tick, in the same run
#   M8 heap in use after importing the whole app, and while it runs; the qstr
#      pools' state printed where each count starts and ends (tools/ionto/m8.py
#      device_run counts the names at their entries' size)
# Run: micropython -X heapsize=192K tools/sim/bench_device.py [FOLDER]
# (four lines of micropython.qstr_info(), then one JSON line)
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
import micropython  # noqa: E402

gc.collect()
micropython.qstr_info()
_HEAP0 = gc.mem_alloc()
import firmware  # noqa: E402
from firmware import app as _app  # noqa: E402  (measured: the whole app's imports)
from firmware import hal as _hal  # noqa: E402,F401

gc.collect()
micropython.qstr_info()
HEAP_IMPORT = gc.mem_alloc() - _HEAP0
FROM_MPY = _app.__file__.endswith(".mpy")

import json  # noqa: E402
import time  # noqa: E402

from firmware.boards import load  # noqa: E402
from tools.sim.fakehal import FakeHal, FakeMachine  # noqa: E402  (the test double: not counted)

# The fake machine's pins, PWMs and watchdog made before the count starts, as the
# rp2 port's are static objects.
_MACHINE = FakeMachine(load("pico"))
gc.collect()
micropython.qstr_info()
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


def _hal_bytes(board):
    # The heap an instance holds, of the real hal and of FakeHal, each made on a
    # fake machine of its own (made first: the chip's pins are static objects).
    # The least of three each: the collector scans the C stack conservatively, and
    # a stale word there can keep a temporary alive (tens of bytes, never fewer).
    from firmware import hal_setup, store  # noqa: F401  (loaded before the counts)
    from firmware.hal import Hal

    cal = store.nominal_calibration()
    held = []
    real = fake = 1 << 30
    for _ in range(3):
        m_real, m_fake = FakeMachine(board), FakeMachine(board)
        held.append((m_real, m_fake))
        gc.collect()
        a = gc.mem_alloc()
        held.append(Hal(m_real, board, cal))
        gc.collect()
        b = gc.mem_alloc()
        held.append(FakeHal(board, m_fake, cal))
        gc.collect()
        real = min(real, b - a)
        fake = min(fake, gc.mem_alloc() - b)
    return real, fake


def main():
    _flash()
    board = load("pico")
    # The app's own startup path, as main.py runs it (the loop's modules are
    # loaded above, so the job drops what startup loads beyond them).
    a = firmware.job("startup", "build", board, lambda board, cal: FakeHal(board, _MACHINE))
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
    # The app's objects on top of its imports, with the hal counted as the
    # firmware's own: the FakeHal instance (the hal with the test's readings and
    # counters) less what the real hal holds (_hal_bytes, measured after).
    micropython.qstr_info()
    running = HEAP_IMPORT + gc.mem_alloc() - _HEAP1
    out["M8_heap_import_bytes"] = HEAP_IMPORT
    out["M8_imported_from_mpy"] = FROM_MPY
    # The firmware's modules this run holds: whose native code a board's heap holds
    # (a module loaded for a job and released holds none; nor one never loaded).
    out["M8_modules"] = sorted(m for m in sys.modules if m.startswith("firmware."))
    _ticks(a, 100, 0)  # hand lifted
    out["state_pause"] = a.ses.state
    out["M6_pause_bytes"] = _alloc(a, 0)
    out["M8_hal_bytes"], out["M8_fake_hal_bytes"] = _hal_bytes(board)
    out["M8_heap_running_bytes"] = running - out["M8_fake_hal_bytes"] + out["M8_hal_bytes"]
    print(json.dumps(out))


main()

# The display's slices (firmware/display.py) against M7's reference tick, in
# the MicroPython unix port: make bench's way to an RP2040 estimate (a cost in
# reference ticks x k, docs/testing.md), applied to the display (docs/display.md).
#   micropython -X heapsize=192K tools/sim/bench_display.py DRIVER_DIR
# DRIVER_DIR: the folder of ssd1306.py (tools/display_driver.py source()).
# Prints one JSON line: each of the 16 slices' cost in reference ticks (the
# median of ROUNDS rounds, less an empty call's), every figure at its widest
# and the longest words; the bus is a null one (the SPI transfer is the chip's).
import gc
import json
import os
import sys
import time
from array import array

sys.path.insert(0, os.getcwd())
sys.path.append(sys.argv[1])
from tools.sim import benchmachine as bm  # noqa: E402
from tools.sim import oled  # noqa: E402

ROUNDS = 7
CALLS = 200


def _per_call(f, n):
    tu = time.ticks_us
    t0 = tu()
    for _ in range(n):
        f()
    return time.ticks_diff(tu(), t0) / n


def _per_tick(tick, n):
    tu = time.ticks_us
    t0 = tu()
    for _ in range(n):
        tick(0)
    return time.ticks_diff(tu(), t0) / n


def _nop():
    pass


class _Ses:
    duration_ms = 2700000
    on_ms = 1000
    reversed = True


def main():
    from firmware import names, states
    from firmware.display import Display

    status = array("i", [0] * len(names.STATUS))
    widest = {"state": states.WAIT_CONTACT, "i_ua": 24999, "set_ua": 25000,
              "load_ohm": 123456, "reached_pct": 100, "limited": 1, "fault": 1}
    for k in widest:
        status[names.STATUS.index(k)] = widest[k]
    drv, _ = oled.make_oled(oled.NullSPI())
    d = Display(drv, status, _Ses())
    ref = bm.RefTick(bm.ADC(bm.Pin(26)), bm.ADC(bm.Pin(27)), bm.PWM(bm.Pin(16)), bm.WDT())
    step = d.step
    slices = [[] for _ in range(16)]
    refs = []
    for _ in range(ROUNDS):
        gc.collect()
        r = _per_tick(ref.tick, CALLS * 4) - _per_call(_nop, CALLS)
        refs.append(r)
        empty = _per_call(_nop, CALLS)
        for n in range(16):
            # the same slice again and again: _n back to n before each call
            t = time.ticks_us()
            for _ in range(CALLS):
                d._n = n
                step()
            slices[n].append((time.ticks_diff(time.ticks_us(), t) / CALLS - empty) / r)
    out = {"ref_us": sorted(refs)[ROUNDS // 2],
           "slices_ref_ticks": [sorted(s)[ROUNDS // 2] for s in slices]}
    print(json.dumps(out))


main()

# The whole firmware on the simulated board (CPython and unix port): SR-1, an
# exception anywhere in the app leaves the output off.
# One file per group: each device test file gets its own unix-port interpreter
# and heap, which here holds the simulator's model too.
import gc

from support import treating_board

from tools.sim import faults


def _boom(*args):
    raise RuntimeError("injected")


def _inject(b, module, cls, meth, at_s):
    # faults.replace: the app holds its every-tick calls bound (App.bind).
    path = module + ":" + (cls + "." + meth if cls else meth)
    b.at(at_s, lambda b: faults.replace(path, _boom))


def test_an_exception_anywhere_in_the_app_leaves_the_output_off():
    # SR-1: main.py's finally switches every output off first.
    places = (("firmware.regulator", "Regulator", "step"),
              ("firmware.supervisor", "Supervisor", "check"),
              ("firmware.session", "Session", "step"),
              ("firmware.ui", None, "led_level"),
              ("firmware.hal", "Hal", "sense"),
              ("firmware.app", "App", "tick"))
    seed = 10
    for module, cls, meth in places:
        b, seen = treating_board(seed, 36)
        seed += 1
        _inject(b, module, cls, meth, 36.2)
        after = b.snapshot_at(36.4)
        b.run(36.5)
        assert seen["state"] == 3 and seen["true_i_ua"] > 14000, (module, seen)
        assert len(b.crashes) == 1, (module, b.crashes)
        assert after["gate"] == 0.0 and after["true_i_ua"] == 0, (module, after)
        assert b.hw.level[b.board["pin_enable"]] == 0, module
        b = seen = after = None  # the next board needs the unix port's heap
        gc.collect()



# A tiny test runner for the device tests, for the MicroPython unix port (and
# CPython): plain `def test_...():` functions with bare asserts.
#   micropython -X heapsize=192K tools/sim/mptest.py host_tests/device [name-part]
#   micropython -X heapsize=192K tools/sim/mptest.py host_tests/device/test_x.py
#   micropython -X heapsize=192K tools/sim/mptest.py host_tests/device/test_x.py test_x.py::test_y
# Ends with the line "N passed, N failed, N skipped"; exits 1 on any failure,
# any module that fails to import, or when no test ran.
import gc
import os
import sys


class SkipTest(Exception):
    pass


def _root():
    here = sys.argv[0] if sys.argv and sys.argv[0] else "tools/sim/mptest.py"
    parts = here.replace("\\", "/").split("/")
    root = "/".join(parts[:-3])
    return root if root else "."


def _print_exc(e):
    if sys.implementation.name == "micropython":
        sys.print_exception(e)
    else:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__)


def main(argv):
    if len(argv) < 2:
        print("usage: mptest.py TEST_DIR [name-part]")
        return 2
    root = _root()
    os.chdir(root)
    folder = argv[1]
    pick = argv[2] if len(argv) > 2 else ""
    only = None
    if folder.endswith(".py"):  # one file: its own interpreter, its own heap
        only = folder.split("/")[-1]
        folder = folder[: -len(only) - 1] or "."
    sys.path.insert(0, folder)
    sys.path.insert(0, ".")
    ahead = os.getenv("IONTO_TEST_MPY") if hasattr(os, "getenv") else None
    if ahead:  # helpers compiled ahead (tools/run_device_tests.py), before their sources
        sys.path.insert(0, ahead)
    if sys.implementation.name != "micropython":
        import tools.sim.mpshim  # noqa: F401  (CPython: provides `micropython`)
    passed = failed = skipped = 0
    for name in sorted(os.listdir(folder)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        if only is not None and name != only:
            continue
        modname = name[:-3]
        try:
            mod = __import__(modname)
        except Exception as e:  # noqa: BLE001 - an import error is a failure
            failed += 1
            print("FAIL", name, "(import)", repr(e))
            _print_exc(e)
            continue
        for fn in sorted(dir(mod)):
            label = name + "::" + fn
            # "file.py::test_x" picks that test alone; any other pick, what contains it.
            if not fn.startswith("test_") or (pick and (
                    pick != label if "::" in pick else pick not in label)):
                continue
            f = getattr(mod, fn)
            if not callable(f):
                continue
            try:
                f()
                passed += 1
                print("ok  ", name + "::" + fn)
            except Exception as e:  # noqa: BLE001 - report every failure, go on
                if type(e).__name__ == "SkipTest":  # ours, or unittest's under CPython
                    skipped += 1
                    print("SKIP", name + "::" + fn, e)
                    continue
                failed += 1
                print("FAIL", name + "::" + fn, repr(e))
                _print_exc(e)
            gc.collect()
    print(str(passed) + " passed, " + str(failed) + " failed, " + str(skipped) + " skipped")
    if failed or passed == 0:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

# A tiny test runner for the device tests, for the MicroPython unix port (and
# CPython): plain `def test_...():` functions with bare asserts.
#   micropython -X heapsize=192K tools/sim/mptest.py host_tests/device [name-part]
#   micropython -X heapsize=192K tools/sim/mptest.py host_tests/device/test_x.py
#   micropython -X heapsize=192K tools/sim/mptest.py host_tests/device/test_x.py test_x.py::test_y
#   micropython -X heapsize=192K tools/sim/mptest.py host_tests/device/test_x.py --list
# Ends with the line "N passed, N failed, N skipped"; exits 1 on any failure,
# any module that fails to import, or when no test ran. --list prints the
# tests' labels (file::test, file::test[param]) and runs none.
# A module's PARAMETRISE = {"test_y": (p, ...)} runs test_y(p) once per p, as
# host_tests/conftest.py has pytest do: labels test_x.py::test_y[p].
import gc
import os
import sys


class SkipTest(Exception):
    pass


_NONE = object()  # a test without parameters


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
        table = getattr(mod, "PARAMETRISE", {})
        for fn in sorted(dir(mod)):
            f = getattr(mod, fn)
            if not fn.startswith("test_") or not callable(f):
                continue
            params = table.get(fn)
            for p in (params if params is not None else (_NONE,)):
                label = name + "::" + fn + ("" if p is _NONE else "[" + str(p) + "]")
                # "file.py::test_x" picks that test alone (all its parameters),
                # "file.py::test_x[p]" one parameter; any other pick, what contains it.
                if pick == "--list":
                    print(label)
                    continue
                if pick and (pick not in (label, name + "::" + fn) if "::" in pick
                             else pick not in label):
                    continue
                try:
                    if p is _NONE:
                        f()
                    else:
                        f(p)
                    passed += 1
                    print("ok  ", label)
                except Exception as e:  # noqa: BLE001 - report every failure, go on
                    if type(e).__name__ == "SkipTest":  # ours, or unittest's under CPython
                        skipped += 1
                        print("SKIP", label, e)
                        continue
                    failed += 1
                    print("FAIL", label, repr(e))
                    _print_exc(e)
                gc.collect()
    if pick == "--list":
        return 1 if failed else 0
    print(str(passed) + " passed, " + str(failed) + " failed, " + str(skipped) + " skipped")
    if failed or passed == 0:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

# CPython only: a `micropython` module for the device code (const and the
# decorators are identities). In MicroPython the real module is built in and
# this file changes nothing.
import sys

if sys.implementation.name != "micropython" and "micropython" not in sys.modules:
    import types

    _m = types.ModuleType("micropython")
    _m.const = lambda x: x
    _m.native = lambda f: f
    _m.viper = lambda f: f
    _m.schedule = lambda f, arg: f(arg)
    _m.kbd_intr = lambda c: None
    _m.alloc_emergency_exception_buf = lambda n: None
    _m.opt_level = lambda *a: 0
    _m.mem_info = lambda *a: None
    _m.heap_lock = lambda: 0
    _m.heap_unlock = lambda: 0
    sys.modules["micropython"] = _m
    # Viper's typed pointer over an array: plain indexing does the same here
    # (the firmware's viper code keeps every value inside a machine word).
    import builtins

    builtins.ptr32 = lambda a: a
    # ptr8 over a str (viper reads its bytes): the bytes here
    builtins.ptr8 = lambda a: a.encode() if isinstance(a, str) else a

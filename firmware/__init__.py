# The firmware package, and its one way to run code that is needed only at
# startup or with the output off (files, validation, the journal): job().
import sys


def job(module, fn, *args):
    # Returns firmware.<module>.<fn>(*args). Afterwards every firmware module
    # the call loaded is dropped again, with the attribute its import set on
    # its package, so its RAM goes back to the heap for the control loop (M8),
    # and the garbage is collected at once, with the output off: the ticks
    # after it find the heap whole (platform.md). What the call loaded is what
    # goes: no list is kept by hand. A module loaded before the call stays
    # (the control loop's own: main.py imports them before the startup job);
    # a later job loads the dropped ones again.
    mods = sys.modules
    before = tuple(mods)
    try:
        return getattr(__import__("firmware." + module, None, None, (fn,)), fn)(*args)
    finally:
        for name in tuple(mods):
            if name not in before and name.startswith("firmware."):
                del mods[name]
                i = name.rfind(".")
                package = mods.get(name[:i])
                name = name[i + 1:]
                if package is not None and hasattr(package, name):
                    delattr(package, name)
        import gc

        gc.collect()

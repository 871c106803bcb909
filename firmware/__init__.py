# The firmware package.
import sys


def release(name):
    # Drop the startup-only module firmware.<name> (files, validation) so its
    # RAM returns to the heap for the control loop (M8); a later import loads
    # it again. The package attribute the import set goes too.
    sys.modules.pop("firmware." + name, None)
    globals().pop(name, None)

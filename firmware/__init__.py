# The firmware package.
import sys

VERSION = "0.1.0"  # the firmware's version: console status, package.json


def release(name):
    # Drop the startup-only module firmware.<name> (files, validation) so its
    # RAM returns to the heap for the control loop (M8); a later import loads
    # it again. The package attribute the import set goes too.
    sys.modules.pop("firmware." + name, None)
    globals().pop(name, None)

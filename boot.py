# boot.py: the first statements make every output safe (SR-1), before
# anything that could fail. Nothing else heavy happens here.
import machine  # built in: cannot fail

try:
    # The board description is plain data (pins), the smallest import that can
    # tell which pins to drive low. Should even that fail, the pull-downs of the
    # reference circuit hold the output off (hardware.md) and main.py, which
    # needs the same description, does not start the app.
    from firmware.boards import drive_outputs_low, load

    drive_outputs_low(machine, load())
except Exception as e:  # noqa: BLE001 - report, never stop the boot
    print("boot: outputs left to their pull-downs:", e)

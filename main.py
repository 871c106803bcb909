# main.py: safe mode when the button is held at power-up (SR-20: no app,
# REPL only); otherwise the app, inside try/finally whose first act is to
# switch every output off (SR-1): for a crash, Ctrl-C from a host tool or
# any uncaught exception.
import time

import machine

from firmware.boards import drive_outputs_low, load

board = load()


def button_held_at_power_up():
    # Held: read pressed (low) in every sample over 100 ms.
    pin = machine.Pin(board["pin_button"], machine.Pin.IN, machine.Pin.PULL_UP)
    for _ in range(10):
        if pin.value() != 0:
            return False
        time.sleep_ms(10)
    return True


try:
    if button_held_at_power_up():
        print("ionto: safe mode (button held at power-up): app not started, REPL only")
        from firmware import safe_mode

        safe_signal = safe_mode.signal(machine, board)  # kept: the LED blinks from a timer
    else:
        import firmware
        from firmware import startup

        app = startup.board_app(board)
        del startup  # the last reference: release() lets its RAM go (M8)
        firmware.release("startup")
        print("ionto: ready on", board["name"])
        app.run()
finally:
    drive_outputs_low(machine, board)

# main.py: safe mode when the button is held at power-up (SR-20: no app,
# REPL only) or once after a console bench run; otherwise the app, inside
# try/finally whose first act is to switch every output off (SR-1): for a
# crash, Ctrl-C from a host tool or any uncaught exception.
import time

import machine

import firmware
from firmware.boards import drive_outputs_low, load

board = load()
if board["rtc"] is not None:
    # The optional DS3231 module keeps UTC through power cuts and resets,
    # which the board's own clock does not (issue 17): the clock from it, for
    # the journal's start and SR-22's schedule, in the app and at the REPL.
    firmware.job("clock", "clock_from_module", machine, board)


def button_held_at_power_up():
    # Held: read pressed (low) in every sample over 100 ms.
    pin = machine.Pin(board["pin_button"], machine.Pin.IN, machine.Pin.PULL_UP)
    for _ in range(10):
        if pin.value() != 0:
            return False
        time.sleep_ms(10)
    return True


def console_asked():
    # The console's planned reset (SR-4: planned resets are marked): a bench
    # run starts the watchdog, which cannot be stopped (SR-3), so the board
    # resets after it; the flag file firmware/console.py wrote brings this one
    # boot back to the REPL. Removed first: honoured once.
    import os

    try:
        os.remove("console.once")
    except OSError:
        return False
    return True


try:
    # SR-4: a watchdog reset is an unplanned restart, unless it was marked
    # planned (firmware/startup.py after_reset): for the app and safe mode alike.
    after_watchdog = machine.reset_cause() == machine.WDT_RESET
    if console_asked():  # first, so that a held button does not leave the flag behind
        # The host tools' console boot: the heap is theirs (no LED signal).
        print("ionto: safe mode (console.once, after a bench run): app not started, REPL only")
    elif button_held_at_power_up():
        print("ionto: safe mode (button held at power-up): app not started, REPL only")
        from firmware import safe_mode

        # SR-4 through safe mode (a hang with the button held through the
        # watchdog's reset): the restart journaled here and shown as code 7.
        fault = firmware.job("safe_mode", "restart", after_watchdog)
        # Kept: the LED blinks from a timer.
        safe_signal = safe_mode.signal(machine, board, fault)
    else:
        del console_asked, button_held_at_power_up  # startup only: their RAM to the heap
        # The loop's own modules first: the startup job then drops only what
        # it loaded beyond them (the files, validation, the journal: M8), and
        # collects its garbage before the loop (on the RP2040 a tick on the
        # fragmented heap ran 1974 us, on a collected one 1342: platform.md).
        import firmware.app
        import firmware.hal

        # SR-4 in the startup job (startup.py); the hal is given machine.
        app = firmware.job("startup", "board_app", machine, board, after_watchdog)
        print("ionto: ready on", board["name"])
        app.run()
finally:
    drive_outputs_low(machine, board)

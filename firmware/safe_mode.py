# Safe mode (SR-20: the button held at power-up): main.py starts no app and
# leaves the REPL free. This shows it: the LED blinks very fast and the
# buzzer ticks five times (firmware/ui.py, state safe_mode), from a periodic
# soft timer, so the REPL is not blocked. Every output but these stays low.
# After an unplanned restart (SR-4: a loop that hung while the button was
# held, and held on through the watchdog's reset) it shows fault 7 instead,
# as the app does for a latched RESET, and journals it here (restart).
from firmware import faults, states, ui

_STEP_MS = 50


def restart(after_watchdog):
    # SR-4 without the app: the journaling of startup.after_reset (the same
    # function the app's boot calls: the record, the marker removed, so the
    # app's next boot does not write it again; the console message). Returns
    # the fault to show: RESET after an unplanned restart, else NONE. main.py
    # runs it as a job (firmware.job): the startup-only modules it loads go
    # after (M8: the REPL's heap).
    from firmware import journal, startup

    rec = startup.after_reset(journal, journal.last(), after_watchdog, None, "",
                              " (SR-4): journaled; the LED shows code 7 until the"
                              " next power-up")
    return faults.NONE if rec is None else faults.RESET


def signal(machine, board, fault=faults.NONE):
    # Returns the timer: the caller keeps it (a collected timer stops).
    # fault: RESET after an unplanned restart (restart above): its blink code
    # (firmware/ui.py, the same as the app's) instead of the safe-mode blink.
    state = states.SAFE_MODE if fault == faults.NONE else states.FAULT
    led = machine.Pin(board["pin_led"], machine.Pin.OUT, value=0)
    b = board["pin_buzzer"]
    buzzer = machine.Pin(b, machine.Pin.OUT, value=0) if b is not None else None
    steps = [0]

    def show(_timer):
        ms = steps[0] * _STEP_MS
        steps[0] += 1
        led.value(1 if ui.led_level(state, fault, ms) else 0)
        if buzzer is not None:
            buzzer.value(1 if ui.buzzer_level(state, fault, ms) else 0)

    # platform.md: rp2 has only the software timer -1; esp32 timers are 0-3.
    timer_id = -1 if board["port"] == "rp2" else 0
    return machine.Timer(timer_id, mode=machine.Timer.PERIODIC, period=_STEP_MS, callback=show)

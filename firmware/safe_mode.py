# Safe mode (SR-20: the button held at power-up): main.py starts no app and
# leaves the REPL free. This shows it: the LED blinks very fast and the
# buzzer ticks five times (firmware/ui.py, state safe_mode), from a periodic
# soft timer, so the REPL is not blocked. Every output but these stays low.
from firmware import faults, states, ui

_STEP_MS = 50


def signal(machine, board):
    # Returns the timer: the caller keeps it (a collected timer stops).
    led = machine.Pin(board["pin_led"], machine.Pin.OUT, value=0)
    b = board["pin_buzzer"]
    buzzer = machine.Pin(b, machine.Pin.OUT, value=0) if b is not None else None
    steps = [0]

    def show(_timer):
        ms = steps[0] * _STEP_MS
        steps[0] += 1
        led.value(1 if ui.led_level(states.SAFE_MODE, faults.NONE, ms) else 0)
        if buzzer is not None:
            buzzer.value(1 if ui.buzzer_level(states.SAFE_MODE, faults.NONE, ms) else 0)

    # platform.md: rp2 has only the software timer -1; esp32 timers are 0-3.
    timer_id = -1 if board["port"] == "rp2" else 0
    return machine.Timer(timer_id, mode=machine.Timer.PERIODIC, period=_STEP_MS, callback=show)

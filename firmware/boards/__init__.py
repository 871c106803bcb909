# Which board description this device uses, and a check that it is complete.
# The choice: a file `board.txt` at the flash root naming a module in this
# folder (one line, e.g. "pico"), else the port's default below.
import sys

BY_PORT = {"rp2": "pico", "esp32": "esp32_devkitc"}

# Every field the firmware and the simulator rely on (documented in pico.py).
REQUIRED = (
    "name", "port", "pin_set", "pin_enable", "pin_relay", "pin_trip_reset",
    "pin_led", "pin_buzzer", "pin_trip", "pin_button", "pin_usb_sense",
    "pin_adc_current", "pin_adc_voltage", "pin_adc_rail", "pin_adc_battery",
    "adc_kind", "adc_ref_mv", "adc_linear_min_mv", "adc_linear_max_mv",
    "current_bias_mv", "voltage_bias_mv",
    "current_sense_ohm", "current_div_ppm", "voltage_div_ppm", "rail_div_ppm",
    "battery_div_ppm", "set_pwm_hz", "set_pwm_high_mv", "set_gain_ppm", "set_filter_ms",
    "pulse_pwm_hz", "rail_mv", "sink_headroom_mv", "hw_cap_ua",
    "battery_min_mv", "tick_us", "wdt_timeout_ms", "usb_treatment",
)

# Pins the firmware drives; boot.py drives each of them low first (SR-1).
OUTPUT_PINS = ("pin_enable", "pin_set", "pin_relay", "pin_trip_reset", "pin_buzzer", "pin_led")


def drive_outputs_low(machine, board):
    # SR-1: every output the firmware drives, as a plain output driven low. On rp2
    # this also takes a pin back from a PWM slice, which deinit() would leave at
    # its last level (platform.md, micropython issue #9007).
    Pin = machine.Pin
    for key in OUTPUT_PINS:
        if board[key] is not None:
            Pin(board[key], Pin.OUT, value=0)


def chosen_name():
    try:
        with open("board.txt") as f:
            name = f.read().strip()
    except OSError:
        name = BY_PORT.get(sys.platform, "")
    if not name:
        raise ValueError("no board description for port " + sys.platform + ": write board.txt")
    return name


def load(name=None):
    if name is None:
        name = chosen_name()
    for ch in name:  # a module name, nothing that could reach outside this folder
        if not (ch.isalpha() or ch.isdigit() or ch == "_"):
            raise ValueError("bad board name " + repr(name))
    mod = __import__("firmware.boards." + name, None, None, ("BOARD",))
    board = mod.BOARD
    check(board)
    return board


def check(board):
    for key in REQUIRED:
        if key not in board:
            raise ValueError("board description lacks " + key)
    # SR-3: the watchdog timeout is at most 1000 ms (shared/design/safety.md).
    if not 0 < board["wdt_timeout_ms"] <= 1000:
        raise ValueError("wdt_timeout_ms must be 1..1000")
    if board["adc_kind"] not in ("u16", "uv"):
        raise ValueError("adc_kind must be u16 or uv")
    if board["pin_set"] == board["pin_enable"]:
        raise ValueError("set and enable must be different pins")
    if board["port"] == "rp2" and board["pin_set"] >> 1 == board["pin_enable"] >> 1:
        # GP2k and GP2k+1 share a PWM slice and its frequency (platform.md).
        raise ValueError("set and enable share an rp2 PWM slice")
    return board

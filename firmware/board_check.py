# Is a board description complete and consistent? Run once by
# firmware.boards.load() at startup, as a job (firmware.job): dropped after.
# Every field the firmware and the simulator rely on (documented in pico.py).
REQUIRED = (
    "name", "port", "pin_set", "pin_enable", "pin_relay", "pin_trip_reset",
    "pin_led", "pin_buzzer", "pin_trip", "pin_button", "pin_up", "pin_down", "pin_usb_sense",
    "pin_adc_current", "pin_adc_voltage", "pin_adc_rail", "pin_adc_battery",
    "adc_kind", "adc_ref_mv", "adc_linear_min_mv", "adc_linear_max_mv",
    "current_bias_mv", "voltage_bias_mv",
    "current_sense_ohm", "current_div_ppm", "voltage_div_ppm", "rail_div_ppm",
    "battery_div_ppm", "set_pwm_hz", "set_pwm_high_mv", "set_gain_ppm", "set_filter_ms",
    "pulse_pwm_hz", "rail_mv", "limit_ohm", "sink_headroom_mv", "hw_cap_ua",
    "battery_min_mv", "cpu", "tick_us", "wdt_timeout_ms", "usb_treatment", "radio_pins", "rtc",
)

def check(board):
    for key in REQUIRED:
        if key not in board:
            raise ValueError("board description lacks " + key)
    # SR-3: the watchdog timeout is at most 1000 ms (shared/design/safety.md).
    if not 0 < board["wdt_timeout_ms"] <= 1000:
        raise ValueError("wdt_timeout_ms must be 1..1000")
    # The clock (pico.py): rated figures only. The RP2040: 200 MHz at most and
    # above 133 MHz only with its core at 1.15 V; the ESP32: its three clocks.
    cpu = board["cpu"]
    if cpu is not None:
        if board["port"] == "rp2":
            ok = cpu[0] <= 133000000 and cpu[1] is None or cpu[0] <= 200000000 and cpu[1] == 1150
        else:
            ok = cpu[0] in (80000000, 160000000, 240000000) and cpu[1] is None
        if not ok:
            raise ValueError("cpu must be None or a rated (Hz, core mV): pico.py")
    if board["adc_kind"] not in ("u16", "uv"):
        raise ValueError("adc_kind must be u16 or uv")
    # A pin the board's radio chip owns (the Pico W's GP23-25 and GP29) is
    # never the firmware's: a write there would cut the radio's bus, over
    # which the W reads its USB sense (picow.py).
    radio = board["radio_pins"]
    for key in board:
        if key.startswith("pin_") and board[key] is not None and board[key] in radio:
            raise ValueError(key + " is on a pin the radio owns")
    rtc = board["rtc"]
    if rtc is not None:
        # The optional DS3231 (pico_rtc.py): its I2C bus and two pins of its own.
        if not (isinstance(rtc, tuple) and len(rtc) == 3
                and all(type(v) is int for v in rtc)):
            raise ValueError("rtc must be None or (I2C bus, SDA GPIO, SCL GPIO)")
        used = [board[p] for p in board if p.startswith("pin_")]
        if rtc[1] == rtc[2] or rtc[1] in radio + tuple(used) or rtc[2] in radio + tuple(used):
            raise ValueError("rtc: SDA and SCL must be two pins of their own")
    # SR-16: a board without a battery channel says so with battery_min_mv 0;
    # one with a channel has a real cut-off (0 would switch the check off).
    if (board["pin_adc_battery"] is None) != (board["battery_min_mv"] == 0):
        raise ValueError("battery_min_mv must be 0 exactly when pin_adc_battery is None")
    s = board["pin_set"]
    e = board["pin_enable"]
    if not (isinstance(s, int) and isinstance(e, int)) or s == e:
        raise ValueError("set and enable must be two different GPIO numbers (PWM)")
    if board["port"] == "rp2" and board["pin_set"] >> 1 == board["pin_enable"] >> 1:
        # GP2k and GP2k+1 share a PWM slice and its frequency (platform.md).
        raise ValueError("set and enable share an rp2 PWM slice")
    return board

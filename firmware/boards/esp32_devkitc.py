# Board description: ESP32 DevKitC on the reference circuit of
# shared/design/hardware.md. Same fields and units as pico.py; see there.
BOARD = {
    "name": "esp32_devkitc",
    "port": "esp32",
    "pin_set": 25,
    "pin_enable": 26,  # own LEDC timer, so pulsed mode cannot move the set PWM
    "pin_relay": 27,
    "pin_trip_reset": 12,  # strapping pin: must be low at reset (it is: pull-down)
    "pin_led": 2,
    "pin_buzzer": 15,
    "pin_trip": 14,
    "pin_button": 13,
    "pin_up": 32,  # optional up and down buttons to GND (internal pull-ups), pico.py
    "pin_down": 33,
    # SR-17: VBUS of the device's USB socket (a panel breakout cabled on to the
    # DevKitC's port) through 2.2 k / 3.3 k: 5.0 V -> 3.0 V, high above 4.2 V
    # (0.75 x 3.3 V, ESP32 datasheet) (docs/wiring.md, the power path).
    "pin_usb_sense": 4,
    # ADC block 1 only (block 2 is unusable with the radio, platform.md)
    "pin_adc_current": 34,
    "pin_adc_voltage": 35,
    "pin_adc_rail": 36,
    "pin_adc_battery": 39,
    "radio_pins": (),  # the radio is inside the chip and stays off
    "rtc": None,  # an optional DS3231 module (pico.py): e.g. (0, 21, 22), I2C0 on GPIO21/22
    "adc_kind": "uv",  # read_uv(): factory calibrated, 11 dB attenuation
    "adc_ref_mv": 3300,
    "adc_linear_min_mv": 150,  # read_uv is linear only in about 150-2450 mV
    "adc_linear_max_mv": 2450,
    # read_uv floors near 75 mV below its linear range: a divider from 3.3 V
    # lifts zero current and zero volts to 250 mV at the pin (linear), and the
    # hal subtracts it. Without it an idle output reads ~1 mA (a false leak).
    "current_bias_mv": 250,
    "voltage_bias_mv": 250,
    "current_sense_ohm": 82,  # as pico.py (docs/circuit.md)
    # 35 mA (the trip) -> 2.87 V -> 2.01 V + 0.25 V bias = 2.26 V: still linear.
    "current_div_ppm": 700000,
    "voltage_div_ppm": 35000,  # 58 V -> 2.03 V + 0.25 V bias
    "rail_div_ppm": 40000,
    # 3-cell pack 12.6 V -> 2.10 V: a full pack reads inside the linear range,
    # so a reading at its end is a sensor fault (SR-12: pinned high)
    "battery_div_ppm": 166667,
    "set_pwm_hz": 20000,  # LEDC: about 11 bits at 20 kHz (platform.md)
    "set_pwm_high_mv": 3300,
    "set_gain_ppm": 1000000,
    "set_filter_ms": 2,
    "pulse_pwm_hz": 1000,
    "rail_mv": 58000,
    "limit_ohm": 227,  # R_limit + the PTC (design.py R1, F2): no headroom for the sink
    "sink_headroom_mv": 2000,
    "hw_cap_ua": 35000,
    "battery_min_mv": 6000,  # 2 Li-ion cells at 3.0 V each
    # The ESP32's rated top clock (ESP32 datasheet: CPU "up to 240 MHz";
    # MicroPython's esp32 quick reference sets it with machine.freq); the
    # port's default is 160 MHz. No core voltage to set (pico.py).
    "cpu": (240000000, None),
    "tick_us": 1000,
    "wdt_timeout_ms": 1000,
    "usb_treatment": False,
}

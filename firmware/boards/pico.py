# Board description: Raspberry Pi Pico (RP2040) on the reference circuit of
# shared/design/hardware.md. Plain data: the firmware (hal) and the host
# simulator both read it. A builder who changes a part changes this file.
# Units are in the names: _ohm, _mv, _ua, _hz, _ms, _us, _ppm (parts per million).
BOARD = {
    "name": "pico",
    "port": "rp2",  # sys.platform of the MicroPython port this board runs
    # --- outputs (every one has a pull-down on the board: off at reset) ---
    "pin_set": 16,  # PWM into the RC filter that sets the sink current (slice 0A)
    "pin_enable": 18,  # output switch / pulse gate, PWM-capable, own slice (1A)
    "pin_relay": 19,  # polarity relay coil driver; low = normal polarity
    "pin_trip_reset": 21,  # pulse high to clear the hardware trip latch
    "pin_led": 25,  # status LED, active high (on-board LED on the Pico)
    "pin_buzzer": 15,  # piezo buzzer driver, active high; None when not fitted
    # --- inputs ---
    "pin_trip": 20,  # hardware trip latch output, active low (0 = tripped)
    "pin_button": 14,  # push button to GND, internal pull-up (0 = pressed)
    # Optional up and down buttons (issue 17): push buttons to GND, internal
    # pull-ups; each press moves the set point 1 mA during a session (docs/
    # using.md). None when not fitted (an unfitted pin with its pull-up reads
    # released: harmless, but None saves the reading).
    "pin_up": 12,
    "pin_down": 13,
    "pin_usb_sense": 24,  # VBUS present (1 = USB power); None when not wired; a
    # name for a pin on the radio chip ("WL_GPIO2" on the Pico W)
    # --- ADC channels (GPIO numbers) ---
    "pin_adc_current": 26,  # ADC0: voltage across the sense resistor
    "pin_adc_voltage": 27,  # ADC1: electrode voltage via divider
    "pin_adc_rail": 28,  # ADC2: boost rail via divider
    "pin_adc_battery": 29,  # ADC3: VSYS/3 on the Pico. The reference circuit feeds
    # VSYS from its one-cell pack through an ideal diode (docs/wiring.md, the power
    # path), so this reads the pack. None: no battery reading (picow.py), then
    # battery_min_mv must be 0
    "radio_pins": (),  # GPIOs a radio chip owns (Pico W: 23-25, 29): no pin field may use one
    # An optional DS3231 real-time clock module, which keeps UTC through power
    # cuts (docs/using.md, the clock): (I2C bus, SDA GPIO, SCL GPIO)
    # (pico_rtc.py), or None.
    "rtc": None,
    # --- ADC scaling ---
    "adc_kind": "u16",  # "u16": read_u16() (12 real bits, rp2); "uv": read_uv() (esp32)
    "adc_ref_mv": 3300,  # ADC full-scale voltage
    "adc_linear_min_mv": 0,  # readings outside [min, max] at the pin are not trusted
    "adc_linear_max_mv": 3300,
    "current_bias_mv": 0,  # added at the ADC pin at zero current (none on the Pico)
    "voltage_bias_mv": 0,
    "current_sense_ohm": 82,  # R_sense: I = V / R_sense (82: the trip's 35 mA is 2.87 V
    # at the ADC pin, inside its 3.3 V; 100 put 3.5 V there: docs/circuit.md)
    "current_div_ppm": 1000000,  # ADC pin voltage / sense voltage (1.0: direct)
    "voltage_div_ppm": 50000,  # ADC pin voltage / electrode voltage (1 M + 52.6 k: 1/20)
    "rail_div_ppm": 50000,  # ADC pin voltage / rail voltage (1/20)
    "battery_div_ppm": 333333,  # ADC pin voltage / battery voltage (VSYS/3)
    # --- set path: PWM -> 2-pole RC -> op-amp -> sink (I = V_set * gain / R_sense) ---
    "set_pwm_hz": 20000,  # 10000 duty steps on rp2 at 200 MHz (6250 at 125, platform.md)
    "set_pwm_high_mv": 3300,  # PWM high level (3.3 V logic): full-scale set voltage
    "set_gain_ppm": 1000000,  # sink control voltage / filtered PWM voltage
    "set_filter_ms": 2,  # each of the two RC poles (time constant)
    "pulse_pwm_hz": 1000,  # pulsed-DC gate frequency (1-10 kHz, hardware.md)
    # --- power stage ---
    "rail_mv": 58000,  # boost rail, never above 60 V (hardware.md)
    # R_limit and the PTC between the rail (where it is read) and the output
    # switch: 220 + 7.3 Ohm (tools/circuit/design.py R1, F2). Their drop is no
    # headroom for the sink: without it the firmware could not see compliance
    # (SR-14) on the board as drawn (docs/circuit.md).
    "limit_ohm": 227,
    "sink_headroom_mv": 2000,  # the sink needs this much across it to regulate
    "hw_cap_ua": 35000,  # comparator trip level of the hardware latch
    "battery_min_mv": 3000,  # SR-16: the one Li-ion cell at 3.0 V is at cut-off
    # --- loop and watchdog ---
    # The CPU clock, set before the first PWM (hal_setup.py): (Hz, core mV), or
    # None for the port's default. The RP2040 is rated for 200 MHz with its core
    # at 1.15 V (Raspberry Pi, pico-sdk 2.1.1 release notes, 2025-02-19: "PLL
    # configuration for 200MHz on RP2040"; hardware/clocks.h then raises the
    # core to VREG_VOLTAGE_1_15 for it), 133 MHz at the default 1.10 V (RP2040
    # datasheet). MicroPython's machine.freq() does not touch the core voltage,
    # so the core mV is set first (RP2040 VREG register; RP2040 only). At
    # 125 MHz the tick is over its 250 us mean (issue 13, docs/testing.md).
    "cpu": (200000000, 1150),
    "tick_us": 1000,  # control loop period: 1 kHz (measures.md)
    "wdt_timeout_ms": 1000,  # SR-3: at most 1000 ms (rp2 hardware max 8388 ms)
    # --- policy ---
    "usb_treatment": False,  # SR-17: refuse treatment while USB power is present
}

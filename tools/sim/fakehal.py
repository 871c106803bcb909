# The hal's interface over plain integers, for tests and the bench: readings
# are attributes the caller sets, nothing touches machine and no call
# allocates, so measurements see the firmware alone.
from firmware.boards import load


class FakeHal:
    # The hal's interface over plain integers: no machine, no allocation per
    # call, so the allocation test measures the firmware alone.
    def __init__(self, board=None):
        self.board = board or load("pico")
        self.i_ua = 0
        self.v_mv = 0
        self.rail_mv = 58000
        self.battery_mv = 8000
        self.button = False
        self.trip = False
        self.usb = False
        self.output_is_on = False
        self.duty = 0
        self.set_ua = 0
        self.wdt_running = False
        self.feeds = 0
        self.ons = 0
        self.relay_level = False
        self.relay_switches = 0
        self.trip_resets = 0
        self.led_level = False
        self.buzzer_level = False
        self.buzzer_onsets = 0  # times the buzzer started sounding
        self.code_i = 0  # raw codes follow the readings unless hold_codes is set
        self.code_v = 0
        self.code_hi = 4095
        self.hold_codes = False
        self.pulse_hz = 0
        self.pulse_duty_pct = 100
        self.now_us = 0x3FFFFFFF - 3000000  # the tests' clock (support.tick): wraps soon

    def read_current_ua(self):
        if not self.hold_codes:
            self.code_i = self.i_ua * 4096 // 33000  # the pico's current channel
        return self.i_ua

    def read_voltage_mv(self):
        if not self.hold_codes:
            self.code_v = self.v_mv * 4096 // 66000
        return self.v_mv

    def read_rail_mv(self):
        return self.rail_mv

    def read_battery_mv(self):
        return self.battery_mv

    def button_pressed(self):
        return self.button

    def trip_asserted(self):
        return self.trip

    def usb_present(self):
        return self.usb

    def set_current_ua(self, ua):
        self.set_ua = ua
        self.duty = ua * 2

    def output_on(self):
        if not self.wdt_running:
            raise RuntimeError("output_on before the watchdog runs")
        self.output_is_on = True
        self.ons += 1

    def output_off(self):
        self.output_is_on = False
        self.duty = 0
        self.set_ua = 0

    def set_pulsed(self, hz, duty_pct):
        self.pulse_hz = hz
        self.pulse_duty_pct = duty_pct if hz else 100

    def relay(self, reversed_polarity):
        if self.output_is_on:
            raise RuntimeError("relay switched with the output on")
        self.relay_level = reversed_polarity
        self.relay_switches += 1

    def led(self, on):
        self.led_level = on

    def buzzer(self, on):
        self.buzzer_level = on
        self.buzzer_onsets += 1 if on else 0

    def pulse_trip_reset(self):
        if self.output_is_on:
            raise RuntimeError("trip reset with the output on")
        self.trip_resets += 1
        self.trip = False

    def start_watchdog(self, timeout_ms):
        self.wdt_running = True

    def watchdog_running(self):
        return self.wdt_running

    def feed_watchdog(self):
        self.feeds += 1

    def bath(self, load_ohm):
        # An ideal bath after a tick: the current follows the command through
        # load_ohm (> 0), else nothing flows (no hand in the water) and an open
        # load with the switch on puts the electrodes at the rail. Allocates nothing.
        if load_ohm and self.output_is_on:
            self.i_ua = self.set_ua
            self.v_mv = self.set_ua * load_ohm // 1000
        else:
            self.i_ua = 0
            self.v_mv = self.rail_mv if self.output_is_on else 0

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
        # A charged pack, 130 % of the board's cut-off: the Pico's one cell at 3.9 V, the
        # ESP32's two at 7.8 V, as tools/sim/circuit.py pack() starts them
        # (host_tests/device/test_sim_pack.py); 0 on a board with no battery reading,
        # as its hal reads.
        self.battery_mv = self.board["battery_min_mv"] * 13 // 10
        self.button = False
        self.adjust = 0  # the up and down buttons: bit 0 up, bit 1 down (Hal.adjust_pressed)
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
        self.code_rail = 0
        self.code_bat = self.battery_mv * 4096 // 9900  # the pack's, as read_battery_mv
        self.code_hi = 4095
        self.wide_codes = True  # the pico's read_u16
        self.hold_codes = False
        # The boards' ADC noise (0.5-3 LSB, measures.md): a live channel's code
        # moves; here by 0-2 LSB (current, voltage) or 0-1 (rail, battery) (SR-12).
        self._noise = 0
        self._noise_rail = 0
        self._noise_bat = 0
        self.pulse_hz = 0
        self.pulse_duty_pct = 100
        # Compliance (SR-14): the most the rail can push through the bath's
        # load, uA; 0: no limit. Above it the sink runs out of headroom.
        self.max_ua = 0
        self.now_us = 0x3FFFFFFF - 3000000  # the tests' clock (support.tick): wraps soon

    def sense(self):
        # The current, returned; the voltage and the trip input are the
        # attributes the caller set (v_mv, trip), as the hal leaves its readings.
        if not self.hold_codes:
            # Noise of period 3: a reading that alternates by one code (the
            # regulator's trim, period 2) could cancel a period-2 noise and
            # look frozen (SR-12), which a live ADC never does.
            self._noise = self._noise + 1 if self._noise < 2 else 0
            # the pico's current channel; an ADC code is never below 0
            self.code_i = max(0, self.i_ua * 4096 // 33000 + self._noise)
            self.code_v = max(0, self.v_mv * 4096 // 66000 + self._noise)
        return self.i_ua

    def read_rail_mv(self):
        if not self.hold_codes:
            self._noise_rail ^= 1
            self.code_rail = max(0, self.rail_mv * 4096 // 66000 + self._noise_rail)
        return self.rail_mv

    def read_battery_mv(self):
        if not self.hold_codes:
            self._noise_bat ^= 1
            self.code_bat = max(0, self.battery_mv * 4096 // 9900 + self._noise_bat)
        return self.battery_mv

    def button_pressed(self):
        return self.button

    def adjust_pressed(self):
        return self.adjust

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
        # load with the switch on puts the electrodes at the rail. max_ua (> 0):
        # the most the rail pushes through the load, as if the load were
        # (rail - headroom) / max_ua - R_sense: the electrodes then take what
        # the rail leaves, and V / I stays the load's (SR-14; SR-23 sees no
        # rise). Allocates nothing.
        if load_ohm and self.output_is_on:
            b = self.board
            if self.max_ua > 0:
                load_ohm = ((self.rail_mv - b["sink_headroom_mv"]) * 1000 // self.max_ua
                            - b["current_sense_ohm"])
            i = self.set_ua
            most = (self.rail_mv - b["sink_headroom_mv"]) * 1000 // (
                load_ohm + b["current_sense_ohm"])
            if i > most:
                i = most
            self.i_ua = i
            self.v_mv = i * load_ohm // 1000
        else:
            self.i_ua = 0
            self.v_mv = self.rail_mv if self.output_is_on else 0

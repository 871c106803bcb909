# The hardware room: the one firmware class that works machine's pins, ADCs,
# PWMs and watchdog. It is given machine: only the entry points (boot.py,
# main.py, the REPL's console) import it, and the tests pass a fake one. It
# turns raw ADC readings into integer physical units (uA, mV) with the board
# description and the calibration, and drives the set PWM, the output switch,
# the relay, the LED, the buzzer and the watchdog.
#
# Fixed point, no allocation per call: every reading is a 12-bit "code"
# (read_u16() >> 4 on rp2, millivolts at the pin from read_uv() on esp32) and
#   value = ((code - offset) * mul) >> 12
# where mul is the value at code 4096, computed once here. code < 4096 and
# mul < 2**18 keep every product below 2**30, a small int on both ports.
from array import array

import micropython
from micropython import const

_SHIFT = const(12)
_DUTY_MAX = const(65535)
# The every-tick scales, in one array of words (_cal) that the viper methods
# read through ptr32 without an attribute lookup each. Offsets may be below
# zero and carry _BIAS: a word viper reads back must not be negative (on a
# 64-bit port its ptr32 loads zero-extend, supervisor.py).
_C_UV = const(0)  # 1: esp32's read_uv (codes are mV at the pin)
_C_OFF_I = const(1)  # + _BIAS
_C_MUL_I = const(2)
_C_OFF_V = const(3)  # + _BIAS
_C_MUL_V = const(4)
_C_SET_OFF_UA = const(5)  # + _BIAS
_C_SET_FULL_UA = const(6)
_C_DUTY_MUL = const(7)
_BIAS = const(1 << 20)


class Hal:
    def __init__(self, machine, board, cal):
        # The pins and scale factors come from firmware/hal_setup.py: the job
        # that builds the hal (startup, the console: firmware.job) drops it
        # after (M8).
        from firmware import hal_setup

        self.machine = machine  # the console's clock job reaches it here
        # The set pin, its PWM and the trip input are kept by their bound methods
        # alone: at most 37 fields keep the instance's table at 37 slots (M8).
        (self._enable, self._relay, self._trip_reset, self._led, self._buzzer,
         _, pwm, trip, self._button, self._usb, self._up,
         self._down) = hal_setup.pins(machine, board)
        # Bound methods taken once: taking them per call would allocate.
        self._enable_value = self._enable.value
        self._duty = pwm.duty_u16
        self._trip_value = trip.value
        uv = board["adc_kind"] == "uv"
        # Full scale of a code: a reading here is pinned (SR-12).
        self.code_hi = board["adc_linear_max_mv"] if uv else 4095
        # read_u16 (rp2) has widened codes at 512 + k x 1024 (platform.md): a
        # live reading may rest on one (SR-12's frozen check allows for it).
        self.wide_codes = not uv
        (self._read_i, self._read_v, self._read_rail, self._read_bat) = hal_setup.readers(
            machine, board, uv)
        (mul_i, mul_v, self._mul_rail, self._mul_bat, off_i, off_v,
         self._off_rail, self._off_bat, full_ua, duty_mul,
         set_off_ua) = hal_setup.scales(board, cal, _SHIFT, _DUTY_MAX)
        self._cal = array("i", (1 if uv else 0, off_i + _BIAS, mul_i, off_v + _BIAS, mul_v,
                                set_off_ua + _BIAS, full_ua, duty_mul))
        del hal_setup
        self._wdt = None
        self._gate = None  # PWM on the enable pin while pulsed and on
        self.pulse_hz = 0  # 0: DC; else pulsed DC at this gate frequency
        self.pulse_duty_pct = 100
        self.output_is_on = False
        # Last raw codes, for the plausibility checks (pinned, frozen: SR-12).
        self.v_mv = 0  # the last sense()
        self.trip = False
        self.code_i = 0
        self.code_v = 0
        self.code_rail = 0
        self.code_bat = 0
        self.duty = 0

    def _code(self, raw):
        if self._cal[_C_UV]:
            return raw // 1000  # uV -> mV at the pin
        return raw >> 4  # 12 real bits (platform.md)

    # ---- readings (integers, no allocation) ----
    @micropython.viper  # every tick: one call for the tick's three inputs
    def sense(self) -> int:
        # The current (uA, returned), the electrode voltage (self.v_mv) and the
        # trip input (self.trip: True while the hardware latch holds), each
        # read once; the codes kept for SR-12. One call, the conversions
        # inline: a call costs more than a conversion on the chip (platform.md:
        # 46 us a reading as two bytecode methods). Products below 2**30
        # (header), a machine word on every port.
        cal = ptr32(self._cal)
        uv = cal[_C_UV]
        c = int(self._read_i())
        c = c // 1000 if uv else c >> 4
        self.code_i = c
        i_ua = ((c + _BIAS - cal[_C_OFF_I]) * cal[_C_MUL_I]) >> _SHIFT
        c = int(self._read_v())
        c = c // 1000 if uv else c >> 4
        self.code_v = c
        self.v_mv = ((c + _BIAS - cal[_C_OFF_V]) * cal[_C_MUL_V]) >> _SHIFT
        self.trip = int(self._trip_value()) == 0  # active low
        return i_ua

    def read_rail_mv(self):
        c = self._code(self._read_rail())
        self.code_rail = c
        return ((c - self._off_rail) * self._mul_rail) >> _SHIFT

    def read_battery_mv(self):
        if self._read_bat is None:
            # No battery channel (picow.py): 0, under a battery_min_mv of 0
            # (board_check.py), so SR-16 never stops a session: a stated gap.
            return 0
        c = self._code(self._read_bat())
        self.code_bat = c
        return ((c - self._off_bat) * self._mul_bat) >> _SHIFT

    def button_pressed(self):
        return self._button.value() == 0

    def adjust_pressed(self):
        # The optional up and down buttons (to GND): bit 0 up, bit 1 down.
        up = self._up
        down = self._down
        return ((1 if up is not None and up.value() == 0 else 0)
                | (2 if down is not None and down.value() == 0 else 0))

    def trip_asserted(self):
        return self._trip_value() == 0  # active low

    def usb_present(self):
        return self._usb is not None and self._usb.value() == 1

    # ---- the set point ----
    @micropython.viper  # every tick (the supervisor's drive)
    def set_current_ua(self, ua: int):
        # ua < 2**20 (the regulator's command); ua x duty_mul < 2**31 once
        # clamped to full scale (full_ua x duty_mul is about 65535 << 12).
        cal = ptr32(self._cal)
        ua = ua + _BIAS - cal[_C_SET_OFF_UA]
        duty = 0
        if ua > 0:
            if ua > cal[_C_SET_FULL_UA]:
                ua = cal[_C_SET_FULL_UA]
            duty = (ua * cal[_C_DUTY_MUL]) >> _SHIFT
            if duty > _DUTY_MAX:
                duty = _DUTY_MAX
        self.duty = duty
        self._duty(duty)

    # ---- the output switch ----
    def set_pulsed(self, hz, duty_pct):
        # Pulsed DC: the output switch is gated by a hardware PWM (hardware.md:
        # 1-10 kHz, default 50 %); hz=0 means DC. Only with the output off.
        if self.output_is_on:
            raise RuntimeError("pulse mode changed with the output on")
        if hz and not (1000 <= hz <= 10000 and 10 <= duty_pct <= 90):
            raise ValueError("pulsed DC needs 1000-10000 Hz and 10-90 % duty")
        self.pulse_hz = hz
        self.pulse_duty_pct = duty_pct if hz else 100

    def output_on(self):
        # SR-2: the only function in the firmware that switches the output on.
        # Only the supervisor calls it (a test scans the source for callers).
        # SR-3: never before the watchdog runs.
        if self._wdt is None:
            raise RuntimeError("output_on before the watchdog runs")
        if self.pulse_hz:
            # Allocates a PWM object: once per switch-on, never per tick.
            self._gate = self.machine.PWM(self._enable, freq=self.pulse_hz,
                                          duty_u16=self.pulse_duty_pct * 65535 // 100)
        else:
            self._enable_value(1)
        self.output_is_on = True

    def output_off(self):
        # Safe from anywhere, any number of times: switch open, set point zero.
        gate = self._gate
        if gate is not None:
            # rp2: deinit() can leave the pin high (platform.md): duty 0, then
            # take the pin back as a plain output driven low.
            gate.duty_u16(0)
            self._gate = None
            self._enable.init(self.machine.Pin.OUT, value=0)
        self._enable_value(0)
        self.output_is_on = False
        self.duty = 0
        self._duty(0)

    def relay(self, reversed_polarity):
        # SR-11: the caller (session) switches it only with the output off.
        if self.output_is_on:
            raise RuntimeError("relay switched with the output on")
        self._relay.value(1 if reversed_polarity else 0)

    def led(self, on):
        self._led.value(1 if on else 0)

    def buzzer(self, on):
        if self._buzzer is not None:
            self._buzzer.value(1 if on else 0)

    def pulse_trip_reset(self):
        # SR-15: only with the output off.
        if self.output_is_on:
            raise RuntimeError("trip reset with the output on")
        self._trip_reset.value(1)
        self._trip_reset.value(0)

    # ---- watchdog ----
    def start_watchdog(self, timeout_ms):
        if self._wdt is None:
            self._wdt = self.machine.WDT(id=0, timeout=timeout_ms)
            # From now on the supervisor's feed is the WDT's own (C) method:
            # one call a tick less (a call costs about 20 us on the RP2040,
            # platform.md); taken once, so feeding allocates nothing.
            self.feed_watchdog = self._wdt.feed

    def watchdog_running(self):
        return self._wdt is not None

    def feed_watchdog(self):
        # SR-3: the supervisor alone calls this, once per completed tick.
        # Before the watchdog runs there is nothing to feed (start_watchdog
        # puts the WDT's feed in this method's place).
        pass

# The real hal (firmware/hal.py) with plain-integer readings, for the unit tests
# and the bench: the readings are attributes the caller sets, and the outputs
# land on a small fake machine (FakeMachine, below) whose pins count what the
# tests ask about. Every interlock (SR-2, SR-3, SR-11, SR-15: output_on before
# the watchdog, the relay, the pulse mode or the trip reset with the output on)
# is the hal's own, inherited: a test of them here tests the firmware's.
# Nothing touches the board's machine and no call of the tick allocates, so
# measurements see the firmware alone.
from firmware.boards import load
from firmware.hal import Hal


class _Pin:
    # One GPIO: its driven level and how often value() drove it high, and how
    # often at all (the relay's switches).
    def __init__(self):
        self.level = 0
        self.highs = 0
        self.writes = 0

    def init(self, mode=-1, pull=-1, value=None):
        if value is not None:
            self.level = value

    def value(self, v=None):
        if v is None:
            return self.level
        self.level = 1 if v else 0
        self.highs += self.level
        self.writes += 1
        return None


class _Pwm:
    def __init__(self):
        self.duty = 0

    def duty_u16(self, d=None):
        if d is None:
            return self.duty
        self.duty = d
        return None


class _Adc:
    # Taken by the hal, never read: FakeHal's readings are its attributes.
    def read_u16(self):
        return 0

    def read_uv(self):
        return 0

    def atten(self, a):
        pass


class _Wdt:
    def __init__(self):
        self.timeout_ms = None
        self.feeds = 0

    def feed(self):
        self.feeds += 1


class FakeMachine:
    # machine as firmware/hal.py and hal_setup.py use it. Its pins, PWMs and
    # watchdog are made here, once, as the rp2 port's are static objects: a
    # measurement that makes this before it starts (tools/sim/bench_device.py)
    # counts none of them (an ADC is made per call, as there).
    def __init__(self, board):
        self.board = board
        self.pins = {}
        self.pwms = {}
        for key in board:
            if key.startswith("pin_") and board[key] is not None:
                self.pins[board[key]] = _Pin()
                self.pwms[board[key]] = _Pwm()
        self.wdt = _Wdt()
        self.Pin = _PinClass(self)
        self.ADC = _AdcClass()

    def freq(self, hz=None):
        # The board's own clock: the hal's setup has nothing to change.
        cpu = self.board["cpu"]
        return cpu[0] if cpu is not None else 125000000

    def PWM(self, pin, freq=0, duty_u16=0):  # noqa: N802 - machine's name
        pwm = self.pwms[self._id(pin)]
        pwm.duty = duty_u16
        if duty_u16:
            pin.highs += 1  # the output switch's gate starting (pulsed DC)
        return pwm

    def WDT(self, id=0, timeout=5000):  # noqa: N802 - machine's name
        self.wdt.timeout_ms = timeout
        return self.wdt

    def _id(self, pin):
        for gpio, p in self.pins.items():
            if p is pin:
                return gpio
        raise ValueError("not a pin of this machine")


class _PinClass:
    # machine.Pin: its constants, and Pin(id, ...) giving the board's pin.
    IN = 0
    OUT = 1
    PULL_UP = 1

    def __init__(self, machine):
        self._machine = machine

    def __call__(self, id, mode=-1, pull=-1, value=None):
        p = self._machine.pins[id]
        p.init(mode, pull, value)
        return p


class _AdcClass:
    ATTN_11DB = 3

    def __call__(self, pin):
        return _Adc()  # a new object, as the rp2 port makes one per call


class FakeHal(Hal):
    def __init__(self, board=None, machine=None, cal=None):
        from firmware import store

        board = board or load("pico")
        Hal.__init__(self, machine or FakeMachine(board), board,
                     cal or store.nominal_calibration())
        self.board = board  # its bath reads it (the hal keeps none)
        # The fake's codes are the pico's read_u16, whatever the board.
        self.code_hi = 4095
        self.wide_codes = True
        self.i_ua = 0
        self.rail_mv = 58000
        # A charged pack, 130 % of the board's cut-off: the Pico's one cell at 3.9 V, the
        # ESP32's two at 7.8 V, as tools/sim/circuit.py pack() starts them
        # (host_tests/device/test_sim_pack.py); 0 on a board with no battery reading,
        # as its hal reads.
        self.battery_mv = self.board["battery_min_mv"] * 13 // 10
        self.button = False
        self.adjust = 0  # the up and down buttons: bit 0 up, bit 1 down (Hal.adjust_pressed)
        self.usb = False
        self.set_ua = 0
        self.code_bat = self.battery_mv * 4096 // 9900  # the pack's, as read_battery_mv
        self.hold_codes = False  # raw codes follow the readings unless this is set
        # The boards' ADC noise (0.5-3 LSB, measures.md): a live channel's code
        # moves; here by 0-2 LSB (current, voltage) or 0-1 (rail, battery) (SR-12).
        self._noise = 0
        self._noise_rail = 0
        self._noise_bat = 0
        # Compliance (SR-14): the most the rail can push through the bath's
        # load, uA; 0: no limit. Above it the sink runs out of headroom.
        self.max_ua = 0
        self.now_us = 0x3FFFFFFF - 3000000  # the tests' clock (support.tick): wraps soon

    # What the tests read of the outputs, from the fake machine's pins.
    @property
    def ons(self):
        return self._enable.highs

    @property
    def relay_level(self):
        return self._relay.level == 1

    @property
    def relay_switches(self):
        return self._relay.writes

    @property
    def trip_resets(self):
        return self._trip_reset.highs

    @property
    def led_level(self):
        return self._led.level == 1

    @property
    def buzzer_level(self):
        return self._buzzer is not None and self._buzzer.level == 1

    @property
    def buzzer_onsets(self):
        return self._buzzer.highs if self._buzzer is not None else 0

    @property
    def feeds(self):
        return self.machine.wdt.feeds

    # The readings: what the caller set.
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

    # The set point in uA as commanded (the hal's duty follows on the fake PWM),
    # for the bath below and the tests.
    def set_current_ua(self, ua):
        self.set_ua = ua
        Hal.set_current_ua(self, ua)

    def output_off(self):
        Hal.output_off(self)
        self.set_ua = 0

    def pulse_trip_reset(self):
        Hal.pulse_trip_reset(self)  # the hal's interlock (SR-15), then the latch clears
        self.trip = False

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

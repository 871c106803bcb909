# A minimal fake `machine` for measuring what the firmware's tick costs (M6, M7:
# tools/sim/bench_tick.py), for the MicroPython unix port and CPython.
#
# Unlike tools/sim/fakemachine.py (a circuit model, virtual time, a cost per
# call), every call here is as cheap as a Python call can be: a plain integer
# attribute read or written, nothing allocated. The real firmware/hal.py runs
# on it, so the hal's own cost is in the measurement, as it is on the chip;
# the model is not (it runs between ticks, in settle()).
#
# The load is an ideal resistive bath: with the output switch closed and a
# load in place, the current follows the set PWM's duty at once (capped by
# the rail's compliance); the electrodes show I x R, or the rail when open.
# Rail and battery are fixed; the button and the trip latch are released.
# Scales come from the board description (firmware/boards/pico.py): R_sense,
# the dividers, the ADC reference; read_u16 is the 12-bit code scaled to 16
# bits as the rp2 port does it (raw << 4 | raw >> 8).

PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5

# One object per GPIO, as the rp2 port keeps them: Pin(18) twice is one pin.
_pins = {}
_adcs = {}  # GPIO -> the ADC on it
_pwms = {}  # GPIO -> the PWM driving it (Pin.init takes the pin back)
_wdt = []  # the watchdog, once started
_fixed = {}  # GPIO -> read_u16 of the channels that do not follow the load


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    ALT = 3
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_RISING = 4
    IRQ_FALLING = 8

    def __new__(cls, id, *args, **kwargs):
        p = _pins.get(id)
        if p is None:
            p = object.__new__(cls)
            p.id = id
            p.val = 0
            _pins[id] = p
        return p

    def __init__(self, id, mode=-1, pull=-1, value=None):
        self.init(mode, pull, value)

    def init(self, mode=-1, pull=-1, value=None):
        if mode == Pin.IN:
            self.val = 1 if pull == Pin.PULL_UP else 0  # nothing drives an input here
        elif mode == Pin.OUT:
            _pwms.pop(self.id, None)  # a plain output again: no longer the PWM's
        if value is not None:
            self.val = value

    def value(self, v=None):
        if v is None:
            return self.val
        self.val = v

    def on(self):
        self.val = 1

    def off(self):
        self.val = 0

    def irq(self, *args, **kwargs):
        return None


class PWM:
    def __init__(self, pin, freq=0, duty_u16=0):
        self.pin = pin
        self.f = freq
        self.duty = duty_u16
        _pwms[pin.id] = self

    def freq(self, f=None):
        if f is None:
            return self.f
        self.f = f

    def duty_u16(self, d=None):
        if d is None:
            return self.duty
        self.duty = d

    def deinit(self):
        self.duty = 0


class ADC:
    ATTN_11DB = 3

    def __init__(self, pin):
        gpio = pin.id if isinstance(pin, Pin) else 26 + pin
        self.u16 = _fixed.get(gpio, 0)
        self.lsb = 0
        _adcs[gpio] = self

    def read_u16(self):
        # The boards' ADC noise (0.5-3 LSB): each reading differs from the last
        # by one 12-bit code (SR-12: a live reading is never frozen).
        self.lsb ^= 16
        return self.u16 ^ self.lsb


class WDT:
    def __init__(self, id=0, timeout=5000):
        self.timeout = timeout
        _wdt.append(self)

    def feed(self):
        pass


class RTC:
    def __init__(self, id=0):
        pass

    def datetime(self, t=None):
        if t is None:
            return (2026, 1, 1, 3, 0, 0, 0, 0)


def reset_cause():
    return PWRON_RESET


def reset():
    raise SystemExit("benchmachine: machine.reset()")


_cpu = [125000000]  # the clock the firmware asked for (its cost here is the host's)


def freq(hz=None):
    if hz is None:
        return _cpu[0]
    _cpu[0] = hz


class _Mem32:
    # The RP2040's VREG register, the one the firmware writes (hal_setup.py).
    def __init__(self):
        self.vreg = 0x10B1

    def __getitem__(self, addr):
        return self.vreg

    def __setitem__(self, addr, value):
        self.vreg = value & 0xF3 | 0x1000


mem32 = _Mem32()


def unique_id():
    return b"\x00\x00\x00\x00\x00\x00\x00\x01"


def idle():
    pass


# ---- the bench (not in the real machine module) ----

# The battery channel's fixed reading: the Pico build's one cell as the circuit model
# starts it (tools/sim/circuit.py pack(); host_tests/device/test_sim_pack.py checks the
# two agree). Not imported from there: this bench runs in a 192K heap, and the model
# would keep about 15 KB of it.
PICO_CELL_MV = 3900


class Bath:
    # An ideal resistive load on the output. load_ohm 0: no hand in the water.
    def __init__(self):
        self.b = None
        self.load_ohm = 0
        self.rail_mv = 58000
        self.battery_mv = PICO_CELL_MV

    def setup(self, board, load_ohm=3300, rail_mv=58000, battery_mv=PICO_CELL_MV):
        # Before the hal makes its ADCs: the rail and battery channels are fixed.
        b = self.b = board
        self.load_ohm = load_ohm
        self.rail_mv = rail_mv
        self.battery_mv = battery_mv
        self.full_ua = b["set_pwm_high_mv"] * b["set_gain_ppm"] // 1000 // b["current_sense_ohm"]
        _fixed[b["pin_adc_rail"]] = self.u16(rail_mv, b["rail_div_ppm"], 0)
        _fixed[b["pin_adc_battery"]] = self.u16(battery_mv, b["battery_div_ppm"], 0)
        for gpio, u16 in _fixed.items():
            if gpio in _adcs:
                _adcs[gpio].u16 = u16

    def u16(self, mv, div_ppm, bias_mv):
        # What read_u16 gives for mv at the measured node (rp2: 12 bits scaled).
        b = self.b
        code = (mv * div_ppm // 1000000 + bias_mv) * 4096 // b["adc_ref_mv"]
        code = 0 if code < 0 else 4095 if code > 4095 else code
        return code << 4 | code >> 8

    def settle(self):
        # The current and the electrode voltage, from the outputs the tick left.
        b = self.b
        on = _pins[b["pin_enable"]].val if b["pin_enable"] in _pins else 0
        gate = _pwms.get(b["pin_enable"])  # pulsed DC: the ADCs see the average
        share = gate.duty if gate is not None else 65535 if on else 0
        pwm = _pwms.get(b["pin_set"])
        ua = pwm.duty * self.full_ua // 65535 if pwm is not None and share else 0
        load = self.load_ohm
        if load and ua:
            # The sink's compliance: what the rail can push through the load.
            most = (self.rail_mv - b["sink_headroom_mv"]) * 1000 // (load + b["current_sense_ohm"])
            if ua > most:
                ua = most
            v_mv = ua * load // 1000
        else:
            ua = 0
            v_mv = self.rail_mv if share else 0
        ua = ua * share // 65535
        v_mv = v_mv * share // 65535
        sense_mv = ua * b["current_sense_ohm"] // 1000
        adc_i = _adcs.get(b["pin_adc_current"])
        if adc_i is not None:
            adc_i.u16 = self.u16(sense_mv, b["current_div_ppm"], b["current_bias_mv"])
        adc_v = _adcs.get(b["pin_adc_voltage"])
        if adc_v is not None:
            adc_v.u16 = self.u16(v_mv, b["voltage_div_ppm"], b["voltage_bias_mv"])
        return ua


bath = Bath()


class RefTick:
    # measures.md M7's reference tick, on the benchmachine objects the hal
    # drives: two ADC reads, one integer PI step, one PWM write, one WDT feed.
    # Called like the app's tick (a bound method, one argument), identical for
    # every tree, so the ratio cancels the speed of the machine it runs on.
    def __init__(self, adc_i, adc_v, pwm, wdt):
        self.adc_i = adc_i
        self.adc_v = adc_v
        self.pwm = pwm
        self.wdt = wdt
        self.integ = 0

    def tick(self, now):
        i = self.adc_i.read_u16() >> 4
        v = self.adc_v.read_u16() >> 4
        err = 1861 - i  # 15 mA through 100 Ohm, in codes
        integ = self.integ + err
        self.integ = integ
        duty = 29789 + (err << 3) + (integ >> 8) + (v >> 12)
        if duty < 0:
            duty = 0
        elif duty > 65535:
            duty = 65535
        self.pwm.duty_u16(duty)
        self.wdt.feed()


def pin(gpio):
    return Pin(gpio)


def adc(gpio):
    return _adcs[gpio]


def pwm(gpio):
    return _pwms[gpio]


def wdt():
    return _wdt[-1] if _wdt else None

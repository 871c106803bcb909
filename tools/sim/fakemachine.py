# A fake `machine` module for the simulated board: Pin, PWM, ADC, WDT, Timer,
# RTC, reset, reset_cause, unique_id, freq, mem32 (VREG), idle, mem_backup, with the semantics of
# the rp2 and esp32 ports (flavour from the board description's "port"), and
# SPI for the display's panel (tools/sim/oled.py).
# Installed as sys.modules["machine"]; the state lives in `hw` (tools/sim/simboard.py).
from array import array

from tools.sim.clock import BoardReset, FakeTime, seconds

PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5

hw = None  # the Hardware of the running SimBoard

# Cost of each call in virtual microseconds (RP2040 ADC conversion: 2 us).
_COST_ADC = 2
_COST_IO = 1
PERSON_POLLS = 20  # Hardware.person: reads of an input in a row before the person acts


class Hardware:
    # Pin functions and levels, PWM slices, watchdog: what a reset clears.
    def __init__(self, board, clock, circuit):
        self.board = board
        self.port = board["port"]
        self.clock = clock
        self.circuit = circuit
        self.log = None  # a list to record hardware operations into, or None
        self.reset_cause = PWRON_RESET
        self.backup = array("I", [0] * 7)  # rp2 watchdog scratch registers
        self.button_down = False
        self.up_down = False  # the optional up and down buttons, held down
        self.down_down = False
        self.usb_present = False
        # The person at a bring-up (tools/ionto/bringup.py), None or a dict:
        # "presses", the seconds of each button press still to come, and
        # "trip_lead", how many times the trip test button SW4 (on a board without it,
        # the test lead) is still to be pressed (docs/bringup.md). Each happens once
        # the firmware has polled that input PERSON_POLLS times in a row (it waits for
        # the person), as a person acts some time after being asked.
        self.person = None
        self._polls = {}  # pin -> (reads in a row, current_reads at the last)
        self._press_until = -1
        # One per firmware tick: the tick counter of M5, and where the tick's
        # own CPU time is charged (tick_cost below). App.tick reads the current
        # channel exactly once, first (host_tests/device/test_realtime.py keeps
        # reads equal to ticks). Outside the loop only the console's readings
        # (firmware/console.py status, cal_zero) read it: charged as ticks too,
        # a few ms at the REPL.
        self.current_reads = 0
        # None, or a callable giving the us of CPU time one firmware tick costs
        # (tools/sim/tickcost.py, from SimBoard's tick_cost; issue 13).
        self.tick_cost = None
        self.rtc_set = None  # the last tuple given to RTC.datetime()
        self.rtc_module = None  # the optional DS3231 (tools/sim/ds3231.py), on its own cell
        self.off_log = []  # (t_us, current_reads) when the output went off
        # M5 in time: the current read numbered watch_read (set by the bench at
        # an injection: the next read) records its time in watch_t.
        self.watch_read = None
        self.watch_t = None
        self.on_log = []  # (t_us, current_reads) when the output switch closed
        self.power_on()
        # Roles of the pins, from the board description.
        self.roles = {}
        for key in board:
            if key.startswith("pin_") and board[key] is not None:
                self.roles[board[key]] = key[4:]

    def power_on(self):
        # A reset stops the last boot's timers too (Timer._fire).
        self.power_ons = getattr(self, "power_ons", 0) + 1
        self.mode = {}  # pin -> "in", "out", "pwm"
        self.level = {}  # pin -> 0/1 driven level (outputs)
        self.pwm = {}  # pin -> [freq, duty_u16 as set, duty fraction]
        self.wdt_timeout_ms = None
        self.clock.wdt_deadline = None
        # The CPU clock and the RP2040's core regulator (VREG: VSEL 1.10 V,
        # enabled, in regulation) as a reset leaves them.
        self.cpu_hz = 125000000 if self.port == "rp2" else 160000000
        self.vreg = 0x10B1

    def record(self, op):
        if self.log is not None and len(self.log) < 10000:
            self.log.append(op)

    def now_s(self):
        return self.clock.us / 1e6

    def sync(self):
        # Push the pin state into the circuit (after any change), then update.
        b = self.board
        c = self.circuit
        c.update(self.clock.us / 1e6)
        sp = b["pin_set"]
        was_on = c.gate > 0 or c.set_frac > 0
        was_closed = c.gate > 0
        c.set_frac = self._level_frac(sp)
        c.gate = self._level_frac(b["pin_enable"])
        if not was_closed and c.gate > 0 and len(self.on_log) < 1000:
            self.on_log.append((self.clock.us, self.current_reads))
        if was_on and c.gate == 0 and c.set_frac == 0 and len(self.off_log) < 1000:
            self.off_log.append((self.clock.us, self.current_reads))
        relay = self.level.get(b["pin_relay"], 0) if self.mode.get(b["pin_relay"]) == "out" else 0
        if relay != c.relay and c.relay_fault != "stuck":
            c.relay_switches += 1
            if c.i_ua > 100:
                c.relay_switches_under_current += 1  # SR-11 violation, counted
            c.relay = relay
            if c.relay_fault == "open":
                c.lift()  # the contacts left one side and never reached the other
        tr = b["pin_trip_reset"]
        if (self.mode.get(tr) == "out" and self.level.get(tr) and c.i_ua < b["hw_cap_ua"]
                and not c.trip_stuck):
            c.tripped = False
            c.force_trip = False

    def _level_frac(self, pin):
        m = self.mode.get(pin)
        if m == "out":
            return 1.0 if self.level.get(pin) else 0.0
        if m == "pwm":
            return self.pwm[pin][2]
        if m == "pwm_stopped":
            return float(self.level.get(pin, 0))  # rp2 deinit: last level held
        return 0.0  # undriven: the board's pull-down holds it low

    def _person_acts(self, pin, key):
        # True when the person acts on this input now (see self.person).
        # A read of the current channel in between (console.status, cal_zero:
        # the firmware is measuring, not waiting) starts the count again.
        n, reads = self._polls.get(pin, (0, -1))
        n = n + 1 if reads == self.current_reads else 1
        self._polls[pin] = (n, self.current_reads)
        if n < PERSON_POLLS or not self.person.get(key):
            return False
        self._polls[pin] = (0, self.current_reads)
        return True

    def input_level(self, pin):
        b = self.board
        if pin == b["pin_button"]:
            if self.clock.us < self._press_until:
                return 0
            if self.person is not None and self._person_acts(pin, "presses"):
                self._press_until = self.clock.us + int(self.person["presses"].pop(0) * 1e6)
                return 0
            return 0 if self.button_down else 1
        if pin == b["pin_up"]:
            return 0 if self.up_down else 1
        if pin == b["pin_down"]:
            return 0 if self.down_down else 1
        if pin == b["pin_trip"]:
            if self.person is not None and self._person_acts(pin, "trip_lead"):
                self.person["trip_lead"] -= 1
                self.circuit.force_trip = True  # the comparator fires; a reset clears it
            self.circuit.update(self.now_s())
            return 0 if self.circuit.tripped else 1
        if pin == b["pin_usb_sense"]:
            return 1 if self.usb_present else 0
        if self.mode.get(pin) == "out":
            return self.level.get(pin, 0)
        return 0


def _pin_id(p):
    return p.id if isinstance(p, Pin) else p


_RADIO_NAMES = ("WL_GPIO0", "WL_GPIO1", "WL_GPIO2", "LED")


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_FALLING = 4
    IRQ_RISING = 8

    def __init__(self, id, mode=-1, pull=-1, *, value=None):
        radio = hw.board["radio_pins"]
        if isinstance(id, str):
            # The radio chip's pins by name, as MicroPython's RPI_PICO_W
            # pins.csv names them (WL_GPIO0 = "LED", WL_GPIO2 = VBUS sense).
            if not (radio and id in _RADIO_NAMES):
                raise ValueError("unknown named pin")
        elif not 0 <= id < (30 if hw.port == "rp2" else 40) or id in radio:
            # The simulator refuses the radio's own GPIOs outright (MicroPython
            # reserves them on the Pico 2 W: mp_hal_is_pin_reserved).
            raise ValueError("invalid pin")
        self.id = id
        self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None):
        hw.clock.advance(_COST_IO)
        pin = self.id
        if value is not None:
            hw.level[pin] = 1 if value else 0
        if mode == Pin.OUT or mode == Pin.OPEN_DRAIN:
            hw.mode[pin] = "out"  # also takes the pin back from a PWM slice
            hw.pwm.pop(pin, None)
        elif mode == Pin.IN:
            hw.mode[pin] = "in"
            hw.pwm.pop(pin, None)
        hw.record(("pin", pin, mode, value))
        hw.sync()

    def value(self, x=None):
        hw.clock.advance(_COST_IO)
        pin = self.id
        if x is None:
            return hw.input_level(pin)
        hw.level[pin] = 1 if x else 0
        hw.record(("value", pin, 1 if x else 0))
        if hw.mode.get(pin) == "out":
            hw.sync()
        return None

    def __call__(self, x=None):
        return self.value(x)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def irq(self, handler=None, trigger=0):
        return None


class PWM:
    def __init__(self, dest, *, freq=None, duty_u16=None, duty_ns=None, invert=False):
        self.pin = _pin_id(dest)
        hw.mode[self.pin] = "pwm"
        if self.pin not in hw.pwm:
            hw.pwm[self.pin] = [0, 0, 0.0]
        self.init(freq=freq, duty_u16=duty_u16, duty_ns=duty_ns)

    def init(self, *, freq=None, duty_u16=None, duty_ns=None):
        if freq is not None:
            self.freq(freq)
        if duty_u16 is not None:
            self.duty_u16(duty_u16)

    def _steps(self, f):
        if hw.port == "rp2":
            return (hw.cpu_hz + f // 2) // f  # top + 1 at div 1 (ports/rp2/machine_pwm.c)
        bits = 1
        while bits < 20 and (80000000 // f) >> (bits + 1):
            bits += 1
        return 1 << bits  # LEDC: about 11 bits at 20 kHz

    def freq(self, f=None):
        hw.clock.advance(_COST_IO)
        st = hw.pwm[self.pin]
        if f is None:
            return st[0]
        if hw.port == "rp2":
            if f < 8:
                raise ValueError("freq too small")
            if f > 62500000:
                raise ValueError("freq too large")
            # GP2k and GP2k+1 share a slice and its frequency.
            other = self.pin ^ 1
            if other in hw.pwm:
                hw.pwm[other][0] = f
                self._apply(other)
        elif not 1 <= f <= 40000000:
            raise ValueError("frequency must be from 1Hz to 40MHz")
        st[0] = f
        self._apply(self.pin)
        return None

    def _apply(self, pin):
        st = hw.pwm[pin]
        if st[0] <= 0:
            st[2] = 0.0
            return
        steps = self._steps(st[0])
        cc = (st[1] * steps + 32767) // 65535  # rounding as the rp2 port does
        st[2] = cc / steps if cc < steps else 1.0
        hw.sync()

    def duty_u16(self, d=None):
        st = hw.pwm[self.pin]
        if d is None:
            return st[1]
        hw.clock.advance(_COST_IO)
        if not 0 <= d <= 65535:
            raise ValueError("duty_u16 must be from 0 to 65535")
        st[1] = d
        if hw.log is not None:
            hw.record(("duty", self.pin, d))
        self._apply(self.pin)
        return None

    def duty_ns(self, ns=None):
        st = hw.pwm[self.pin]
        if ns is None:
            return int(st[2] * 1e9 / st[0]) if st[0] else 0
        self.duty_u16(min(65535, ns * st[0] * 65535 // 1000000000))
        return None

    def deinit(self):
        hw.clock.advance(_COST_IO)
        st = hw.pwm.get(self.pin)
        if hw.port == "rp2":
            # The slice stops with the pin at its last level, possibly high
            # (micropython issue #9007): model it as high when the duty was > 0.
            hw.mode[self.pin] = "pwm_stopped"
            hw.level[self.pin] = 1 if st and st[2] > 0 else 0
        else:
            hw.mode[self.pin] = "out"
            hw.level[self.pin] = 0
        hw.record(("pwm_deinit", self.pin))
        hw.sync()


_ADC_CH = ("current", "voltage", "rail", "battery")


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3

    def __init__(self, src, *, atten=None):
        gpio = _pin_id(src)
        if hw.port == "rp2" and (not 26 <= gpio <= 29 or gpio in hw.board["radio_pins"]):
            raise ValueError("invalid pin")  # ADC(0..3) or Pin(26..29)
        self.ch = None
        for ch in _ADC_CH:
            if hw.board["pin_adc_" + ch] == gpio:
                self.ch = ch
        if hw.port == "esp32":
            self.read_uv = self._read_uv

    def atten(self, a):
        return None

    def _convert(self):
        # One conversion: its time, the tick counter of M5, the model brought up to date.
        hw.clock.advance(_COST_ADC)
        if self.ch == "current":
            hw.current_reads += 1
            if hw.current_reads == hw.watch_read:
                hw.watch_t = hw.clock.us
        c = hw.circuit
        c.update(hw.clock.us / 1e6)
        return c

    def read_u16(self):
        c = self._convert()
        if self.ch is None:
            return 0
        if hw.port == "esp32":
            v = min(65535, c.read_uv(self.ch) * 65535 // 3300000)
        else:
            v = c.read_u16(self.ch)
        if self.ch == "current":
            _charge_tick()
        return v

    def _read_uv(self):
        c = self._convert()
        if self.ch is None:
            return 0
        v = c.read_uv(self.ch)
        if self.ch == "current":
            _charge_tick()
        return v


def _charge_tick():
    # The firmware tick's own CPU time, once per tick at its current read:
    # after the reading, as the tick reads first and writes the output last,
    # so the reading is as old at the write as on the chip (M5).
    cost = hw.tick_cost
    if cost is not None:
        hw.clock.advance(cost())


class WDT:
    def __init__(self, id=0, timeout=5000):
        if id != 0:
            raise ValueError("WDT(%d) doesn't exist" % id)
        if hw.port == "rp2" and timeout > 8388:
            raise ValueError("timeout exceeds 8388")
        if timeout < 1:
            raise ValueError("WDT timeout too short")
        hw.wdt_timeout_ms = timeout
        hw.clock.wdt_cause = WDT_RESET
        hw.clock.wdt_deadline = hw.clock.us + timeout * 1000
        hw.record(("wdt", timeout))

    def feed(self):
        hw.clock.advance(_COST_IO)
        hw.clock.wdt_deadline = hw.clock.us + hw.wdt_timeout_ms * 1000


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, *, mode=1, period=-1, freq=-1, callback=None):
        # platform.md: rp2 has only the software timer -1; esp32 ids 0-3.
        if (id != -1) if hw.port == "rp2" else not 0 <= id <= 3:
            raise ValueError("Timer doesn't exist")
        self._alive = False
        if period > 0 or freq > 0:
            self.init(mode=mode, period=period, freq=freq, callback=callback)

    def init(self, *, mode=1, period=-1, freq=-1, callback=None):
        self._alive = True
        self._hw = hw
        self._power = hw.power_ons  # a reset (power_on) stops it
        self._period_us = period * 1000 if period > 0 else 1000000 // freq
        self._mode = mode
        self._cb = callback
        hw.clock.at(hw.clock.us + self._period_us, self._fire)

    def _fire(self, clock):
        if not self._alive or self._hw.power_ons != self._power:
            self._alive = False
            return
        if self._mode == Timer.PERIODIC:
            clock.at(clock.us + self._period_us, self._fire)
        else:
            self._alive = False
        if self._cb is not None:
            self._cb(self)

    def deinit(self):
        self._alive = False


class RTC:
    # The clock behind time.time() and time.localtime() (the fake time's
    # epoch_s). datetime(): the ports' 8-tuple (year, month, day, weekday
    # 0 = Monday, hours, minutes, seconds, subseconds); the weekday is not
    # checked when set (esp32 ignores it).
    def __init__(self, id=0):
        pass

    def datetime(self, t=None):
        clock = hw.clock
        if t is None:
            y, mo, d, hh, mm, ss, wd, _ = _gmtime(clock.epoch_s + clock.us // 1000000)
            return (y, mo, d, wd, hh, mm, ss, 0)
        y, mo, d, _, hh, mm, ss = t[:7]
        if not (2000 <= y <= 2099 and 1 <= mo <= 12 and 1 <= d <= 31 and 0 <= hh <= 23
                and 0 <= mm <= 59 and 0 <= ss <= 59):
            raise ValueError("invalid datetime")
        hw.rtc_set = tuple(t)
        clock.epoch_s = seconds(y, mo, d, hh, mm, ss) - clock.us // 1000000
        return None


def _gmtime(secs):
    return FakeTime(hw.clock).gmtime(secs)


class I2C:
    # The optional DS3231 module's bus (tools/sim/ds3231.py, hw.rtc_module),
    # with the port's calls the firmware makes: readfrom_mem and writeto_mem.
    # Nothing that answers at an address: OSError 5 (EIO, no acknowledge).
    def __init__(self, id, *, scl=None, sda=None, freq=400000, timeout=50000):
        self.id = id

    def _device(self, addr):
        dev = hw.rtc_module
        if dev is None or not dev.present or addr != dev.ADDR:
            raise OSError(5)
        return dev

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        return self._device(addr).read(memaddr, nbytes)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self._device(addr).write(memaddr, buf)


def SPI(*args, **kw):
    # The display's bus (tools/sim/oled.py), loaded only for a board with one:
    # a served board's unix port has no heap to spare for it (192K).
    from tools.sim.oled import machine_spi

    return machine_spi(*args, **kw)


def reset():
    # rp2: machine.reset() is a watchdog reboot, reset_cause() says WDT_RESET
    # (platform.md, micropython #19409); esp32 reports HARD_RESET.
    raise BoardReset(WDT_RESET if hw.port == "rp2" else HARD_RESET)


def soft_reset():
    raise BoardReset(SOFT_RESET)


def reset_cause():
    return hw.reset_cause


def unique_id():
    return b"\xe6\x61\x41\x04\x03\x2b\x5a\x2c"


_VREG = 0x40064000  # the RP2040's VREG register (firmware/hal_setup.py)
_RATED_AT_110 = 133000000  # the RP2040 at its default core voltage (firmware/boards/pico.py)


def freq(hz=None):
    if hz is None:
        return hw.cpu_hz
    if hw.port == "rp2":
        if not 48000000 <= hz <= 250000000:
            raise ValueError("cannot change frequency")
        # Guards of this fake (the chip would not say): above its rating at
        # the core voltage set, and a clock change with a PWM already set up
        # (its frequency would move: firmware/hal_setup.py).
        if hz > _RATED_AT_110 and (hz > 200000000 or (hw.vreg >> 4) & 15 < 12):
            raise ValueError("fakemachine: %d Hz is outside the RP2040's rating at VREG %#x"
                             % (hz, hw.vreg))
        if hw.pwm:
            raise ValueError("fakemachine: clock changed after a PWM was set up")
    elif hz not in (20000000, 40000000, 80000000, 160000000, 240000000):
        raise ValueError("frequency must be 20MHz, 40MHz, 80Mhz, 160MHz or 240MHz")
    hw.record(("freq", hz))
    hw.cpu_hz = hz
    return None


class _Mem32:
    # machine.mem32, for the one register the firmware touches (the RP2040's
    # VREG); any other address is a fault of the firmware here.
    def _reg(self, addr):
        if hw.port != "rp2" or addr != _VREG:
            raise ValueError("fakemachine: mem32 at %#x" % addr)

    def __getitem__(self, addr):
        self._reg(addr)
        return hw.vreg

    def __setitem__(self, addr, value):
        self._reg(addr)
        hw.record(("vreg", value))
        hw.vreg = value & 0xF3 | 0x1000  # ROK: in regulation (read-only)


mem32 = _Mem32()


def idle():
    hw.clock.advance(10)


def disable_irq():
    return 0


def enable_irq(state=0):
    return None


def mem_backup(region=0):
    # rp2: watchdog scratch registers; survive machine.reset() and the WDT,
    # not a power-on (tools/sim/simboard.py clears them then).
    return memoryview(hw.backup)

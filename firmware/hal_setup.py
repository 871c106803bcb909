# Startup only, for firmware/hal.py: the CPU clock, the pins, the ADC readers
# and the fixed point scale factors from the board description and the
# calibration. The job that builds the hal (firmware.job) drops it after (M8).
# `machine` is passed in, as to firmware/hal.py: only the entry points import it.
#
# Readings: value = ((code - offset) * mul) >> shift, mul = the value at
# 4096 codes; code < 4096 and mul < 2**18 keep every product below 2**30.
import time

_MUL_MAX = 1 << 18
_VREG = 0x40064000  # RP2040 VREG_AND_CHIP_RESET_BASE: the VREG register (datasheet 2.10.7)


def cpu_clock(machine, board):
    # The board's clock (pico.py), before the first PWM: the rp2 port sets a
    # PWM's divider from the system clock when the PWM is set up, so a later
    # change would move every PWM's frequency.
    cpu = board["cpu"]
    if cpu is None or machine.freq() == cpu[0]:
        return
    if cpu[1] is not None:
        # The RP2040's core voltage before its clock: VREG's VSEL (bits 7:4)
        # = (mV - 550) / 50, 1100 = 1.15 V; pico-sdk waits 1 ms for it
        # (SYS_CLK_VREG_VOLTAGE_AUTO_ADJUST_DELAY_US).
        vsel = (cpu[1] - 550) // 50 << 4
        machine.mem32[_VREG] = machine.mem32[_VREG] & ~0xF0 | vsel
        time.sleep_ms(2)
        # In regulation (ROK, bit 12) at that voltage, or the clock stays
        # where it was: slower, never outside the rating.
        if machine.mem32[_VREG] & 0x10F0 != 0x1000 | vsel:
            print("ionto: core voltage not confirmed: clock left at", machine.freq())
            return
    machine.freq(cpu[0])


def pins(machine, board):
    cpu_clock(machine, board)
    Pin = machine.Pin
    # Outputs first, all low (SR-1); the set pin then becomes a PWM at duty 0.
    enable = Pin(board["pin_enable"], Pin.OUT, value=0)
    relay = Pin(board["pin_relay"], Pin.OUT, value=0)
    trip_reset = Pin(board["pin_trip_reset"], Pin.OUT, value=0)
    led = Pin(board["pin_led"], Pin.OUT, value=0)
    b = board["pin_buzzer"]
    buzzer = Pin(b, Pin.OUT, value=0) if b is not None else None
    set_pin = Pin(board["pin_set"], Pin.OUT, value=0)
    pwm = machine.PWM(set_pin, freq=board["set_pwm_hz"], duty_u16=0)
    trip = Pin(board["pin_trip"], Pin.IN, Pin.PULL_UP)
    button = Pin(board["pin_button"], Pin.IN, Pin.PULL_UP)
    # The optional up and down buttons, to GND like the button; None: not fitted.
    up = board["pin_up"]
    up = Pin(up, Pin.IN, Pin.PULL_UP) if up is not None else None
    down = board["pin_down"]
    down = Pin(down, Pin.IN, Pin.PULL_UP) if down is not None else None
    u = board["pin_usb_sense"]
    usb = None
    if u is not None:
        usb = Pin(u, Pin.IN)
        if isinstance(u, str):
            # A pin on the radio chip (the Pico W's "WL_GPIO2"): the first read
            # starts that chip (cyw43_ensure_up), here, before the watchdog and
            # the loop, not in the loop's first slow check (picow.py).
            usb.value()
    return enable, relay, trip_reset, led, buzzer, set_pin, pwm, trip, button, usb, up, down


def _reader(machine, gpio, uv):
    adc = machine.ADC(machine.Pin(gpio))  # ADC(Pin) sets the pin high-Z on rp2
    if uv:
        adc.atten(machine.ADC.ATTN_11DB)
        # esp32 only: read_uv is not in the rp2 stubs, hence getattr.
        return getattr(adc, "read_uv")  # noqa: B009
    return adc.read_u16


def readers(machine, board, uv):
    bat = board["pin_adc_battery"]
    return (_reader(machine, board["pin_adc_current"], uv),
            _reader(machine, board["pin_adc_voltage"], uv),
            _reader(machine, board["pin_adc_rail"], uv),
            # None: no battery channel on this board (picow.py)
            None if bat is None else _reader(machine, bat, uv))


def _mul(board, div_ppm, ohm, cal):
    # Value at 4096 codes: mV at the measured node, or uA through `ohm`.
    pin_mv = board["adc_ref_mv"] if board["adc_kind"] == "u16" else 4096
    value = pin_mv * 1000000 // div_ppm
    if ohm:
        value = value * 1000 // ohm
    mul = value * cal["gain_ppm"] // 1000000
    if not 0 < mul < _MUL_MAX:
        raise ValueError("ADC scale out of range: check the board description")
    return mul


def scales(board, cal, shift, duty_max):
    uv = board["adc_kind"] == "uv"
    mul_i = _mul(board, board["current_div_ppm"], board["current_sense_ohm"], cal["current"])
    mul_v = _mul(board, board["voltage_div_ppm"], 0, cal["voltage"])
    mul_rail = _mul(board, board["rail_div_ppm"], 0, cal["rail"])
    mul_bat = _mul(board, board["battery_div_ppm"], 0, cal["battery"])
    # The board's bias at the pin (esp32: into read_uv's linear range) in codes.
    per_mv = 1 if uv else 4096
    ref = 1 if uv else board["adc_ref_mv"]
    off_i = cal["current"]["offset"] + board["current_bias_mv"] * per_mv // ref
    off_v = cal["voltage"]["offset"] + board["voltage_bias_mv"] * per_mv // ref
    # Set path: duty = ua * duty_mul >> shift, with the set calibration folded in:
    # actual = commanded * gain + offset (gain_ppm = actual / nominal).
    full_ua = board["set_pwm_high_mv"] * board["set_gain_ppm"] // board["current_sense_ohm"]
    full_ua = full_ua // 1000 * cal["set"]["gain_ppm"] // 1000000
    duty_mul = (duty_max << shift) // full_ua
    return (mul_i, mul_v, mul_rail, mul_bat, off_i, off_v, cal["rail"]["offset"],
            cal["battery"]["offset"], full_ua, duty_mul, cal["set"]["offset"])

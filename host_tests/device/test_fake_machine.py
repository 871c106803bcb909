# The simulator's fake machine behaves as the ports do (platform.md), in
# CPython and in the unix port: errors, PWM resolution, slices, WDT, resets.
from tools.sim import fakemachine as m
from tools.sim.clock import TICKS_PERIOD, BoardReset, Clock, FakeTime
from tools.sim.simboard import SimBoard


def _hw(board="pico"):
    b = SimBoard(board, seed=5, flash_dir="build/sim_flash/test_fake", calibrated=False)
    m.hw = b.hw
    return b


def _raises(fn, exc=ValueError):
    try:
        fn()
    except exc:
        return True
    raise AssertionError("did not raise")


def test_pwm_bad_arguments_raise_value_error():
    _hw()
    p = m.PWM(m.Pin(16), freq=20000, duty_u16=0)
    _raises(lambda: p.freq(7))
    _raises(lambda: p.freq(62500001))
    _raises(lambda: p.duty_u16(65536))
    _raises(lambda: p.duty_u16(-1))


def test_rp2_pwm_has_6250_steps_at_20_khz():
    b = _hw()
    p = m.PWM(m.Pin(16), freq=20000, duty_u16=0)
    p.duty_u16(11)  # 11 * 6250 / 65535 = 1.05 -> one step of 6250
    assert b.hw.pwm[16][2] == 1 / 6250
    p.duty_u16(5)  # 0.48 of a step -> rounds to 0
    assert b.hw.pwm[16][2] == 0.0


def test_rp2_slice_pins_share_the_frequency():
    b = _hw()
    a = m.PWM(m.Pin(18), freq=1000, duty_u16=0)
    m.PWM(m.Pin(19), freq=20000, duty_u16=0)
    assert b.hw.pwm[18][0] == 20000 and a.freq() == 20000


def test_rp2_deinit_leaves_the_pin_high_until_reinitialised():
    b = _hw()
    p = m.PWM(m.Pin(18), freq=1000, duty_u16=40000)
    p.deinit()
    assert b.hw._level_frac(18) == 1.0  # micropython #9007
    m.Pin(18, m.Pin.OUT, value=0)
    assert b.hw._level_frac(18) == 0.0


def test_wdt_limits_and_reset_causes():
    b = _hw()
    _raises(lambda: m.WDT(timeout=8389))
    m.WDT(timeout=1000)
    try:
        b.clock.advance(1000001)
    except BoardReset as r:
        assert r.cause == m.WDT_RESET
    else:
        raise AssertionError("an unfed WDT did not reset the board")
    _raises(m.reset, BoardReset)
    try:
        m.reset()
    except BoardReset as r:
        assert r.cause == m.WDT_RESET  # rp2 quirk (platform.md, #19409)
    _hw("esp32_devkitc")
    try:
        m.reset()
    except BoardReset as r:
        assert r.cause == m.HARD_RESET


def test_esp32_adc_has_read_uv_and_rp2_does_not():
    _hw("esp32_devkitc")
    a = m.ADC(m.Pin(34))
    assert a.read_uv() >= 0
    _hw()
    a = m.ADC(m.Pin(26))
    assert not hasattr(a, "read_uv")
    _raises(lambda: m.ADC(m.Pin(5)))


def test_ticks_wrap_at_2_pow_30():
    c = Clock()
    t = FakeTime(c)
    a = t.ticks_us()
    c.advance(3500000)  # past the wrap (the clock starts 3 s before it)
    b = t.ticks_us()
    assert b < a  # the raw value wrapped
    assert 3500000 <= t.ticks_diff(b, a) <= 3500003
    assert t.ticks_add(TICKS_PERIOD - 1, 2) == 1
    assert t.ticks_diff(1, TICKS_PERIOD - 1) == 2

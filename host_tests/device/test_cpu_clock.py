# The CPU clock (issue 13): each board runs at its rated clock
# (firmware/boards/pico.py "cpu"), set before the first PWM; the RP2040's core
# voltage goes to 1.15 V first, and a core that does not confirm it keeps the
# clock where it was. The fake machine refuses what the chip is not rated for
# (above 133 MHz at 1.10 V) and a clock change after a PWM was set up: the
# controls below show that it does, so the order seen on the boards is proven.

# device-tests: one interpreter per test (a simulated board each)
from tools.sim.simboard import SimBoard

_VREG = 0x40064000


def _raises(fn, text):
    try:
        fn()
    except ValueError as e:
        assert text in str(e), e
        return
    raise AssertionError("no ValueError")


def _booted(name, seed):
    b = SimBoard(name, seed=seed, flash_dir="build/sim_flash/test_cpu_" + name, log_hw=True)
    seen = []

    def steps(clock):
        # The PWM resolution at the board's clock, once the app runs: 20 kHz.
        import machine

        seen.append(machine.PWM(machine.Pin(0), freq=20000, duty_u16=0)._steps(20000))
    b.at(0.25, steps)
    b.run(0.3)
    b.steps = seen[0]
    return b


def test_the_pico_runs_at_200_mhz_its_core_raised_first_and_before_any_pwm():
    b = _booted("pico", 61)
    log = b.hw.log
    ops = [op[0] for op in log]
    assert b.hw.cpu_hz == 200000000
    assert (b.hw.vreg >> 4) & 15 == 12  # VSEL 1100: 1.15 V
    assert ops.count("vreg") == 1 and ops.count("freq") == 1, ops
    assert ops.index("vreg") < ops.index("freq") < ops.index("duty"), ops
    assert b.steps == 10000  # 200 MHz / 20 kHz (6250 at 125 MHz)
    assert b.hw.wdt_timeout_ms is not None  # the app runs


def test_the_esp32_runs_at_240_mhz_and_no_core_voltage_is_touched():
    b = _booted("esp32_devkitc", 62)
    ops = [op[0] for op in b.hw.log]
    assert b.hw.cpu_hz == 240000000
    assert "vreg" not in ops and ops.index("freq") < ops.index("duty"), ops


def test_the_pico_w_keeps_the_ports_default_clock():
    b = _booted("picow", 63)
    ops = [op[0] for op in b.hw.log]
    assert b.hw.cpu_hz == 125000000 and "freq" not in ops and "vreg" not in ops
    assert b.steps == 6250


def test_control_the_fake_refuses_200_mhz_at_the_default_core_voltage():
    b = SimBoard("pico", seed=64, flash_dir="build/sim_flash/test_cpu_ctl1")

    def go():
        import machine

        _raises(lambda: machine.freq(200000000), "outside the RP2040's rating")
        machine.freq(133000000)  # rated at 1.10 V
        machine.mem32[_VREG] = machine.mem32[_VREG] & ~0xF0 | 0xC0
        machine.freq(200000000)
        _raises(lambda: machine.freq(250000000), "outside the RP2040's rating")
    b.call(go)
    assert b.hw.cpu_hz == 200000000


def test_control_the_fake_refuses_a_clock_change_after_a_pwm():
    b = SimBoard("pico", seed=65, flash_dir="build/sim_flash/test_cpu_ctl2")

    def go():
        import machine

        machine.PWM(machine.Pin(16), freq=20000, duty_u16=0)
        machine.mem32[_VREG] = machine.mem32[_VREG] & ~0xF0 | 0xC0
        _raises(lambda: machine.freq(200000000), "after a PWM")
    b.call(go)
    assert b.hw.cpu_hz == 125000000


class _Machine:
    # A stand-in machine for hal_setup.cpu_clock alone: a core regulator that
    # may or may not confirm the voltage asked (ROK, bit 12).
    def __init__(self, confirms):
        self.confirms = confirms
        self.hz = 125000000
        self.ops = []
        self.mem32 = self

    def freq(self, hz=None):
        if hz is None:
            return self.hz
        self.ops.append(("freq", hz))
        self.hz = hz

    def __getitem__(self, addr):
        return self.reg

    def __setitem__(self, addr, value):
        self.ops.append(("vreg", addr, value))
        self.reg = value & 0xF3 | (0x1000 if self.confirms else 0)

    reg = 0x10B1


class _Time:
    def sleep_ms(self, ms):
        pass


def test_a_core_that_does_not_confirm_its_voltage_keeps_the_clock():
    from firmware import hal_setup

    hal_setup.time = _Time()  # CPython's time has no sleep_ms
    board = {"cpu": (200000000, 1150)}
    ok = _Machine(True)
    hal_setup.cpu_clock(ok, board)
    assert ok.ops == [("vreg", _VREG, 0x10C1), ("freq", 200000000)], ok.ops
    hal_setup.cpu_clock(ok, board)  # already there: nothing again
    assert len(ok.ops) == 2
    bad = _Machine(False)
    hal_setup.cpu_clock(bad, board)
    assert bad.ops == [("vreg", _VREG, 0x10C1)] and bad.hz == 125000000, bad.ops
    none = _Machine(True)
    hal_setup.cpu_clock(none, {"cpu": None})
    assert none.ops == []

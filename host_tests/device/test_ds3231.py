# Issue 17 item 3: the optional DS3231 real-time clock module keeps UTC through
# power cuts and resets; at boot its time sets the board's clock (main.py), so
# the journal's start and SR-22's schedule warnings work without a host; the
# console's clock_set writes it. A module that lost its time (OSF), or does
# not answer, leaves the clock unknown and the device working. The firmware's
# register code (firmware/ds3231.py) against the simulated module
# (tools/sim/ds3231.py, from the datasheet's register map), then the whole
# firmware on the simulated Pico with the module (firmware/boards/pico_rtc.py).
from support import journal

from firmware import ds3231
from tools.sim.clock import Clock
from tools.sim.ds3231 import DS3231


class _Bus:
    # The port's I2C calls the firmware makes, onto one simulated module.
    def __init__(self, dev):
        self.dev = dev

    def readfrom_mem(self, addr, reg, n):
        assert addr == 0x68
        return self.dev.read(reg, n)

    def writeto_mem(self, addr, reg, buf):
        assert addr == 0x68
        self.dev.write(reg, buf)


def _module():
    clock = Clock()
    dev = DS3231(clock)
    return clock, dev, _Bus(dev)


def test_a_new_module_has_no_time_and_a_written_one_keeps_it():
    clock, dev, bus = _module()
    assert ds3231.read(bus) is None  # OSF: set at the module's first power-up
    ds3231.write(bus, (2026, 12, 6, 6, 23, 59, 58, 0))  # a Sunday, machine.RTC's tuple
    assert not dev.osf and dev.writes == 1
    assert ds3231.read(bus) == (2026, 12, 6, 23, 59, 58)
    clock.us += 2500000  # its own oscillator: over midnight
    assert ds3231.read(bus) == (2026, 12, 7, 0, 0, 0)
    assert dev.read(3, 1)[0] == 1  # the weekday register: Monday 1 (written Sunday 7)


def test_a_module_in_12_hour_mode_reads_in_24():
    clock, dev, bus = _module()
    dev.h12 = True
    for hh in (0, 1, 11, 12, 13, 23):
        dev.set(2027, 2, 28, hh, 30, 0)
        assert ds3231.read(bus) == (2027, 2, 28, hh, 30, 0), hh


def test_an_impossible_time_and_a_silent_bus_raise():
    clock, dev, bus = _module()
    dev.set(2026, 12, 6, 12, 0, 0)

    class _Garbled(_Bus):
        def readfrom_mem(self, addr, reg, n):
            b = bytearray(self.dev.read(reg, n))
            if reg == 0:
                b[5] = 0x13  # month 13
            return bytes(b)

    try:
        ds3231.read(_Garbled(dev))
        raise AssertionError("no error")
    except ValueError as e:
        assert "impossible" in str(e)
    dev.present = False  # unplugged: no acknowledge, as fakemachine.I2C raises it
    from tools.sim import fakemachine

    class _Hw:
        rtc_module = dev

    fakemachine.hw = _Hw()
    try:
        ds3231.read(fakemachine.I2C(0, scl=None, sda=None))
        raise AssertionError("no error")
    except OSError as e:
        assert e.args[0] == 5


# ---- the whole firmware on the simulated Pico with the module ----

def _board(name, seed=23):
    from tools.sim.simboard import SimBoard

    return SimBoard("pico_rtc", seed=seed, flash_dir="build/sim_flash/test_ds3231_" + name)


def _session(b):
    # A session started at 1 s (held 2.5 s) and stopped at 20 s; its record.
    b.press_button(1.0, 2.5)
    b.press_button(20.0, 2.5)
    b.run(45.0)
    assert not b.crashes and b.boots == 1, (b.crashes, b.boots)
    recs = journal(b)
    assert len(recs) == 1 and recs[0]["end"] == "user", recs
    return recs[0]


def test_at_boot_the_modules_time_sets_the_clock_and_the_journal_has_its_start():
    # The board's own clock reads 2000-01-01 (unset, as after a power cut);
    # the module was set earlier. SR-22 reads the same clock.
    b = _board("set")
    b.hw.rtc_module.set(2026, 12, 6, 10, 0, 0)
    rec = _session(b)
    assert b.hw.rtc_set[:3] == (2026, 12, 6) and b.hw.rtc_set[3] == 6, b.hw.rtc_set
    # The start gesture's release at 3.5 s (then the debounce): 10:00:03.
    assert rec["start"] == "2026-12-06T10:00:03Z", rec
    assert rec["schedule"] == "none"


def test_a_module_that_lost_its_time_or_does_not_answer_leaves_the_clock_unknown():
    for name, lost in (("lost", True), ("absent", False)):
        b = _board(name)
        if lost:
            assert b.hw.rtc_module.osf  # new, never set
        else:
            b.hw.rtc_module.set(2026, 12, 6, 10, 0, 0)
            b.hw.rtc_module.present = False
        rec = _session(b)
        assert b.hw.rtc_set is None, name  # the board's clock untouched
        assert rec["start"] is None and rec["on_s"] > 5, (name, rec)


def test_clock_set_writes_the_module_which_sets_the_clock_at_the_next_boot():
    b = _board("console")
    dev = b.hw.rtc_module

    def go():
        from firmware import console

        return console.clock_set(2026, 12, 6, 21, 30, 0)

    assert b.call(go) == [2026, 12, 6, 21, 30, 0]
    assert not dev.osf and dev.writes == 1
    # A power cut: the board's clock starts again from 2021-01-01 (the RP2040,
    # platform.md), the module's runs on. The next boot takes the module's.
    b.clock.epoch_s = 7671 * 86400 - b.clock.us // 1000000
    b.hw.rtc_set = None
    b.run(2.0)
    assert b.hw.rtc_set is not None and b.hw.rtc_set[:7] == (2026, 12, 6, 6, 21, 30, 0), \
        b.hw.rtc_set

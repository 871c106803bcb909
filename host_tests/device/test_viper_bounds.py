# The viper code of the every-millisecond tick (App.tick, Hal.sense and
# set_current_ua, Supervisor.check and _sensors, Regulator.step) computes in
# machine words: 32 bits on the boards, where a result past 2**31 wraps
# silently. Here, in CPython, with viper's ptr32 replaced by a view that
# watches every word: every arithmetic result stays within 2**31 at the
# boards' extreme readings (full scale at the calibration's largest gain and
# offset, scaled to the peak at the least pulsed duty), and every word read
# back is non-negative (the unix port's viper zero-extends ptr32 loads: a
# negative word would read differently there than on a board, and the
# unix-port tests would not test the boards' code).
import builtins
import sys
from array import array

import micropython
from support import HAND, FakeHal, bounded_int, make_app, run_ticks, skip

from firmware import hal_setup, limits, store
from firmware.boards import load
from firmware.regulator import Regulator
from firmware.supervisor import Supervisor

Word = bounded_int(2 ** 31)
_MIN_DUTY_PCT = 10  # hal.set_pulsed: pulsed DC at 10-90 % duty


class _Watched:
    # What ptr32(array) gives viper code: here every word read is a Word and
    # must be non-negative; a store past 32 bits raises (array "i").
    def __init__(self, words):
        self._words = words

    def __getitem__(self, i):
        v = self._words[i]
        assert v >= 0, ("a negative word read back", i, v)
        return Word(v)

    def __setitem__(self, i, v):
        self._words[i] = int(v)


def _watching():
    if sys.implementation.name == "micropython":
        skip("checked in CPython: an int subclass watches every operation")
    real = builtins.ptr32
    builtins.ptr32 = _Watched
    return real


def _extremes(board_name):
    # The largest readings either way (uA, mV), as the peak of the least
    # pulsed duty: the hal's (code - offset) x mul >> 12 with the largest
    # gain, at full scale with the lowest offset and at code 0 with the highest.
    board = load(board_name)
    hi = board["adc_linear_max_mv"] if board["adc_kind"] == "uv" else 4095
    lo_hi = []
    for offset in (store.OFFSET_MAX, -store.OFFSET_MAX):
        cal = {ch: {"offset": offset, "gain_ppm": store.GAIN_MAX_PPM}
               for ch in ("current", "voltage", "rail", "battery", "set")}
        s = hal_setup.scales(board, cal, 12, 65535)
        lo_hi.append(s)
    out = []
    for k in (0, 1):  # current, voltage
        mul, off_high, off_low = lo_hi[0][k], lo_hi[0][4 + k], lo_hi[1][4 + k]
        out.append(((0 - off_high) * mul >> 12, (hi - off_low) * mul >> 12))
    return [(lo * 100 // _MIN_DUTY_PCT, top * 100 // _MIN_DUTY_PCT) for lo, top in out]


def test_the_supervisor_check_stays_in_machine_words():
    real = _watching()
    try:
        for board in ("pico", "esp32_devkitc"):
            (i_lo, i_hi), (v_lo, v_hi) = _extremes(board)
            hal = FakeHal(load(board))
            sup = Supervisor(hal, hal.board, lambda on: None, True)
            sup.start_watchdog()
            hal.hold_codes = True  # frozen codes: the frozen windows run to their end
            for on in (True, False):
                hal.output_is_on = on
                for code in (0, 512, 2000, hal.code_hi):
                    hal.code_i = hal.code_v = code
                    for i in (i_lo, 0, 15000, i_hi):
                        for v in (v_lo, 0, 49500, v_hi):
                            for dt in (0, 1000, 1 << 24):
                                sup.check(Word(i), Word(v), Word(limits.MAX_SET_UA), Word(dt))
                                hal.code_rail = hal.code_bat = code
                                sup.check_slow(Word(v_hi), Word(v_hi), Word(dt))
                                sup.drive(3, True, Word(limits.MAX_SET_UA))
                    sup.fault = 0  # latched: cleared, so the next paths run too
            # A code held at an RP2040 widened code with a steady command (the
            # probe's path): its window must not grow past a word, however
            # long it lasts.
            hal.output_is_on = True
            hal.code_i = hal.code_v = 512
            for _ in range(300):
                sup.check(Word(15000), Word(49500), Word(15000), Word(1 << 24))
                sup.drive(3, True, Word(15000))
    finally:
        builtins.ptr32 = real


def test_the_regulator_step_stays_in_machine_words():
    real = _watching()
    try:
        for board in ("pico", "esp32_devkitc"):
            (i_lo, i_hi), (v_lo, v_hi) = _extremes(board)
            r = Regulator(2000)
            for goal in (limits.MAX_SET_UA, 0):
                r.set_goal(goal)
                for i in (i_lo, 0, i_hi, -1):
                    for sink in (v_lo - i_hi, 0, v_hi):
                        for dt in (0, 1000, 1 << 24):
                            for _ in range(300):  # the integral and the average run out
                                r.step(Word(i), Word(sink), Word(dt))
            assert r.target_ua() == 0 and r.integ == 0
    finally:
        builtins.ptr32 = real


def test_the_app_tick_stays_in_machine_words():
    real = _watching()
    try:
        app, hal = make_app()
        run_ticks(app, 1000, HAND)
        (i_lo, i_hi), (v_lo, v_hi) = _extremes("pico")
        hal.pulse_duty_pct = _MIN_DUTY_PCT
        hal.output_is_on = True
        now = 0x3FFFFFFF - 5000  # across the clock's wrap
        for i, v in ((i_lo * _MIN_DUTY_PCT // 100, v_lo * _MIN_DUTY_PCT // 100),
                     (i_hi * _MIN_DUTY_PCT // 100, v_hi * _MIN_DUTY_PCT // 100)):
            hal.i_ua, hal.v_mv = i, v
            for gap in (0, 1000, (1 << 29) - 1):  # ticks_diff's largest: clamped to 16 s
                for _ in range(64):  # every job slot, twice
                    now = (now + gap) & 0x3FFFFFFF
                    app.tick(Word(now))
                    app.job()
                    hal.output_is_on = True
    finally:
        builtins.ptr32 = real


def test_the_hal_sense_and_set_point_stay_in_machine_words():
    # Hal.sense and Hal.set_current_ua (viper) on the real hal over
    # tools/sim/benchmachine.py: every code from 0 to full scale at the
    # calibration's largest gain with either extreme offset, every command up
    # to beyond full scale. (The pico: the esp32's codes, mV at the pin, are
    # smaller.)
    real = _watching()
    try:
        from firmware.hal import Hal
        from tools.sim import benchmachine

        board = load("pico")
        # The board's clock as startup sets it (hal_setup.cpu_clock, which
        # waits with MicroPython's time.sleep_ms: test_cpu_clock.py).
        benchmachine.freq(board["cpu"][0])
        for offset in (store.OFFSET_MAX, -store.OFFSET_MAX):
            cal = {ch: {"offset": offset, "gain_ppm": store.GAIN_MAX_PPM}
                   for ch in ("current", "voltage", "rail", "battery", "set")}
            hal = Hal(benchmachine, board, cal)
            for pin in (board["pin_adc_current"], board["pin_adc_voltage"]):
                for code in (0, 1, 2047, 4095):
                    benchmachine.adc(pin).u16 = code << 4
                    hal.sense()
            for ua in (0, 1, limits.MAX_SET_UA, 1 << 20):
                hal.set_current_ua(Word(ua))
                assert 0 <= hal.duty <= 65535
    finally:
        builtins.ptr32 = real


@micropython.viper
def _read_word(words) -> int:
    p = ptr32(words)
    return p[0]


def test_the_unix_port_reads_a_negative_word_zero_extended():
    # Why every word is kept non-negative: on this 64-bit port a viper ptr32
    # load zero-extends, so -3 reads as 2**32 - 3 (on the 32-bit boards it
    # reads -3). When a MicroPython release changes this, this test says so.
    if sys.implementation.name != "micropython":
        skip("a fact of MicroPython's viper on a 64-bit port")
    got = _read_word(array("i", [-3]))
    assert got == 2 ** 32 - 3, got
    assert _read_word(array("i", [5])) == 5

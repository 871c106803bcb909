# The whole firmware on the simulated board (CPython and unix port): SR-1 boot
# order, SR-2/SR-3 no output before the watchdog.
# One file per group: each device test file gets its own unix-port interpreter
# and heap, which here holds the simulator's model too.

# device-tests: one interpreter per test (a simulated board each)
from tools.sim import fakemachine
from tools.sim.simboard import SimBoard

OUTPUTS = ("pin_enable", "pin_set", "pin_relay", "pin_trip_reset", "pin_buzzer", "pin_led")


def test_boot_drives_every_output_low_before_anything_else():
    # SR-1: boot.py's first statements drive every output low.
    b = SimBoard("pico", seed=2, flash_dir="build/sim_flash/test_boot", log_hw=True)
    board = b.board
    hw = b.hw
    # As after a soft reset: the enable high, the set PWM still running.
    hw.mode[board["pin_enable"]] = "out"
    hw.level[board["pin_enable"]] = 1
    hw.mode[board["pin_set"]] = "pwm"
    hw.pwm[board["pin_set"]] = [20000, 65535, 1.0]
    hw.mode[board["pin_relay"]] = "out"
    hw.level[board["pin_relay"]] = 1
    b.boot_only()
    first = hw.log[:len(OUTPUTS)]
    expected = [("pin", board[k], fakemachine.Pin.OUT, 0) for k in OUTPUTS]
    assert first == expected, first
    for k in OUTPUTS:
        assert hw.mode[board[k]] == "out" and hw.level[board[k]] == 0, k
    assert b.circuit.gate == 0.0 and b.circuit.set_frac == 0.0


def test_boot_with_a_broken_board_description_raises_nothing_and_drives_nothing():
    # SR-1: a failing import in boot.py leaves the outputs to their pull-downs.
    b = SimBoard("pico", seed=3, flash_dir="build/sim_flash/test_boot_bad", log_hw=True)
    b.write_file("board.txt", "no_such_board\n")
    b.boot_only()  # prints why; never raises
    assert b.hw.log == []  # the pull-downs hold every output (hardware.md)
    assert b.circuit.gate == 0.0


def test_output_cannot_be_enabled_before_the_watchdog_runs():
    # SR-2, SR-3: the one way on refuses until the watchdog runs.
    b = SimBoard("pico", seed=4, flash_dir="build/sim_flash/test_wdt_first")

    def go():
        import machine

        from firmware import store
        from firmware.hal import Hal

        hal = Hal(machine, b.board, store.nominal_calibration())
        try:
            hal.output_on()
        except RuntimeError:
            pass
        else:
            raise AssertionError("output_on before the watchdog")
        assert not hal.output_is_on
        hal.start_watchdog(1000)
        hal.output_on()
        assert hal.output_is_on
        hal.output_off()

    b.call(go)
    assert b.circuit.gate == 0.0



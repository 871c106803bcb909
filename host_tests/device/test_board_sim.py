# The whole firmware (boot.py, main.py, app) on the simulated board, in CPython
# and in the MicroPython unix port: SR-1 (safe by default), SR-2/SR-3 (no
# output before the watchdog), SR-3/SR-4 (an unfed watchdog resets the board,
# and treatment never resumes by itself).
import sys

from tools.sim import fakemachine
from tools.sim.simboard import SimBoard

OUTPUTS = ("pin_enable", "pin_set", "pin_relay", "pin_trip_reset", "pin_buzzer", "pin_led")


def _treating(seed, at_s):
    # A board whose person starts a session; `seen` fills in at at_s.
    b = SimBoard("pico", seed=seed, flash_dir="build/sim_flash/test_" + str(seed))
    b.press_button(1.0, 2.5)
    return b, b.snapshot_at(at_s)


def test_boot_drives_every_output_low_before_anything_else():
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
    b = SimBoard("pico", seed=3, flash_dir="build/sim_flash/test_boot_bad", log_hw=True)
    b.write_file("board.txt", "no_such_board\n")
    b.boot_only()  # prints why; never raises
    assert b.hw.log == []  # the pull-downs hold every output (hardware.md)
    assert b.circuit.gate == 0.0


def test_output_cannot_be_enabled_before_the_watchdog_runs():
    b = SimBoard("pico", seed=4, flash_dir="build/sim_flash/test_wdt_first")

    def go():
        from firmware import store
        from firmware.hal import Hal

        hal = Hal(b.board, store.NOMINAL)
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


def _boom(*args):
    raise RuntimeError("injected")


def _inject(b, module, cls, meth, at_s):
    def do(b):
        m = sys.modules[module]
        setattr(getattr(m, cls) if cls else m, meth, _boom)
    b.at(at_s, do)


def test_an_exception_anywhere_in_the_app_leaves_the_output_off():
    # SR-1: main.py's finally switches every output off first.
    places = (("firmware.regulator", "Regulator", "step"),
              ("firmware.supervisor", "Supervisor", "check"),
              ("firmware.session", "Session", "step"),
              ("firmware.ui", None, "led_level"),
              ("firmware.hal", "Hal", "read_current_ua"),
              ("firmware.app", "App", "tick"))
    seed = 10
    for module, cls, meth in places:
        b, seen = _treating(seed, 36)
        seed += 1
        _inject(b, module, cls, meth, 36.2)
        after = b.snapshot_at(36.4)
        b.run(36.5)
        assert seen["state"] == 3 and seen["true_i_ua"] > 14000, (module, seen)
        assert len(b.crashes) == 1, (module, b.crashes)
        assert after["gate"] == 0.0 and after["true_i_ua"] == 0, (module, after)
        assert b.hw.level[b.board["pin_enable"]] == 0, module


def test_an_unfed_watchdog_resets_the_board_and_treatment_does_not_resume():
    # SR-3: a loop that stops feeding is reset within the timeout (1000 ms);
    # SR-4: after it, the board boots safe and does not start by itself.
    b, seen = _treating(20, 40)

    def stop_feeding(b):
        sys.modules["firmware.supervisor"].Supervisor.end_tick = lambda self: None

    b.at(40.0, stop_feeding)
    later = b.snapshot_at(60.0)
    b.run(60.5)
    assert seen["state"] == 3
    assert len(b.resets) == 1, b.resets
    t_us, cause = b.resets[0]
    assert cause == fakemachine.WDT_RESET
    assert 40000000 < t_us <= 41001000 + 2000, t_us
    assert b.boots == 2 and b.hw.reset_cause == fakemachine.WDT_RESET
    assert later["state"] == 0  # idle: waits for the start gesture again
    assert later["gate"] == 0.0 and later["true_i_ua"] == 0


def test_a_hung_loop_is_reset_by_the_watchdog():
    # S11: the loop hangs in a sleep; only the watchdog ends it.
    b, seen = _treating(21, 40)
    b.at(40.0, lambda b: setattr(b.clock, "hang", True))
    b.at(41.5, lambda b: setattr(b.clock, "hang", False))
    after = b.snapshot_at(44.0)
    b.run(45.0)
    assert seen["state"] == 3
    assert len(b.resets) == 1 and b.resets[0][1] == fakemachine.WDT_RESET
    assert b.resets[0][0] <= 41002000
    assert after["gate"] == 0.0 and after["state"] == 0

# SR-20: the button held at power-up is safe mode: main.py starts no app, the
# REPL is free, the output stays off, and the LED blinks very fast while the
# buzzer ticks five times (firmware/safe_mode.py, from a soft timer: rp2 has
# only timer -1, esp32 only 0-3, and the fake machine refuses the others).
# device-tests: one interpreter per test (a simulated board each)
from tools.sim.simboard import SimBoard


def _safe_mode(board_name, seed):
    b = SimBoard(board_name, seed=seed, flash_dir="build/sim_flash/safe_" + board_name)
    b.hw.button_down = True  # held from power-up ...
    b.at(3.0, lambda b: setattr(b.hw, "button_down", False))  # ... released later
    b.at(10.0, lambda b: setattr(b.hw, "button_down", True))  # a start gesture: ignored
    b.at(12.5, lambda b: setattr(b.hw, "button_down", False))
    seen = {"led": 0, "buzz": 0, "last_led": 0, "last_buzz": 0, "enable": 0}
    led, buzz, enable = b.board["pin_led"], b.board["pin_buzzer"], b.board["pin_enable"]

    def look(b):
        lv, bv = b.hw.level[led], b.hw.level[buzz]
        seen["led"] += 1 if lv and not seen["last_led"] else 0
        seen["buzz"] += 1 if bv and not seen["last_buzz"] else 0
        seen["last_led"], seen["last_buzz"] = lv, bv
        seen["enable"] |= b.hw.level[enable]
        if b.clock.us < 14000000:
            b.at(b.clock.us / 1e6 + 0.025, look)

    b.at(0.001, look)
    b.run(15)
    return b, seen


def _check(b, seen):
    assert not b.crashes, b.crashes
    assert b.status() is None  # no app ran
    assert seen["enable"] == 0 and b.circuit.max_i_ua == 0
    assert 130 <= seen["led"] <= 145, seen  # about 10 blinks a second for 14 s
    assert seen["buzz"] == 5, seen


def test_safe_mode_on_the_pico():
    _check(*_safe_mode("pico", 95))


def test_safe_mode_on_the_esp32():
    _check(*_safe_mode("esp32_devkitc", 96))

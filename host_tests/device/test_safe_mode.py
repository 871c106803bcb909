# SR-20: the button held at power-up is safe mode: main.py starts no app, the
# REPL is free, the output stays off, and the LED blinks very fast while the
# buzzer ticks five times (firmware/safe_mode.py, from a soft timer: rp2 has
# only timer -1, esp32 only 0-3, and the fake machine refuses the others).
# SR-4 there too: after an unplanned restart safe mode blinks fault 7 instead
# and journals the restart (firmware/startup.py after_reset); a planned one
# (reset.planned) is the plain safe mode.
# device-tests: one interpreter per test (a simulated board each)
import json

from tools.sim import fakemachine
from tools.sim.simboard import SimBoard


def _safe_mode(board_name, seed, setup=None, edges=False):
    b = SimBoard(board_name, seed=seed, flash_dir="build/sim_flash/safe_" + board_name)
    if setup is not None:
        setup(b)
    b.hw.button_down = True  # held from power-up ...
    b.at(3.0, lambda b: setattr(b.hw, "button_down", False))  # ... released later
    b.at(10.0, lambda b: setattr(b.hw, "button_down", True))  # a start gesture: ignored
    b.at(12.5, lambda b: setattr(b.hw, "button_down", False))
    seen = {"led": 0, "buzz": 0, "last_led": 0, "last_buzz": 0, "enable": 0,
            "edges": [(0, 0)] if edges else None}  # the LED's edges: for a code's blinks
    led, buzz, enable = b.board["pin_led"], b.board["pin_buzzer"], b.board["pin_enable"]

    def look(b):
        lv, bv = b.hw.level[led], b.hw.level[buzz]
        seen["led"] += 1 if lv and not seen["last_led"] else 0
        seen["buzz"] += 1 if bv and not seen["last_buzz"] else 0
        if edges and lv != seen["last_led"]:
            seen["edges"].append((b.clock.us, lv))
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


_LAST = {"v": 1, "id": 7, "profile": 0, "reversed_start": 1, "end": "timer", "fault": "none"}


def _after_watchdog(b):
    b.hw.reset_cause = fakemachine.WDT_RESET
    b.write_file("journal.jsonl", json.dumps(_LAST) + "\n")
    b.write_file("config.json", '{"profile": 1}')


def _records(b):
    return [json.loads(x) for x in (b.read_file("journal.jsonl") or "").splitlines()]


def test_safe_mode_after_a_watchdog_reset_at_rest_blinks_code_7_and_journals_it():
    # SR-4 through safe mode (SR-20: no app, no current): the record the app's
    # boot would have written ("reset": no session ran), shown as fault 7.
    from fault_checks import blinks

    b, seen = _safe_mode("pico", 97, _after_watchdog, edges=True)
    assert not b.crashes and b.status() is None, b.crashes
    assert seen["enable"] == 0 and b.circuit.max_i_ua == 0
    sizes, lengths = blinks(seen["edges"], 14000000, (500, 200))
    assert sizes and all(n == 7 for n in sizes), sizes  # code 7 (firmware/ui.py), not the blink
    assert all(170 <= x <= 230 for x in lengths), lengths
    assert _records(b) == [_LAST, {"v": 1, "profile": 1, "reversed_start": 1, "id": 8,
                                   "end": "reset", "reset": "watchdog", "fault": "reset"}]


def test_safe_mode_after_a_planned_reset_is_the_plain_safe_mode():
    # SR-4: a planned reset (reset.planned) is no fault; SR-20: the plain safe mode.
    def planned(b):
        _after_watchdog(b)
        b.write_file("reset.planned", "test\n")

    b, seen = _safe_mode("pico", 98, planned)
    _check(b, seen)
    assert _records(b) == [_LAST] and b.read_file("reset.planned") is None

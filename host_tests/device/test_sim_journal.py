# The journal through the whole firmware on the simulated board (CPython and
# unix port): a timer-ended session and a faulted one, field by field.
# One file per group: its own unix-port interpreter and heap.
# device-tests: one interpreter per test (a simulated board each)
import json

from tools.sim import scenarios
from tools.sim.simboard import SimBoard


def _records(b):
    text = b.read_file("journal.jsonl") or ""
    return [json.loads(line) for line in text.splitlines()]


def test_a_ten_minute_hands_session_is_journaled_after_the_output_is_off():
    # SR-18, SR-21: written once the output is off, with the charge.
    b = SimBoard("pico", seed=50, flash_dir="build/sim_flash/test_journal_s1")
    b.write_file("journal.jsonl", "")
    b.write_file("config.json", json.dumps({"profile": 0, "set_ua": 15000,
                                            "duration_ms": 600000}))
    b.press_button(1.0, 2.5)
    before_end = {}
    b.at(610.0, lambda b: before_end.update({"j": b.read_file("journal.jsonl")}))
    b.run(11 * 60)
    assert not b.crashes, b.crashes
    assert before_end["j"] == ""  # nothing written while the current flowed (SR-18)
    (rec,) = _records(b)
    assert (rec["profile"], rec["set_ua"], rec["planned_s"]) == (0, 15000, 600)
    assert rec["end"] == "timer" and rec["fault"] == "none"
    assert 600 <= rec["on_s"] <= 616 and rec["reversals"] == 1 and rec["pauses"] == 0
    assert 14900 <= rec["min_ua"] and rec["max_ua"] <= 15100
    assert 2500 <= rec["load_end_ohm"] < rec["load_start_ohm"] <= 3500  # the skin softens
    # on 615 s: up 30 s (225 mA*s), 270 s at 15 mA (4050), down 15 s (112), up 30 s
    # (225), 255 s at 15 mA (3825), down 15 s (112): 8550 mA*s = 142.5 mA*min
    assert 141 <= rec["charge_ma_min"] <= 143, rec
    assert 13800 <= rec["mean_ua"] <= 14000, rec


def test_a_short_ends_the_session_with_a_fault_record():
    # SR-13, SR-18
    b = SimBoard("pico", seed=51, flash_dir="build/sim_flash/test_journal_s7")
    b.write_file("journal.jsonl", "")
    scenarios.prepare(b, "S7")  # a short at minute 3
    b.run(3 * 60 + 5)
    assert not b.crashes, b.crashes
    (rec,) = _records(b)
    assert rec["end"] == "fault" and rec["fault"] == "short"
    assert 170 <= rec["on_s"] <= 180

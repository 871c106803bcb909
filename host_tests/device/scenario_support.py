# Scenarios of measures.md through the whole firmware (boot.py, main.py) on the
# simulated board, with the journal record read back from the sim flash.
import json

from support import near  # noqa: F401  (the tests import them from here)

from tools.sim import scenarios
from tools.sim.simboard import SimBoard


def run(name, seed, minutes=0, seen_at=None, watch=None):
    # The scenario on a clean flash; returns (board, journal records).
    # seen_at=(t_s, dict): the dict fills in with a status sample at t_s;
    # watch(board): called before the run (to install an observer).
    b = SimBoard("pico", seed=seed, flash_dir="build/sim_flash/scenario_" + name)
    for f in ("journal.jsonl", "journal.1.jsonl"):
        b.write_file(f, "")
    seconds = scenarios.prepare(b, name)
    if seen_at is not None:
        seen = seen_at[1]
        b.at(seen_at[0], lambda b: seen.update(b.sample()))
    if watch is not None:
        watch(b)
    during = {}
    # SR-18: at 10 minutes the current flows and nothing is on the flash yet.
    b.at(600.0, lambda b: during.update({"j": b.read_file("journal.jsonl")}))
    b.run(minutes * 60 if minutes else seconds)
    assert not b.crashes, b.crashes
    assert b.hw.level[b.board["pin_enable"]] == 0
    if "j" in during:
        assert during["j"] == "", during
    text = b.read_file("journal.jsonl") or ""
    return b, [json.loads(line) for line in text.splitlines()]




def check_common(rec, profile, set_ua, planned_s):
    assert (rec["v"], rec["id"], rec["profile"], rec["set_ua"]) == (1, 1, profile, set_ua), rec
    assert rec["planned_s"] == planned_s and rec["fault"] == "none", rec
    # The simulated board's clock was never set: no start time, no warning (SR-22).
    assert rec["start"] is None and rec["schedule"] == "none", rec
    assert rec["end"] == "timer", rec
    # On time: the planned time plus the final ramp-down (set point / 1 mA/s).
    near(rec["on_s"], planned_s + set_ua // 2000, set_ua // 2000 + 2)
    assert rec["polarity"] == 1 and rec["reversed_start"] == 0 and rec["reversals"] == 1, rec
    # The mean is the charge over the on time, by definition.
    near(rec["mean_ua"], rec["charge_ma_min"] * 60000 // rec["on_s"], 60000 // rec["on_s"] + 1)


def check_trace(b, rec):
    # trace0.bin (firmware/journal.py save_trace): this session's samples, one
    # per second up to 22.5 minutes (then 2 s), and its state changes.
    from firmware import journal  # the one decoder of the layout

    data = b.read_bytes("trace0.bin")
    assert data is not None, "no trace"
    sid, every, i_ua, _, events = journal.decode_trace(data)  # ValueError: not a whole trace
    assert sid == rec["id"]
    assert every == (1 if rec["on_s"] <= 1350 else 2)
    n = len(i_ua)
    assert rec["on_s"] - 2 <= n * every <= rec["on_s"] + 400  # + checks, probe, pauses
    states = [st for _, st in events]
    assert states[:3] == [1, 2, 3], states  # wait_contact, ramp_up, treat
    assert states[-1] == 6, states  # ramp_down
    near(max(i_ua), rec["set_ua"], 300)
    return states

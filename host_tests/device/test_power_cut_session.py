# SR-19 and SR-4, a power cut at seeded random points of a session (S16 at
# any moment, not only in a file write): after it every file on the flash
# reads back (config, calibration, the journal with at most a torn line), the
# cut session is journaled as interrupted, the output never comes back by
# itself, and the RESET fault (code 7) waits for a 2 s hold. A 10-minute
# session with its midway reversal: a cut lands in the ramp, the treatment,
# the reversal or the ramp-down, by the seed.
# device-tests: one interpreter per test
import json

from tools.sim import fakemachine
from tools.sim.clock import BoardReset
from tools.sim.prng import Prng
from tools.sim.simboard import SimBoard

_SESSION_S = 600  # the profile's minimum duration: config.json below
_CONFIG = {"profile": 0, "duration_ms": _SESSION_S * 1000}


def _cut(b):
    raise BoardReset(fakemachine.PWRON_RESET)


def _run(seed, window, stop_at=None):
    # SR-19, SR-4: a cut at a seeded random moment within `window` (seconds of
    # the run; the session starts at 1 s: probe, then the ramp from about 4 s).
    lo, hi = window
    t = lo + Prng(seed).uniform() * (hi - lo)
    b = SimBoard("pico", seed=seed, flash_dir="build/sim_flash/cut_" + str(seed))
    b.write_file("config.json", json.dumps(_CONFIG))
    b.press_button(1.0, 2.5)
    if stop_at is not None:
        b.press_button(stop_at, 2.5)  # the person stops: the ramp-down follows the hold
    b.at(t, _cut)
    during = b.snapshot_at(t - 0.05)
    after = b.snapshot_at(t + 3.0)
    b.run(t + 3.5)
    assert not b.crashes, b.crashes
    assert [c for _, c in b.resets] == [fakemachine.PWRON_RESET], b.resets
    assert json.loads(b.read_file("config.json")) == _CONFIG
    json.loads(b.read_file("calibration.json"))
    lines = (b.read_file("journal.jsonl") or "").splitlines()
    recs = [json.loads(x) for x in lines]  # every line whole: nothing was being written
    assert [r["end"] for r in recs] == ["interrupted"], (t, recs)
    assert (recs[0]["id"], recs[0]["reset"], recs[0]["fault"]) == (1, "restart", "reset")
    assert (after["state"], after["fault"], after["true_i_ua"]) == (8, 7, 0), (t, after)
    assert b.read_file("session.run") is None
    return during


def test_a_power_cut_in_the_ramp():
    # SR-19, SR-4
    assert _run(101, (5.0, 30.0))["state"] == 2


def test_a_power_cut_in_the_treatment():
    # SR-19, SR-4
    assert _run(102, (40.0, 90.0))["state"] == 3


def test_a_power_cut_in_the_ramp_down():
    # SR-19, SR-4
    assert _run(103, (107.0, 114.0), stop_at=100.0)["state"] == 6


def test_a_power_cut_in_the_midway_reversal():
    # SR-19, SR-4, SR-11
    assert _run(104, (307.0, 318.0))["state"] == 5

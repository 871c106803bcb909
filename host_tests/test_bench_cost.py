"""M6/M7's measurement (tools/ionto/m7.py, tools/sim/bench_tick.py) in a short run:
the current tree goes through the harness and gives well-formed figures; e72854b
calibrates the cost model; and the estimate moves: a copy of the current tree
whose tick does extra work estimates higher. (`make bench` runs the long form.)"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from tools.ionto import m7

N = 200  # ticks per timed round: a short run (the bench: 1000)
M6_TICKS = 400
CHIP_STATES = ("idle", "ramp_up", "treat", "paused")
# The tick's first statement: a busy loop of this many passes, native or not.
_TICK_DEF = re.compile(r"^( *)def tick\(self[^\n]*\)[^\n]*:[^\n]*\n", re.M)
_JOB_DEF = re.compile(r"^( *)def job\(self\):[^\n]*\n", re.M)
BURN = 3000  # a few us in native code: well above the run-to-run noise


def _burn(path: str, text: str, pattern: re.Pattern = _TICK_DEF) -> str:
    if path != "firmware/app.py":
        return text
    patched, n = pattern.subn(
        lambda m: m.group(0) + f"{m.group(1)}    for _burn in range({BURN}):\n"
        f"{m.group(1)}        pass\n", text, count=1)
    assert n == 1, f"no {pattern.pattern} line in firmware/app.py to patch"
    return patched


def _burn_job(path: str, text: str) -> str:
    # The same loop in the slow job after the tick (App.job): bytecode there.
    return _burn(path, text, _JOB_DEF)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base: Path = tmp_path_factory.mktemp("bench_ref")
    return {
        "e72854b": m7.measure(m7.tree_at(m7.REF_COMMIT, base), N, M6_TICKS, reverse=False),
        "current": m7.measure(m7.tree_copy("current", base=base), N, M6_TICKS, reverse=False),
        "burn": m7.measure(m7.tree_copy("burn", edit=_burn, base=base), N, M6_TICKS,
                           reverse=False),
        "burn_job": m7.measure(m7.tree_copy("burn_job", edit=_burn_job, base=base), N,
                               M6_TICKS, reverse=False),
    }


def test_the_current_tree_gives_well_formed_figures(runs):
    cur = runs["current"]
    assert cur["api"] in ("tick(now_us)", "tick()")
    assert cur["reached"] == {"ramp_up": True, "treat": True, "paused": True}
    want = {"idle": 0, "ramp_up": 2, "treat": 3, "paused": 4}
    assert set(cur["states"]) == set(want)
    for name, m in cur["states"].items():
        assert m["state"] == want[name] and m["stayed"], (name, m)
        assert m["ref_us"] > 0 and m["app_us"] > m["ref_us"], (name, m)
        assert math.isclose(m["ratio"], sorted(m["ratio_rounds"])[2])  # the median of 5
        assert m["m6_ticks"] == M6_TICKS and m["m6_bytes"] >= 0, (name, m)
        assert m["m6_bytes"] % M6_TICKS == 0, (name, m)  # the same bytes every tick
        assert m["slow_class_pct"] >= 0, (name, m)
        # The period's work: the tick and the slow job after it (App.job).
        assert m["work_ratio"] > m["ratio"] and m["work_slow_class_pct"] >= 0, (name, m)
    # e72854b ran its jobs inside its tick: its work is its tick.
    for name, m in runs["e72854b"]["states"].items():
        assert m["work_ratio"] == m["ratio"], (name, m)


def test_the_model_calibrates_on_e72854b(runs):
    model = m7.calibrate(runs["e72854b"])
    assert model["k_min_us"] <= model["k_us"] <= model["k_max_us"]
    assert set(model["k_by_state_us"]) == set(CHIP_STATES)
    # e72854b's own estimate is the chip's figure within the model's spread.
    est = m7.estimate(model, runs["e72854b"])
    for s in CHIP_STATES:
        assert abs(est[s]["mean_us"] / m7.CHIP[s][0] - 1) <= model["model_err_pct"] / 100 + 1e-9
        assert est[s]["max_us"] >= est[s]["mean_us"]


def _estimates(runs: dict, name: str) -> tuple[dict, dict]:
    # The current tree's estimates and those of the tree `name`, one model.
    model = m7.calibrate(runs["e72854b"])
    return m7.estimate(model, runs["current"]), m7.estimate(model, runs[name])


def test_extra_work_in_the_tick_raises_the_estimate(runs):
    cur, burn = _estimates(runs, "burn")
    for s in CHIP_STATES:
        assert burn[s]["mean_us"] > cur[s]["mean_us"] * 1.15, (s, cur[s], burn[s])
    assert m7.worst(burn)[0] > m7.worst(cur)[0]


def test_extra_work_in_the_job_raises_the_periods_work_not_the_tick(runs):
    # The slow jobs run after the tick (App.job): M7's tick does not carry
    # them, the period's work does.
    cur, burn = _estimates(runs, "burn_job")
    for s in CHIP_STATES:
        assert burn[s]["work_mean_us"] > cur[s]["work_mean_us"] * 1.5, (s, cur[s], burn[s])
        # The tick moves a little (the job's loop leaves the host's caches and
        # branch predictors cold for it: +5 to +40 % seen), the work by the loop.
        rise = burn[s]["work_mean_us"] - cur[s]["work_mean_us"]
        assert burn[s]["mean_us"] - cur[s]["mean_us"] < rise / 20, (s, cur[s], burn[s])
    assert m7.worst(burn, "work_")[0] > m7.worst(cur, "work_")[0]


def test_the_tick_budget_weighs_each_slow_job_by_its_period():
    # docs/testing.md's budget: an every-tick part counts whole, a job that runs
    # every 8 ticks an eighth; the rest of the tick is its own body and calls.
    from tools.ionto.bench import parts_budget

    b = parts_budget({"sup.check": 1.0, "decide (every 8)": 8.0, "report (every 16)": 16.0},
                     5.0, 100.0)
    assert b["per_call_us"] == {"sup.check": 100.0, "decide (every 8)": 800.0,
                                "report (every 16)": 1600.0}
    assert (b["every_tick_us"], b["slow_jobs_us"], b["body_and_calls_us"], b["tick_us"]) == (
        100.0, 200.0, 200.0, 500.0)


def test_the_estimate_at_each_boards_clock_scales_by_the_clock_the_board_sets():
    # make bench's second M7 rows: the 125 MHz estimate at the Pico's own clock
    # (pico.py "cpu": 200 MHz), the ESP32's 160 MHz one at its 240 MHz; a board
    # that keeps its port's default (the Pico W) is not scaled.
    from tools.ionto.bench import ESP32_HZ, RP2040_HZ, at_clock, board_hz

    assert board_hz("pico") == 200000000 and board_hz("picow") is None
    assert board_hz("esp32_devkitc") == 240000000
    assert at_clock(325.0, 625.0, RP2040_HZ, "pico") == (203.125, 390.625)
    assert at_clock(325.0, 625.0, RP2040_HZ, "picow") == (325.0, 625.0)
    mean, mx = at_clock(252.0, 486.0, ESP32_HZ, "esp32_devkitc")
    assert math.isclose(mean, 168.0) and math.isclose(mx, 324.0)

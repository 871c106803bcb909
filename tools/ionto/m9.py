"""M9 of measures.md: false trips and missed faults.

False trips: seeded nominal sessions on the simulated board, each with its own
person (load drawn within the brief's nominal ranges), board (the model's ADC
gain, offset and noise come from the seed) and profile. A nominal session must
never latch a fault nor be refused: a latch here is a false trip, a firmware or
model bug to investigate, never a figure to tune away.

Missed faults: each scenario of S5-S16 that puts a fault (or a hazard the
firmware must answer) in front of the firmware has an expected answer in
EXPECT; `missed()` counts the runs whose answer is absent. It takes any
{name: result} mapping, so a fault matrix can pass its own results and
expectations through the same function.
"""

from __future__ import annotations

import importlib
import json
import random
from concurrent.futures import Executor, ProcessPoolExecutor

SESSIONS = 100  # measures.md M9
DURATION_MS = 600000  # the 10-minute minimum (profiles.MIN_DURATION_MS): time is scarce
PROFILES = (0, 1, 2, 3)  # hands, feet, underarms, child (firmware/profiles.py)
DONE, FAULT = 7, 8  # firmware/states.py
ST_STATE, ST_FAULT, ST_REFUSAL = 0, 7, 17  # firmware/names.py STATUS


def pack_cells(board: str) -> int:
    """The cells of the pack `board`'s build runs on in the circuit model
    (tools/sim/circuit.py pack(): the Pico family one, the ESP32 two)."""
    from tools.sim.circuit import pack

    return pack(importlib.import_module("firmware.boards." + board).BOARD)["cells"]


def nominal(seed: int, board: str | None = None) -> tuple[dict, dict]:
    """(config, model params) of nominal session `seed` on `board` (None: the
    board M9 runs the seed on, board_of): a profile's normal session, and a
    person within the ranges of measures.md (not a fault)."""
    cells = pack_cells(board or board_of(seed))
    r = random.Random(seed)
    skin_start = r.uniform(2500.0, 4300.0)  # a measured DIY session: 1.9-4.3 kOhm
    params = {
        "series_ohm": r.uniform(100.0, 800.0),  # water, tray, electrode: 100-800
        "skin_start_ohm": skin_start,
        "skin_end_ohm": r.uniform(1800.0, 0.8 * skin_start),  # falling over the session
        "skin_fall_s": r.uniform(600.0, 1800.0),
        "skin_walk_pct": r.uniform(0.0, 5.0),  # slow random walk, up to +-5 %
        "skin_uf": r.uniform(0.1, 2.0),
        # White noise sigma: the boards' range, 0.5-3 LSB (issue 14: SR-12's frozen
        # check must not trip on a quiet ADC; the brief's model says 2 LSB).
        "adc_noise_lsb": r.uniform(0.5, 3.0),
        # A charged pack of the board's build: 3.7-4.2 V a cell (design.PACK_V's
        # nominal to full; the same draw as the 2-cell 7.4-8.4 V before issue 18).
        "battery_mv": cells * r.uniform(3700.0, 4200.0),
    }
    config = {"profile": r.choice(PROFILES), "duration_ms": DURATION_MS}
    return config, params


def run_nominal(seed: int, board: str = "pico", noise_lsb: float | None = None) -> dict:
    """One nominal session through the whole firmware (boot.py, main.py);
    noise_lsb: the ADC's noise instead of the seed's."""
    import tools.sim.mpshim  # noqa: F401
    from tools.sim.simboard import SimBoard

    config, params = nominal(seed, board)
    if noise_lsb is not None:
        params["adc_noise_lsb"] = noise_lsb
    b = SimBoard(board, seed=seed, params=params, flash_dir=f"build/m9_flash/{board}_{seed}")
    b.write_file("config.json", json.dumps(config))
    b.press_button(1.0, 2.5)
    seen = {"faults": set(), "refusals": set(), "states": set()}

    def watch():
        st = b.status()
        if st is None:
            return
        seen["states"].add(st[ST_STATE])
        if st[ST_FAULT]:
            seen["faults"].add(st[ST_FAULT])
        if st[ST_REFUSAL]:
            seen["refusals"].add(st[ST_REFUSAL])
        if st[ST_STATE] in (DONE, FAULT) and "end_us" not in seen:
            # The session is over: 5 s more for its journal job, then stop.
            seen["end_us"] = b.clock.us + 5000000
            b.clock.end_us = min(b.clock.end_us, seen["end_us"])

    b.clock.sample_us = 100000  # a latch stays until acknowledged: 0.1 s sees it
    b.clock.observer = watch
    b.run(DURATION_MS / 1000 + 180)  # ramps, contact probe, reversal, with room
    text = b.read_file("journal.jsonl") or ""
    recs = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {"seed": seed, "config": config, "params": params,
            "faults": sorted(seen["faults"]), "refusals": sorted(seen["refusals"]),
            "records": recs, "ended": "end_us" in seen,
            "crashes": [repr(e) for e in b.crashes], "resets": len(b.resets)}


def false_trip(r: dict) -> str | None:
    """Why nominal run r is not a clean session, or None."""
    if r["crashes"] or r["resets"]:
        return f"crashes {r['crashes']} resets {r['resets']}"
    if r["faults"] or any(rec.get("fault") != "none" for rec in r["records"]):
        return f"fault latched: status {r['faults']}, journal {r['records']}"
    if r["refusals"]:
        return f"refused: {r['refusals']}"
    if not r["ended"] or len(r["records"]) != 1 or r["records"][0]["end"] != "timer":
        return f"did not end by its timer: {r['records']}"
    return None


BOARDS = ("pico", "esp32_devkitc")  # odd seeds on the first, even on the second


def board_of(seed: int) -> str:
    return BOARDS[1 - seed % 2]


def nominal_sessions(n: int = SESSIONS, pool: Executor | None = None,
                     seeds: list[int] | None = None, board: str | None = None) -> dict:
    """M9's first half: n seeded nominal sessions (seeds 1-n unless given),
    two at a time unless a pool is given; their latches and refusals. board
    None: both boards, by seed (board_of); else that one."""
    seeds = list(range(1, n + 1)) if seeds is None else seeds
    boards = [board or board_of(s) for s in seeds]
    if pool is None:
        with ProcessPoolExecutor(max_workers=2) as own:
            runs = list(own.map(run_nominal, seeds, boards))
    else:
        runs = list(pool.map(run_nominal, seeds, boards))
    bad = {r["seed"]: why for r in runs if (why := false_trip(r)) is not None}
    return {"sessions": len(seeds),
            "latches": sum(1 for r in runs if r["faults"]
                           or any(rec.get("fault") != "none" for rec in r["records"])),
            "refusals": sum(1 for r in runs if r["refusals"]),
            "not_clean": bad,
            "profiles": {p: sum(1 for r in runs if r["config"]["profile"] == p)
                         for p in PROFILES},
            "boards": {b: boards.count(b) for b in BOARDS}}


# The answer each scenario of S5-S16 must show (tools/sim/scenarios.py), over
# a result of tools/ionto/bench.py _run: faults latched (codes), refusals
# (codes), the states seen, the journal records, the resets. Faults: 3 sensor,
# 4 leak, 5 short, 6 trip, 7 reset, 8 frozen (firmware/faults.py); refusals: 1
# uncalibrated, 3 usb (firmware/session.py).
EXPECT = {
    "S5": ("SR-10: the lift pauses the session, no latch",
           lambda r: 4 in r["states"] and not r["faults"]),
    "S6": ("SR-6: a press is regulated (or cut) without a latch, treatment goes on",
           lambda r: 3 in r["states"] and not r["faults"]),
    "S7": ("SR-13: short latched", lambda r: 5 in r["faults"]),
    "S8": ("SR-12: stuck sensor latched", lambda r: 3 in r["faults"]),
    "S8b": ("SR-12: a current reading frozen at a steady set point latched (frozen)",
            lambda r: 8 in r["faults"]),
    "S9": ("SR-9/SR-12: leak latched", lambda r: 4 in r["faults"]),
    "S10": ("SR-15: hardware trip latched", lambda r: 6 in r["faults"]),
    "S11": ("SR-3/SR-4: watchdog reset, then the reset fault",
            lambda r: len(r["resets"]) >= 1 and 7 in r["faults"]),
    "S12": ("SR-16: battery cut-off ends the session",
            lambda r: any(rec.get("end") == "battery" for rec in r["records"])),
    "S13": ("SR-17: refused on USB power", lambda r: 3 in r["refusals"] and r["max_ua"] < 100),
    "S14": ("SR-20: bounce and a stuck button start nothing",
            lambda r: r["max_ua"] < 100 and not {1, 2, 3} & set(r["states"])),
    "S15": ("SR-19: corrupt calibration refused", lambda r: 1 in r["refusals"]
            and r["max_ua"] < 100),
    "S16": ("SR-19: no torn file after a power cut at any write step",
            lambda r: r["cuts"] > 0 and not r["torn"]),
}


def missed(results: dict, expect: dict | None = None) -> dict:
    """Faults not caught: {name: what was expected} for each result whose
    expected answer is absent. `expect` defaults to EXPECT (S5-S16); a fault
    matrix passes {case: (description, predicate)} with its own results."""
    expect = EXPECT if expect is None else expect
    out = {}
    for name, (what, ok) in expect.items():
        if name not in results:
            out[name] = what + " (not run)"
        elif not ok(results[name]):
            out[name] = what
    return out

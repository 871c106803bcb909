"""`ionto bench`: the figures of measures.md, measured on the real device code.

M1-M5 come from scenarios on the simulated board (CPython, the true current of
the model, sampled every 1 ms); M6 and M7 from tools/ionto/m7.py (the real hal
on a fake machine inside the MicroPython unix port; M7 on the RP2040 is an
estimate from a cost model calibrated on the chip's figures at e72854b); M8
from tools/sim/bench_device.py inside the unix port with a 192K heap; the .mpy
size from tools/check_device; M9 from tools/ionto/m9.py (seeded nominal
sessions; the expected answers of S5-S16, S16 from tools/sim/powercut.py).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tools.device_files import CLONE
from tools.ionto import m7, m8, m9

ROOT = Path(__file__).resolve().parent.parent.parent
TREAT = 3  # firmware/states.py


def _run(name: str, seed: int = 1, tick_cost: int | None = None):
    """Run one scenario; return its per-millisecond measurements. tick_cost:
    the CPU time each tick is charged (tools/sim/tickcost.py), us."""
    import tools.sim.mpshim  # noqa: F401
    from tools.sim import scenarios
    from tools.sim.simboard import SimBoard

    board = SimBoard("pico", seed=seed, flash_dir=f"build/bench_flash/{name}_{seed}",
                     tick_cost=tick_cost)
    seconds = scenarios.prepare(board, name)
    c = board.circuit
    hw = board.hw
    m = {"name": name, "t_treat": [], "i_treat": [], "set_ua": 0, "max_step_10ms": 0.0,
         "reimmerse_excess_ua": 0.0, "faults": set(), "refusals": set(), "states": set()}
    ring = [0.0] * 10
    k = [0]
    contact = [c.contact]
    reimmerse_at = 7 * 60 + 20 if name == "S5" else None

    def probe():
        c.update(board.clock.us / 1e6)
        i = c.i_avg_ua
        st = board.status()
        t = board.clock.us / 1e6
        if st is not None:
            m["states"].add(st[0])
            if st[7]:
                m["faults"].add(st[7])
            if st[17]:
                m["refusals"].add(st[17])
            if st[0] == TREAT:
                m["t_treat"].append(t)
                m["i_treat"].append(i)
                m["set_ua"] = st[2]
            # M3: the largest change within 10 ms, outside fault cuts and outside
            # windows in which the person opened the circuit (a lift: no device
            # holds current through air; the firmware's answer is measured after).
            if c.contact != contact[0] or c.contact == 1:
                contact[0] = c.contact
                k[0] = 0
            if not st[7] and k[0] >= 10:
                step = abs(i - ring[k[0] % 10])
                if step > m["max_step_10ms"]:
                    m["max_step_10ms"] = step
                    m["max_step_t"] = t
        ring[k[0] % 10] = i
        k[0] += 1
        if reimmerse_at is not None and reimmerse_at <= t <= reimmerse_at + 60:
            # M4: above the 0.5 mA/s envelope that starts when the hand is back.
            envelope = 500.0 * (t - reimmerse_at)
            if i - envelope > m["reimmerse_excess_ua"]:
                m["reimmerse_excess_ua"] = i - envelope

    board.clock.sample_us = 1000
    board.clock.next_sample = 0
    board.clock.observer = probe
    inject_reads = {}
    for label, t in _FAULT_AT.items():
        if label == name:
            board.at(t, lambda b: _inject(b, inject_reads))
    board.run(seconds)
    for key in ("faults", "refusals", "states"):
        m[key] = sorted(m[key])
    m["max_ua"] = c.max_i_ua
    st = board.status()
    m["ticks"], m["overruns"] = (st[9], st[10]) if st is not None else (0, 0)  # names.STATUS
    text = board.read_file("journal.jsonl") or ""
    m["records"] = [json.loads(line) for line in text.splitlines() if line.strip()]
    m["crashes"] = [repr(e) for e in board.crashes]
    m["resets"] = board.resets
    if "n" in inject_reads:
        n0 = inject_reads["n"]
        t0 = inject_reads["t"]
        offs = [(t, n) for (t, n) in hw.off_log if t > t0]
        # The first tick after the injection sees the fault (tick n0 + 1); a
        # tick under way may see it already (the trip input, read after the
        # current): 0 ticks.
        m["cutoff_ticks"] = max(0, offs[0][1] - (n0 + 1)) if offs else None
        # The same in time: from the first reading after the injection (the
        # next current reading, or the injection itself when the tick under
        # way saw it first) to enable low and duty 0.
        m["cutoff_ms"] = None
        if offs:
            t_off = offs[0][0]
            seen = hw.watch_t if hw.watch_t is not None and hw.watch_t < t_off else t0
            m["cutoff_ms"] = (t_off - seen) / 1000
        m["was_on"] = any(t <= t0 for (t, _) in hw.off_log) or c.gate > 0 or bool(offs)
    return m


def _inject(b, out: dict) -> None:
    out["n"] = b.hw.current_reads
    out["t"] = b.clock.us
    b.hw.watch_read = b.hw.current_reads + 1  # its time: the first reading after


M5_BAR_MS = 2.0  # measures.md M5: <= 2 ms from the first reading that shows the fault

# When each fault scenario injects its fault (tools/sim/scenarios.py).
_FAULT_AT = {"S7": 180.0, "S8": 300.0, "S8b": 300.0, "S9": 0.5, "S10": 300.0}


def _m1_m2(s1):
    """M1: mean |I - I_set| over the last 60 s of treatment. M2: the worst RMS of
    I - I_set over 1 s windows of treatment (a gap, e.g. the reversal, starts anew)."""
    t, i, set_ua = s1["t_treat"], s1["i_treat"], s1["set_ua"]
    end = t[-1]
    last = [abs(x - set_ua) for tt, x in zip(t, i) if tt >= end - 60]
    m1 = sum(last) / len(last)
    worst = 0.0
    window: list[float] = []
    start = prev = t[0]
    for tt, x in zip(t, i):
        if tt - start >= 1.0 or tt - prev > 0.01:
            if len(window) >= 900:
                worst = max(worst, math.sqrt(sum(e * e for e in window) / len(window)))
            window, start = [], tt
        window.append(x - set_ua)
        prev = tt
    return m1, worst


def _device_figures():
    subprocess.run([sys.executable, "-m", "tools.check_device"], cwd=ROOT, check=True,
                   capture_output=True)
    # M8's heap, as a board imports the firmware: compiled, without line numbers.
    # For this machine (an armv6m .mpy with native code does not load in the unix
    # port; the bytecode is the same for every architecture).
    fig = m8.device_run(m7.compile_tree(m7.tree_copy("m8")))
    total = m7.mpy_bytes(ROOT / "build/mpy/armv6m")
    fig["M8_mpy_bytes"] = total
    # Native code: the rp2 port loads it into the heap, the unix port outside.
    # What it adds on the chip is at least its .mpy growth over bytecode.
    plain = m7.compile_tree(m7.tree_copy("m8_bytecode", edit=m7.strip_native), "armv6m")
    fig["M8_native_extra_bytes"] = m7.native_extra_bytes(ROOT / "build/mpy/armv6m", plain,
                                                         fig["M8_modules"])
    return fig


def _native(dev: dict) -> str:
    extra = dev["M8_native_extra_bytes"]
    return f" +{extra / 1024:.1f} native" if extra else ""


_SHORT = {"ramp_up": "ramp", "paused": "pause", "reversing": "rev"}


def _m6_row(tick: dict) -> tuple:
    cur = tick["runs"]["current"]
    if "error" in cur:
        return ("M6", "bytes per tick", "not run: " + cur["error"][:60], "0", False)
    per = m7.m6(cur)
    names = "/".join(_SHORT.get(s, s) for s in per)
    return ("M6", f"bytes per tick ({names})",
            "/".join(f"{v:g}" for v in per.values()), "0", all(v == 0 for v in per.values()))


# The ESP32 (160 MHz, MicroPython's default) ran a MicroPython benchmark about
# 1.3 times as fast as the RP2040 at 125 MHz: 15.4 s against 19.8 s (scruss.com,
# "MicroPython benchmarking", 2025). A rough scale for its estimate.
ESP32_OVER_RP2040 = 19.8 / 15.4


# The clock each build runs at (firmware/boards/*.py "cpu", set at startup)
# against the clock its estimate is for: the RP2040's at 125 MHz (the chip's
# figures k is calibrated on), the ESP32's at its default 160 MHz (the
# benchmark above). The scaled estimate assumes the tick is CPU-bound: the
# emulated figures had no flash wait states, and at 200 MHz the rp2 port
# slows the flash's divider, so what cache misses cost is not in it.
RP2040_HZ = 125000000
ESP32_HZ = 160000000


def board_hz(name: str) -> int | None:
    """The clock the board sets at startup; None: its port's default, left alone."""
    from firmware.boards import load

    cpu = load(name)["cpu"]
    return cpu[0] if cpu else None


def at_clock(mean: float, mx: float, estimated_hz: int, board: str) -> tuple:
    # A board that keeps its port's default clock runs as the estimate says.
    hz = board_hz(board)
    k = estimated_hz / hz if hz else 1.0
    return mean * k, mx * k


def _bar(mean: float, mx: float) -> bool:
    return mean <= m7.BAR_MEAN_US and mx <= m7.BAR_MAX_US


def _m7_esp32_rows(tick: dict) -> list:
    mean, mx = m7.worst(tick["estimate"]["current"])
    mean, mx = mean / ESP32_OVER_RP2040, mx / ESP32_OVER_RP2040
    cmean, cmx = at_clock(mean, mx, ESP32_HZ, "esp32_devkitc")
    bar = f"<={m7.BAR_MEAN_US}/{m7.BAR_MAX_US} us"
    mhz = (board_hz("esp32_devkitc") or ESP32_HZ) // 1000000
    return [("M7", "tick on the ESP32 at 160 MHz, rough estimate", f"{mean:.0f}/{mx:.0f} us",
             bar, _bar(mean, mx)),
            ("M7", f"tick on the ESP32 at its {mhz} MHz, rough estimate",
             f"{cmean:.0f}/{cmx:.0f} us", bar, _bar(cmean, cmx))]


def _m7_rows(tick: dict) -> list:
    mean, mx = m7.worst(tick["estimate"]["current"])
    bmean, bmx = m7.worst(tick["estimate"]["bytecode"])
    text = (f"{mean:.0f}/{mx:.0f} us (bytecode {bmean:.0f}/{bmx:.0f})"
            if mean == mean else "not run: " + tick["runs"]["current"]["error"][:60])
    cmean, cmx = at_clock(mean, mx, RP2040_HZ, "pico")
    bar = f"<={m7.BAR_MEAN_US}/{m7.BAR_MAX_US} us"
    mhz = (board_hz("pico") or RP2040_HZ) // 1000000
    wmean, wmx = m7.worst(tick["estimate"]["current"], "work_")
    return [("M7", "tick on the RP2040 at 125 MHz, estimate: mean / max", text, bar,
             _bar(mean, mx)),
            ("M7", f"tick on the Pico at its {mhz} MHz, estimate", f"{cmean:.0f}/{cmx:.0f} us",
             bar, _bar(cmean, cmx)),
            # The tick and the slow job after it: what must fit in the period.
            ("M7", "tick + its job, RP2040 at 125 MHz, estimate", f"{wmean:.0f}/{wmx:.0f} us",
             f"<{m7.PERIOD_US} us", wmx < m7.PERIOD_US)]


def _m7_lines(tick: dict) -> list[str]:
    """M7's details: each state, the model, its basis; M6's garbage if any."""
    model = tick["model"]
    lines = []
    for name in ("current", "bytecode", "e72854b"):
        run, est = tick["runs"][name], tick["estimate"][name]
        if "error" in run:
            lines.append(f"M7 {name}: not run: {run['error']}")
            continue
        chip = m7.CHIP if name == m7.REF_COMMIT else {}
        states = ", ".join(
            f"{s} {e['ratio']:.2f} -> {e['mean_us']:.0f}/{e['max_us']:.0f}"
            + (f" (chip {chip[s][0]}/{chip[s][1]})" if s in chip else "")
            + ("" if name == m7.REF_COMMIT else
               f" (with its job {e['work_mean_us']:.0f}/{e['work_max_us']:.0f})")
            + ("" if e["stayed"] else " (state left while timed)") for s, e in est.items())
        lines.append(f"M7 {name} ({run['api']}): ratio to the reference tick in the unix "
                     f"port -> RP2040 estimate mean/max us: {states}")
        per = ", ".join(f"{s} {v:g}" for s, v in m7.m6(run).items())
        left = {s: m["m6_left_bytes"] for s, m in run["states"].items() if m["m6_left_bytes"]}
        lines.append(f"M6 {name}: bytes per tick, micropython.mem_total over {tick['m6_ticks']} "
                     f"ticks a state (frames included): {per}"
                     + (f"; left on the heap for a collection: {left}" if left else ""))
    lines += _parts_lines(tick)
    by_state = ", ".join(f"{s} {v:.1f}" for s, v in model["k_by_state_us"].items())
    lines.append(f"M7 model: k = {model['k_us']:.1f} us of RP2040 per reference tick "
                 f"(e72854b within +-{model['model_err_pct']:.1f} % of the chip; by state: "
                 f"{by_state}); "
                 f"chip figures: {tick['chip_source']}")
    max_from = sorted({e["max_from"] for e in tick["estimate"]["current"].values()})
    lines.append(f"M7 {tick['basis']}; max: the mean x the larger of the chip's max/mean at "
                 f"e72854b and the unix port's slowest tick class (here: {', '.join(max_from)})")
    return lines


def _period(part: str) -> int:
    # A part named "... (every N)" runs every N ticks; any other, every tick.
    return int(part.split("(every ")[1].rstrip(")")) if "(every " in part else 1


def parts_budget(parts: dict, tick_ratio: float, k: float) -> dict:
    """The treatment period's budget on the RP2040 (estimate, us): each part per
    call beyond a call's own overhead; per period on average (tick_ratio: the
    tick and its job), the every-tick parts, the slow jobs (a job "(every N)"
    counts 1/N), and the rest: the tick's and the job's own bodies and calls."""
    fast = sum(r for name, r in parts.items() if _period(name) == 1)
    slow = sum(r / _period(name) for name, r in parts.items() if _period(name) > 1)
    return {"per_call_us": {name: r * k for name, r in parts.items()},
            "every_tick_us": fast * k, "slow_jobs_us": slow * k,
            "body_and_calls_us": (tick_ratio - fast - slow) * k, "tick_us": tick_ratio * k}


def _by_period(per_call: dict) -> list[tuple[str, float]]:
    # The every-tick parts first, then the jobs every 16 and 32 ticks; the
    # costliest first within each (the unix port's JSON keeps no order).
    return sorted(per_call.items(), key=lambda item: (_period(item[0]), -item[1]))


def _parts_lines(tick: dict) -> list[str]:
    run = tick["runs"]["current"]
    if "parts_treat" not in run or "treat" not in run.get("states", {}):
        return []
    b = parts_budget(run["parts_treat"], run["states"]["treat"]["work_ratio"],
                     tick["model"]["k_us"])
    per = ", ".join(f"{name} {us:.0f}" for name, us in _by_period(b["per_call_us"]))
    return [f"M7 budget in treatment, RP2040 estimate, us per call beyond the call itself: {per}",
            f"M7 budget per period on average (the tick and its job): the every-tick parts "
            f"{b['every_tick_us']:.0f}, the slow jobs {b['slow_jobs_us']:.0f}, the tick's and "
            f"the job's own bodies and calls {b['body_and_calls_us']:.0f}, of "
            f"{b['tick_us']:.0f}"]


# A page (128 bytes) on the RP2040's SPI at the ssd1306 driver's rate: 10 MiHz asked,
# 48 MHz / 6 = 8 MHz given (the rp2 port clocks SPI from a 48 MHz peripheral clock
# whatever the CPU's, MicroPython's rp2 quick reference; pico-sdk's spi_set_baudrate
# takes the nearest at or below: prescale 2, post-divide 3): 1024 bits in 128 us.
DISPLAY_WIRE_US = 1024 * 6 / 48


def display_estimate(ref_ticks: list[float], k: float) -> dict:
    """The optional display's slices on the RP2040 (estimate, us: docs/display.md):
    ref_ticks, each slice's cost in reference ticks (tools/sim/bench_display.py:
    the even slices draw a line, the odd ones send a page, which adds the wire)."""
    lines = [ref_ticks[n] * k for n in range(0, 16, 2)]
    sends = [ref_ticks[n] * k + DISPLAY_WIRE_US for n in range(1, 16, 2)]
    return {"line_us": lines, "send_us": sends, "worst_us": max(lines + sends),
            "wire_us": DISPLAY_WIRE_US}


def _display(k: float) -> dict:
    from tools import display_driver

    mp = str(Path(sys.executable).parent / "micropython")
    r = subprocess.run([mp, "-X", "heapsize=192K", "tools/sim/bench_display.py",
                        str(display_driver.source().parent)], cwd=ROOT, capture_output=True,
                       text=True, timeout=300, check=True)
    return display_estimate(json.loads(r.stdout.strip().splitlines()[-1])["slices_ref_ticks"], k)


def display_line(d: dict, decide_us: float | None) -> str:
    step = f"; the session's step {decide_us:.0f} us" if decide_us is not None else ""
    return (f"M7 display (pico_oled, a slice every 32 ticks), RP2040 estimate: the slowest "
            f"line {max(d['line_us']):.0f} us, a page sent {max(d['send_us']):.0f} us "
            f"({d['wire_us']:.0f} us of it on the SPI wire){step}")


def _m6_m7_json(tick: dict) -> dict:
    cur, est = tick["runs"]["current"], tick["estimate"]
    mean, mx = m7.worst(est["current"])
    bmean, bmx = m7.worst(est["bytecode"])
    return {
        "M6_bytes_per_tick": m7.m6(cur),
        "M6_left_bytes": {s: m["m6_left_bytes"] for s, m in cur.get("states", {}).items()},
        "M6_ticks": tick["m6_ticks"],
        "M7_ratio": {s: e["ratio"] for s, e in est["current"].items()},
        "M7_rp2040_est_us": est["current"], "M7_rp2040_est_mean_us": mean,
        "M7_rp2040_est_max_us": mx,
        "M7_work_rp2040_est_mean_max_us": m7.worst(est["current"], "work_"),
        "M7_bytecode_est_us": est["bytecode"],
        "M7_bytecode_est_mean_us": bmean, "M7_bytecode_est_max_us": bmx,
        "M7_pico_clock_hz": board_hz("pico"),
        "M7_pico_est_mean_max_us": at_clock(mean, mx, RP2040_HZ, "pico"),
        "M7_e72854b_est_us": est["e72854b"], "M7_model": tick["model"],
        "M7_chip_us": tick["chip_us"], "M7_chip_source": tick["chip_source"],
        "M7_basis": tick["basis"], "M7_runs": tick["runs"],
    }


def _s16():
    """S16: a power cut at every write step of every file writer (SR-19)."""
    import contextlib
    import io

    import tools.sim.mpshim  # noqa: F401
    from tools.sim import powercut

    with contextlib.redirect_stdout(io.StringIO()):  # the profile gesture's own lines
        return powercut.run_all()


def bench(json_path: str | None, sessions: int = m9.SESSIONS) -> int:
    if not CLONE:  # M7 compiles a reference commit out of git; M6-M8 need the unix port
        print("ionto bench: runs in a clone of the repository (make bench), not from an "
              "installed ionto", file=sys.stderr)
        return 2
    names = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S8b", "S9", "S10",
             "S11", "S12", "S13", "S14", "S15"]
    tick = m7.figures()  # first, alone: the timing has the cores to itself
    # M5 (measures.md): the fault scenarios with ticks that cost what they cost
    # on the chip: each tick charged the M7 estimate's slowest state mean of the
    # period's work (the tick and its job: the simulator charges it before the
    # drive, which errs late).
    m5_cost = int(m7.worst(tick["estimate"]["current"], "work_")[0] + 0.5)
    costs = [m5_cost if n in _FAULT_AT else None for n in names]
    with ProcessPoolExecutor(max_workers=2) as pool:
        s16 = pool.submit(_s16)
        runs = dict(zip(names, pool.map(_run, names, [1] * len(names), costs)))
        runs["S16"] = s16.result()
        nominal = m9.nominal_sessions(sessions, pool)
    missed = m9.missed(runs)
    dev = _device_figures()
    s1 = runs["S1"]
    m1, m2 = _m1_m2(s1)
    set_ua = s1["set_ua"]
    m3 = max(runs[n]["max_step_10ms"] for n in names[:6])
    m3_by = {n: round(runs[n]["max_step_10ms"]) for n in names[:6]}
    m4 = runs["S5"]["reimmerse_excess_ua"]
    m5 = {n: runs[n].get("cutoff_ticks") for n in _FAULT_AT}
    m5_ms = {n: runs[n].get("cutoff_ms") for n in _FAULT_AT}
    m5_faults = {n: runs[n]["faults"] for n in _FAULT_AT}
    rows = [
        ("M1", "steady-state error, S1 last 60 s", f"{m1:.1f} uA",
         f"<= {0.005 * set_ua + 20:.0f} uA", m1 <= 0.005 * set_ua + 20),
        ("M2", "ripple, worst 1 s RMS, S1", f"{m2:.1f} uA ({100 * m2 / set_ua:.3f} %)",
         "<= 1 %", m2 <= 0.01 * set_ua),
        ("M3", "largest change in 10 ms, S1-S6", f"{m3:.1f} uA", "<= 200 uA", m3 <= 200),
        ("M4", "peak above the ramp envelope, S5", f"{m4:.1f} uA", "<= 200 uA", m4 <= 200),
        ("M5", f"cut-off latency, ms, S7-S10 ({m5_cost} us ticks)",
         " ".join(f"{n}:{'-' if v is None else f'{v:.2f}'}" for n, v in m5_ms.items()
                  if n != "S8b"),
         f"<= {M5_BAR_MS:.0f} ms",
         all(v is not None and v <= M5_BAR_MS for n, v in m5_ms.items()
             if n not in ("S9", "S8b"))),
        # A frozen reading shows only once it has not moved for FROZEN_MS: its
        # own bar, SR-12's 500 ms (issue 14 D2), not M5's.
        ("SR-12", "frozen reading at a steady set point cut, S8b",
         "-" if m5_ms["S8b"] is None else f"{m5_ms['S8b']:.0f} ms", "<= 500 ms",
         m5_ms["S8b"] is not None and m5_ms["S8b"] <= 500),
        _m6_row(tick),
        *_m7_rows(tick),
        *_m7_esp32_rows(tick),
        ("M8", "heap after import / running; .mpy total",
         f"{dev['M8_heap_import_bytes'] / 1024:.1f} / {dev['M8_heap_running_bytes'] / 1024:.1f}"
         f" KB{_native(dev)}; {dev['M8_mpy_bytes'] / 1024:.1f} KB", "guard 48 KB",
         max(dev["M8_heap_import_bytes"], dev["M8_heap_running_bytes"])
         + dev["M8_native_extra_bytes"] <= 48 * 1024),
        ("M8", "heap running on the RP2040, estimate", f"{m8.chip_bytes(dev) / 1024:.1f} KB",
         f"<= {m8.CHIP_BAR_BYTES // 1024} KB", m8.chip_bytes(dev) <= m8.CHIP_BAR_BYTES),
        ("M9", f"false trips in {nominal['sessions']} sessions / missed S5-S16",
         f"{nominal['latches']} / {len(missed)}"
         + (f" ({len(nominal['not_clean'])} not clean)" if nominal["not_clean"] else ""),
         "0 / 0", nominal["latches"] == 0 and not nominal["not_clean"] and not missed),
    ]
    print(f"{'id':<4} {'figure':<44} {'measured':<34} {'bar':<12} ok")
    for r in rows:
        print(f"{r[0]:<4} {r[1]:<44} {r[2]:<34} {r[3]:<12} {'yes' if r[4] else 'NO'}")
    print(f"M3 by scenario (uA): {m3_by}; M5 faults latched: {m5_faults}")
    print(f"M7 overruns with ticks of {m5_cost} us (the estimate), ticks started late of "
          "all ticks, by scenario: " + ", ".join(
              f"{n} {runs[n]['overruns']}/{runs[n]['ticks']}" for n in _FAULT_AT))
    print("S9: the output is never on (the leak is seen while idle); its fault: "
          f"{m5_faults['S9']}")
    print(f"M9: {nominal['sessions']} sessions by profile {nominal['profiles']}, "
          f"refused {nominal['refusals']}; S16: {runs['S16']['cuts']} power cuts, "
          f"{len(runs['S16']['torn'])} torn")
    print(f"M8: the firmware's own (tools/ionto/m8.py): names at their qstr entries' size "
          f"(as allocated: {dev['M8_heap_running_bytes_raw'] / 1024:.1f} KB running), the "
          f"real hal's {dev['M8_hal_bytes']} bytes in the fake's {dev['M8_fake_hal_bytes']}; "
          f"the mean of {m8.LAYOUTS} heap layouts")
    if dev["M8_native_extra_bytes"]:
        print(f"M8: native code goes into the RP2040's heap, not into the unix port's: at "
              f"least {dev['M8_native_extra_bytes']} bytes more on the chip (its armv6m .mpy "
              "over the bytecode-only build); the bar counts them")
    for line in _m7_lines(tick):
        print(line)
    display = _display(tick["model"]["k_us"])
    parts = tick["runs"]["current"].get("parts_treat", {})
    decide = parts.get("decide (every 16)")
    print(display_line(display, None if decide is None else decide * tick["model"]["k_us"]))
    for seed, why in nominal["not_clean"].items():
        print(f"M9 seed {seed}: {why}")
    for name, what in missed.items():
        print(f"M9 missed in {name}: {what}")
    bad = [n for n in names if runs[n]["crashes"]]
    if bad:
        print(f"crashes in {bad}")
    out = {
        "M1_ua": m1, "M1_bar_ua": 0.005 * set_ua + 20, "M2_ua": m2, "M2_pct": 100 * m2 / set_ua,
        "M3_ua": m3, "M3_by_scenario_ua": m3_by, "M4_ua": m4, "M5_ticks": m5, "M5_ms": m5_ms,
        "M5_tick_cost_us": m5_cost,
        "M7_overruns": {n: (runs[n]["overruns"], runs[n]["ticks"]) for n in _FAULT_AT},
        "M5_faults": m5_faults, **_m6_m7_json(tick), "M7_display_rp2040_est_us": display,
        **{k: v for k, v in dev.items() if k.startswith("M8")},
        "M8_chip_estimate_bytes": m8.chip_bytes(dev),
        "M9_latches": nominal["latches"], "M9_sessions": nominal["sessions"],
        "M9_refusals": nominal["refusals"], "M9_not_clean": nominal["not_clean"],
        "M9_missed": missed, "M9_power_cuts": runs["S16"]["cuts"],
        "all_bars_met": all(r[4] for r in rows),
    }
    if json_path:
        Path(json_path).write_text(json.dumps(out, indent=2) + "\n")
        print(f"wrote {json_path}")
    return 0 if out["all_bars_met"] and not bad else 1

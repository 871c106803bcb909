"""M7 by instruction count: a deterministic second estimate of the RP2040 tick.

make bench's M7 (tools/ionto/m7.py) times the tick in the unix port against a
reference tick; on this 2-core machine two runs of the same code moved the
estimate by about 10 %. Here valgrind's callgrind counts the x86-64
instructions of one tick instead (tools/sim/tick_instr.py): the count does
not depend on the machine's load, and two runs differ by up to a few 100k of
some 180M instructions (the conservative collector scans addresses that change
from run to run): over 2000 ticks about 100 a tick, half a percent.

The estimate, per session state s, scales the chip's own figure for the tree
measured on it (issue 13: e72854b on the emulated RP2040 at 125 MHz):

  us(tree, s) = CHIP[s] mean x instructions(tree, s) / instructions(e72854b, s)

Assumption (an estimate, so labelled): the ratio of instructions executed by
the same MicroPython C code on x86-64 carries over to the Cortex-M0+ (an
in-order core, about one instruction a cycle but loads and branches). The
viper code is compiled for each architecture by its own emitter, so its share
carries over less well. The chip's emulator had no flash wait states: a lower
bound for a real Pico, as in m7.py.

One tick's count: the run to the state and N ticks, less the same with N x 3
(2N ticks' worth), less the same difference with an empty function in the
tick's place (the harness's loop and the bath). e72854b's run to treatment is
slow under callgrind (about 140,000 instructions a tick over some 35,000
ticks): `make bench-instr` takes several minutes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools.device_files import ROOT
from tools.ionto import m7

STATES = ("idle", "ramp_up", "treat", "paused")  # those the chip measured (m7.CHIP)
N = 1000
_COLLECTED = re.compile(r"Collected : (\d+)")


def valgrind() -> str | None:
    return shutil.which("valgrind")


def harness(compiled: Path, flash: Path, state: str, n: int, what: str,
            under: tuple[str, ...] = ()) -> tuple[dict, str]:
    """One run of tools/sim/tick_instr.py (under a command such as valgrind's):
    its JSON line and its stderr."""
    m7._fresh(flash)
    mp = str(Path(sys.executable).parent / "micropython")
    r = subprocess.run([*under, mp, "-X", f"heapsize={m7.HEAP}", "tools/sim/tick_instr.py",
                        str(compiled), str(flash), state, str(n), what],
                       cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        raise RuntimeError(f"tick_instr {compiled.name} {state} {what} n={n} failed: "
                           f"{r.stdout[-800:]}{r.stderr[-800:]}")
    return json.loads(r.stdout.strip().splitlines()[-1]), r.stderr


def instructions(compiled: Path, state: str, n: int, what: str, flash: Path) -> int:
    """All instructions of one harness run (callgrind's total)."""
    out, err = harness(compiled, flash, state, n, what,
                       ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"))
    got = _COLLECTED.search(err)
    if got is None or not out["reached"]:
        raise RuntimeError(f"tick_instr {compiled.name} {state} {what} n={n}: {out} {err[-800:]}")
    return int(got.group(1))


def per_tick(runs: dict, what: str = "app") -> float:
    """One tick's instructions from the totals {("app"|"work"|"nop", n): total}."""
    (n1, n3) = sorted({n for _, n in runs})
    app = runs[what, n3] - runs[what, n1]
    nop = runs["nop", n3] - runs["nop", n1]
    return (app - nop) / (n3 - n1)


def tick_instructions(compiled: Path, state: str, n: int = N,
                      whats: tuple[str, ...] = ("app",)) -> dict:
    """Per WHAT ("app": the tick; "work": the tick and its job), one tick's count."""
    flash = compiled.parent / (compiled.name + ".flash")
    runs = {(what, k): instructions(compiled, state, k, what, flash)
            for what in (*whats, "nop") for k in (n, 3 * n)}
    return {what: per_tick(runs, what) for what in whats}


def estimate(ref: dict, cur: dict) -> dict:
    """Per state: the chip's e72854b mean x the instruction ratio (us, estimate)."""
    return {s: {"ratio": cur[s] / ref[s], "mean_us": m7.CHIP[s][0] * cur[s] / ref[s]}
            for s in cur if s in ref and s in m7.CHIP}


def figures(states: tuple[str, ...] = STATES, n: int = N) -> dict:
    """e72854b's tick (which ran everything), the current tree's tick and its
    period's work (the tick and the slow job after it)."""
    ref_tree = m7.compile_tree(m7.tree_at(m7.REF_COMMIT))
    cur_tree = m7.compile_tree(m7.tree_copy("current_instr"))
    ref = {s: tick_instructions(ref_tree, s, n)["app"] for s in states}
    both = {s: tick_instructions(cur_tree, s, n, ("app", "work")) for s in states}
    cur = {s: both[s]["app"] for s in states}
    work = {s: both[s]["work"] for s in states}
    return {"instructions": {"e72854b": ref, "current": cur, "current_work": work},
            "estimate": estimate(ref, cur), "estimate_work": estimate(ref, work)}


def lines(fig: dict) -> list[str]:
    ref, cur = fig["instructions"]["e72854b"], fig["instructions"]["current"]
    work = fig["instructions"]["current_work"]
    out = ["M7 by instruction count (callgrind, x86-64 instructions a tick in the unix port; "
           "RP2040 estimate = the chip's e72854b mean x current / e72854b; e72854b's tick "
           "ran its slow jobs inside it):"]
    for s, e in fig["estimate"].items():
        bar = "met" if e["mean_us"] <= m7.BAR_MEAN_US else "NOT met"
        w = fig["estimate_work"][s]
        out.append(f"  {s:8} tick {cur[s]:8.0f} / {ref[s]:8.0f} = {e['ratio']:.3f} -> "
                   f"{e['mean_us']:.0f} us at 125 MHz (mean bar {m7.BAR_MEAN_US}: {bar}); "
                   f"with its job {work[s]:8.0f} -> {w['mean_us']:.0f} us of the "
                   f"{m7.PERIOD_US} us period")
    return out


def main() -> int:
    if valgrind() is None:
        print("make bench-instr: needs valgrind (Debian: apt-get install valgrind)",
              file=sys.stderr)
        return 2
    for line in lines(figures()):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""M6 and M7 of measures.md: what the every-millisecond tick allocates and
costs, and an estimate of its cost on the RP2040.

tools/sim/bench_tick.py runs one firmware tree in the MicroPython unix port
with the real hal on tools/sim/benchmachine.py and reports, per session state,
the tick's time over the reference tick's in the same run (the ratio), the
slowest class of ticks, and the bytes allocated. The chip is not here: its
figures are estimates from a cost model calibrated on the one tree measured
on an RP2040 (CHIP below):

  k_s = chip mean(e72854b, s) / ratio(e72854b, s)  (chip us per reference tick)
  k   = the mean of k_s over the chip's four states; the error: the worst of
        |k / k_s - 1| (how far the model puts e72854b from the chip)
  mean(tree, s) = k x ratio(tree, s)
  max(tree, s)  = mean(tree, s) x the larger of the chip's max/mean at e72854b
                  in that state and 1 + the unix port's slowest class of ticks
                  (tick count mod 32: the slow jobs come every 16th or 32nd tick)
                  over the mean (a single tick cannot be timed there: its clock
                  counts whole microseconds). A slow tick rarer than one in 32
                  shows only through the chip's max/mean.

M7 is the every-millisecond tick (App.tick: readings, checks, regulation,
drive, watchdog). The slow jobs run after it, in the rest of the period
(App.job); the tick and its job together are the period's work, estimated the
same way (work_ratio, work_slow_class_pct) and held under the period (no
overrun). e72854b ran its jobs inside its tick: its work is its tick.

The trees: e72854b (git archive), the working tree ("current", a snapshot, as
the lead may be editing it) and the current tree with every @micropython.native
or .viper line removed ("bytecode": an upper bound that credits no native code).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from tools.check_device import compile_file
from tools.device_files import ROOT, device_files

REF_COMMIT = "e72854b"
# The only chip figures (us per App.tick with the real hal: mean, max).
CHIP_SOURCE = "issue 13: emulated RP2040, MicroPython v1.28.0 rp2 port, commit e72854b"
CHIP = {"idle": (1389, 1455), "ramp_up": (1781, 1848), "treat": (1767, 1839),
        "paused": (1583, 1647)}
BASIS = ("estimate: unix port ratio x k, k calibrated on the emulated RP2040 at e72854b "
         "(no flash wait states: a lower bound for a real Pico)")
BAR_MEAN_US = 250
BAR_MAX_US = 600
PERIOD_US = 1000  # the boards' tick_us: the period's work must fit in it
STATES = ("idle", "ramp_up", "treat", "reversing", "paused")
BASE = ROOT / "build" / "bench_ref"
HEAP = "192K"  # the device tests' board-sized heap
# The trees are compiled for this machine's unix port as a board's are for
# armv6m (.mpy without line numbers, native code for this machine included).
ARCH = "host"
_DECORATOR = re.compile(r"^[ \t]*@micropython\.(native|viper)\b.*\n", re.M)
_TOP = ("boot.py", "main.py", "firmware")


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def tree_at(commit: str = REF_COMMIT, base: Path = BASE) -> Path:
    """A commit's device files, as `git archive` gives them, in base/commit."""
    out = _fresh(base / commit)
    archive = subprocess.run(["git", "archive", commit, *_TOP], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def tree_copy(name: str, src: Path = ROOT, edit: Callable[[str, str], str] | None = None,
              base: Path = BASE) -> Path:
    """A snapshot of a tree's device files in base/name; edit(path, text) -> text
    rewrites each firmware .py (path relative to the tree, e.g. "firmware/app.py")."""
    out = _fresh(base / name)
    for top in _TOP:
        p = src / top
        if p.is_dir():
            shutil.copytree(p, out / top, ignore=shutil.ignore_patterns("__pycache__"))
        elif p.is_file():
            shutil.copy2(p, out / top)
    if edit is not None:
        for f in sorted((out / "firmware").rglob("*.py")):
            f.write_text(edit(f.relative_to(out).as_posix(), f.read_text()))
    return out


def strip_native(path: str, text: str) -> str:
    """No @micropython.native or .viper line: every function as bytecode (a viper
    function's ptr32(array) becomes the array itself, which bytecode indexes alike;
    that small def makes M8's native growth read a few dozen bytes low per file)."""
    out = _DECORATOR.sub("", text)
    if "ptr32(" in out:
        out = "def ptr32(words):\n    return words\n\n\n" + out
    return out


def compile_tree(tree: Path, arch: str = ARCH) -> Path:
    """The tree's firmware as .mpy for arch (default: this port), in a folder of
    its own (the unix port would import a .py before an .mpy of the same name)."""
    out = _fresh(tree.parent / (tree.name + "." + arch))
    for rel in device_files(tree):
        if rel.startswith("firmware/"):
            err = compile_file(rel, arch, out / Path(rel).with_suffix(".mpy"), tree)
            if err is not None:
                raise RuntimeError(f"mpy-cross {arch} failed on {tree.name}/{rel}: {err}")
    return out


def mpy_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.mpy"))


def native_extra_bytes(native: Path, plain: Path, modules: list[str]) -> int:
    """What native code adds to the rp2 port's heap (it loads it there; the unix port
    does not): the .mpy growth of each module in `modules` ("firmware.app", ...: those
    a run holds) over its bytecode-only build. A module a board never loads (the
    display's, without a display) or releases after a job adds nothing."""
    extra = 0
    for m in modules:
        rel = Path(*m.split(".")).with_suffix(".mpy")
        if not (native / rel).exists():
            rel = Path(*m.split("."), "__init__.mpy")  # a package (firmware.boards)
        extra += (native / rel).stat().st_size - (plain / rel).stat().st_size
    return max(0, extra)


def measure(tree: Path, n: int = 1000, m6_ticks: int = 10000, reverse: bool = True,
            timeout: float = 600) -> dict:
    """tools/sim/bench_tick.py on a source tree: its JSON line, and the tree's name.
    n ticks per timed round (5 rounds a state), m6_ticks per state for M6;
    reverse: also reach the midway reversal (about 300,000 ticks, a few seconds)."""
    compiled = compile_tree(tree)
    flash = _fresh(tree.parent / (tree.name + ".flash"))
    mp = str(Path(sys.executable).parent / "micropython")
    r = subprocess.run([mp, "-X", f"heapsize={HEAP}", "tools/sim/bench_tick.py", str(compiled),
                        str(flash), str(n), str(m6_ticks), "1" if reverse else "0"],
                       cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"bench_tick on {tree.name} failed: {r.stdout[-1500:]}"
                           f"{r.stderr[-1500:]}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["tree"] = tree.name
    return out


def calibrate(ref: dict) -> dict:
    """k (chip us per reference tick) from the e72854b run. Its error: how far
    the model puts e72854b itself from the chip, at worst over the states."""
    ks = {s: CHIP[s][0] / ref["states"][s]["ratio"] for s in CHIP}
    k = sum(ks.values()) / len(ks)
    return {"k_us": k, "k_by_state_us": ks, "k_min_us": min(ks.values()),
            "k_max_us": max(ks.values()),
            "model_err_pct": 100 * max(abs(k / v - 1) for v in ks.values()),
            "ref_ratios": {s: ref["states"][s]["ratio"] for s in CHIP}}


def _tail(state: str) -> float:
    # The chip's max/mean at e72854b; a state it did not measure: the largest.
    if state in CHIP:
        return CHIP[state][1] / CHIP[state][0]
    return max(mx / mean for mean, mx in CHIP.values())


def estimate(model: dict, run: dict) -> dict:
    """Per state: the ratio, the estimated mean and max tick on the RP2040 (us),
    and which factor made the max."""
    k = model["k_us"]
    out = {}
    for s, m in _ordered(run):
        mean = k * m["ratio"]
        chip_tail = _tail(s)
        slow = 1 + m["slow_class_pct"] / 100
        work = k * m["work_ratio"]
        wslow = 1 + m["work_slow_class_pct"] / 100
        out[s] = {"ratio": m["ratio"], "mean_us": mean, "max_us": mean * max(chip_tail, slow),
                  "max_from": "chip max/mean" if chip_tail >= slow else "slowest tick class",
                  "work_mean_us": work, "work_max_us": work * max(chip_tail, wslow),
                  "stayed": m["stayed"]}
    return out


def worst(est: dict, what: str = "") -> tuple[float, float]:
    """The worst state's estimated mean and max (us): of the tick, or with
    what="work_" of the period's work (the tick and its job)."""
    if not est:
        return math.nan, math.nan
    return (max(e[what + "mean_us"] for e in est.values()),
            max(e[what + "max_us"] for e in est.values()))


def _try(name: str, make: Callable[[], Path], n: int, m6_ticks: int) -> dict:
    # A tree that does not run yet (a rework half done) is reported, not fatal.
    try:
        return measure(make(), n, m6_ticks)
    except (RuntimeError, subprocess.SubprocessError, ValueError) as e:
        return {"tree": name, "error": str(e).strip().splitlines()[-1][:300], "states": {}}


def figures(n: int = 1000, m6_ticks: int = 10000) -> dict:
    """M6 and M7 for `ionto bench`: the three trees, the model, the estimates."""
    ref = measure(tree_at(REF_COMMIT), n, m6_ticks)
    cur = _try("current", lambda: tree_copy("current"), n, m6_ticks)
    byte = _try("bytecode", lambda: tree_copy("bytecode", edit=strip_native), n, m6_ticks)
    model = calibrate(ref)
    est = {"e72854b": estimate(model, ref), "current": estimate(model, cur),
           "bytecode": estimate(model, byte)}
    return {"model": model, "m6_ticks": m6_ticks, "chip_us": CHIP, "chip_source": CHIP_SOURCE,
            "basis": BASIS, "runs": {"e72854b": ref, "current": cur, "bytecode": byte},
            "estimate": est}


def m6(run: dict) -> dict:
    """Bytes allocated per tick, frames included, per state (M6's bar: 0)."""
    return {s: m["m6_bytes"] / m["m6_ticks"] for s, m in _ordered(run)}


def _ordered(run: dict) -> list[tuple[str, dict]]:
    # The states in the order a session meets them (the harness's JSON has none).
    got = run.get("states", {})
    return [(s, got[s]) for s in STATES if s in got]

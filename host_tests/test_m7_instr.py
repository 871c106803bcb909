"""M7 by instruction count (tools/ionto/m7_instr.py, tools/sim/tick_instr.py):
the harness reaches each state the chip measured, on the current tree and on
e72854b; one tick's count is the difference of two runs less an empty tick's;
callgrind's count repeats (within 0.5 %) and sees added work (a control).
`make bench-instr` runs the long form."""

from __future__ import annotations

from pathlib import Path

import pytest

from host_tests.test_bench_cost import BURN, _burn
from tools.ionto import m7, m7_instr


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base: Path = tmp_path_factory.mktemp("instr")
    return {"current": m7.compile_tree(m7.tree_copy("current", base=base)),
            "e72854b": m7.compile_tree(m7.tree_at(m7.REF_COMMIT, base)),
            "burn": m7.compile_tree(m7.tree_copy("burn", edit=_burn, base=base))}


def _harness(compiled: Path, state: str, n: int, what: str) -> dict:
    return m7_instr.harness(compiled, compiled.parent / (compiled.name + ".flash"), state, n,
                            what)[0]


@pytest.mark.parametrize("state,code", [("idle", 0), ("ramp_up", 2), ("treat", 3),
                                        ("paused", 4)])
def test_the_harness_reaches_each_state_and_stays(trees, state, code):
    # "work": the ticks and their slow jobs (e72854b's tick ran its own), whose
    # session steps keep it in the state.
    for name in ("current", "e72854b"):
        for what in ("work", "nop"):
            got = _harness(trees[name], state, 200, what)
            assert got["reached"] is True, (name, state, what)
            if what == "work":
                assert got["state_after"] == code, (name, state, got)


def test_one_tick_is_the_difference_less_the_empty_ticks():
    # 2000 ticks more cost 2000 x (app - nop) more: 40 - 15 = 25 a tick.
    runs = {("app", 1000): 10_000 + 40 * 1000, ("app", 3000): 10_000 + 40 * 3000,
            ("work", 1000): 10_000 + 50 * 1000, ("work", 3000): 10_000 + 50 * 3000,
            ("nop", 1000): 9_000 + 15 * 1000, ("nop", 3000): 9_000 + 15 * 3000}
    assert m7_instr.per_tick(runs) == 25
    assert m7_instr.per_tick(runs, "work") == 35


def test_the_estimate_scales_the_chips_own_figure():
    est = m7_instr.estimate({"treat": 100_000.0, "idle": 50_000.0},
                            {"treat": 20_000.0, "idle": 50_000.0})
    assert est["treat"]["mean_us"] == pytest.approx(m7.CHIP["treat"][0] * 0.2)
    assert est["idle"]["mean_us"] == pytest.approx(m7.CHIP["idle"][0])


@pytest.mark.skipif(m7_instr.valgrind() is None, reason="valgrind missing: make installs it")
def test_callgrinds_count_repeats_and_sees_added_work(trees, tmp_path):
    # Two runs differ by up to a few 100k of some 180M instructions (0.12 % seen:
    # the conservative collector scans a stack and heap whose addresses change
    # from run to run), so one tick is counted over 2000: about 100 a tick.
    # Five runs (each mostly the way to the state): the empty tick's runs are
    # left out, the same for both trees.
    flash = tmp_path / "flash"

    def count(tree: str, n: int) -> int:
        return m7_instr.instructions(trees[tree], "idle", n, "app", flash)

    a1, a3 = count("current", 1000), count("current", 3000)
    assert abs(count("current", 1000) - a1) < a1 / 200
    cur = (a3 - a1) / 2000
    burn = (count("burn", 3000) - count("burn", 1000)) / 2000
    assert 0 < cur < burn
    assert burn - cur >= 2 * BURN  # the control: BURN loop passes, each a few instructions

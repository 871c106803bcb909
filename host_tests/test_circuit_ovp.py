"""The rail's over-voltage cut (design.rail_ovp; figures and worst cases in
tools/circuit/ovp.py): U5B against its own divider (R46/R47) and its own reference (U8,
LM4040A20), its output on Q9's gate, so that an open R41 (the boost's feedback top: FB
at 0 V, the controller at its current limit) gives a bounded rail instead of one that
rises until a part fails.

The threshold's worst cases are computed from design.py's values, every tolerance at
its corner (controls: the divider in 1 % resistors, and the brief's first idea, a
divider from the 3.3 V at +-3 %, fail the window). The SPICE runs (tools/circuit/spice.py,
Scenario.boost = "r41_open": the boost as a current source while enabled, its 30 us
shutdown delay) show the bounded rail at the threshold's highest corner, and that the
normal rail at its worst case (59.65 V) does not trip the cut at the threshold's lowest
corner; controls: the same run with U5B's output disconnected runs away past 100 V, and
the normal run 0.3 V over the lowest threshold trips.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pytest

from firmware import limits
from tools.circuit import boost, design, ovp, spice

BOARD = "pico"
RST = "PWL(0 0 0.1m 0 0.11m 3.3 0.3m 3.3 0.31m 0)"  # the firmware resets the latch
EN = "PWL(0 0 0.5m 0 0.51m 3.3)"
SET_25MA = f"PWL(0 0 1m 0 1.01m {25e-3 * design.R_SENSE:.6g})"
RATING_V = 100.0  # Q1 IRF9540N -100 V, Q2 IRL540N 100 V, Q8 100 V (design.py's ratings)
PEAK_LIMIT_V = 65.0  # what this design claims for the R41-open rail


def _corner_scenario(sc: spice.Scenario, c: ovp.Corner) -> spice.Scenario:
    p = c.parts
    ohms = {"R46": p.rt, "R47": p.rb, "R49": p.rs, "R50": p.rh, "R51": p.rg}
    return replace(sc, ohms=ohms, ovp_vz=c.vz, ovp_vio=c.vio, v3v3=c.v3)


def _r41_open(name: str, fitted: bool = True, output_on: bool = True) -> spice.Scenario:
    """R41 opens at t = 0 with the rail at 58 V, the threshold at its highest corner;
    the output on at 25 mA into 1 kOhm (the rail's load: the hiccup is visible in the
    run), or off (enable low: the rail holds near its peak)."""
    sc = spice.Scenario(name, 20e-3, 5e-6, set_src=SET_25MA if output_on else "DC 0",
                        enable_src=EN if output_on else "DC 0", reset_src=RST,
                        load="R 1k", boost="r41_open", ic={"RAIL": design.RAIL_V},
                        ovp_fitted=fitted)
    return _corner_scenario(sc, ovp.rising_worst(BOARD)[1])


def _normal(name: str, rail_v: float) -> spice.Scenario:
    """The regulated rail rising to `rail_v` in 1 ms with no load (the output off: the
    rail at its highest, not lowered by the model's output resistance), the threshold
    at its lowest corner, FA/SD's 30 us delay modelled."""
    sc = spice.Scenario(name, 5e-3, 5e-6, reset_src=RST, load="R 1k", rail_v=rail_v,
                        rail_out_ohm=0.01, fa_sd_delay=True, rail_ramp_s=1e-3)
    return _corner_scenario(sc, ovp.rising_worst(BOARD)[0])


@lru_cache(maxsize=None)
def run(name: str) -> spice.Result:
    lo = ovp.rising_worst(BOARD)[0].rail
    scenarios = {
        "r41_open": _r41_open("R41 open, 25 mA out"),
        "r41_open_off": _r41_open("R41 open, output off", output_on=False),
        "r41_open_no_ovp": _r41_open("R41 open, U5B disconnected", fitted=False),
        "normal_worst": _normal("rail at the boost's worst case", boost.vout_worst(BOARD)[1]),
        "normal_over": _normal("rail 0.3 V over the lowest threshold", lo + 0.3),
    }
    return spice.run(BOARD, scenarios[name])


# --- the threshold, computed -------------------------------------------------------

@pytest.mark.parametrize("board", design.BOARDS)
def test_the_threshold_is_above_the_boosts_worst_case_and_under_the_firmwares_limit(board):
    lo, hi = ovp.rising_worst(board)
    assert lo.rail > boost.vout_worst(board)[1], f"{board}: trips at {lo.rail:.2f} V"
    # under the firmware's rail limit (start refused, a sensor fault above it)
    assert hi.rail < limits.RAIL_START_MAX_MV / 1000, f"{board}: {hi.rail:.2f} V"
    # the hysteresis: about 2 V between the rising and the falling threshold
    rise, fall = ovp.nominal(board)
    assert 1.0 < rise - fall < 3.0
    assert ovp.peak_bound(board) < PEAK_LIMIT_V


def test_with_1_percent_resistors_the_window_fails(monkeypatch):
    """The control: R46, R47 and R49 at 1 % put the lowest threshold under 59.65 V."""
    _, tols = ovp.parts(BOARD)
    lo, hi = ovp.rising_worst(BOARD, {**tols, "rt": 0.01, "rb": 0.01, "rs": 0.01})
    assert lo.rail < boost.vout_worst(BOARD)[1] or hi.rail > limits.RAIL_START_MAX_MV / 1000


def test_a_reference_divided_from_the_3v3_would_not_fit_the_window(monkeypatch):
    """The control for U8: a reference divided from the board's 3.3 V (0.1 % resistors)
    at the +-3 % the trip's tolerance takes for that supply (design.trip_tolerance)
    spreads the threshold wider than the window (59.65 V to 63 V)."""
    lo, hi = ovp.rising_worst(BOARD)
    nom = ovp.nominal(BOARD)[0]
    spread = 0.03 + 2 * 0.001  # the supply and the divider's two resistors
    assert (nom * (1 + spread) - nom * (1 - spread)) > (
        limits.RAIL_START_MAX_MV / 1000 - boost.vout_worst(BOARD)[1])
    # ...while U8's is inside it
    assert hi.rail - lo.rail < limits.RAIL_START_MAX_MV / 1000 - boost.vout_worst(BOARD)[1]


def test_the_reference_gets_its_minimum_current_at_every_corner():
    """U8 (LM4040A20) needs 80 uA (full range): R48 from the 3.3 V at -5 %, less what
    R49 takes towards the + input (at most (V_Z - 0) / (R49 + R50) with U5B low)."""
    p, tols = ovp.parts(BOARD)
    v3 = ovp.V3V3 * (1 - ovp.V3V3_TOL)
    vz = ovp.VZ + ovp.VZ_TOL_FULL
    i_feed = (v3 - vz) / (p.rz * (1 + tols["rz"]))
    i_out = vz / (p.rs * (1 - tols["rs"]) + p.rh * (1 - tols["rh"]))
    assert i_feed - i_out > ovp.IZ_MIN
    # and under the 1 mA the V_Z-shift figure covers, at the 3.3 V's +5 %
    v3_hi = ovp.V3V3 * (1 + ovp.V3V3_TOL)
    assert (v3_hi - ovp.VZ + ovp.VZ_TOL_FULL) / (p.rz * (1 - tols["rz"])) < 1e-3


def test_the_comparators_inputs_are_inside_its_common_mode_range():
    """0 to V_CC - 2 V (TI SLCS005AF): V_CC is U2's input (6.0 V at the lowest pack);
    the sense node at the peak bound, the + input at its highest."""
    vcc_min = min(boost.vin_range(b)[0] for b in design.BOARDS)
    p, _ = ovp.parts(BOARD)
    assert ovp.peak_bound(BOARD) * p.rb / (p.rt + p.rb) < vcc_min - 2.0
    assert ovp.VZ + ovp.VZ_TOL_FULL + 0.05 < vcc_min - 2.0


# --- SPICE ---------------------------------------------------------------------------

def test_r41_open_the_rail_stays_bounded_and_hiccups():
    r = run("r41_open")
    assert r.t[-1] >= 20e-3 * 0.999
    hi = ovp.rising_worst(BOARD)[1].rail
    peak = max(r.v["RAIL"])
    assert peak < ovp.peak_bound(BOARD) < PEAK_LIMIT_V, f"peak {peak:.2f} V"
    assert peak > hi, "the run did not reach the threshold"
    # the cut acted (Q9's gate pulled low, FA/SD high) and let go again: a hiccup
    low = [t for t, v in zip(r.t, r.v["Q9_G"]) if v < 0.5]
    assert low, "the cut never acted"
    assert max(r.window("U2_FA", low[0], 20e-3)) > boost.FA_SD_HIGH_MAX
    assert max(r.window("Q9_G", low[0], 20e-3)) > 2.5, "no restart: not a hiccup"
    assert min(r.window("RAIL", 5e-3, 20e-3)) > ovp.falling_worst(BOARD)[0] - 1.0
    # the output kept its current through it
    assert abs(r.at(19e-3, "i_load") - 25e-3) < 1e-3


def test_r41_open_the_output_switch_and_the_sink_stay_inside_their_rating():
    for name in ("r41_open", "r41_open_off"):
        r = run(name)
        q1 = max(a - b for a, b in zip(r.v["RAIL_P"], r.v["OUT_HI"]))
        q2 = max(a - b for a, b in zip(r.v["OUT_LO"], r.v["SENSE"]))
        assert max(r.v["RAIL"]) < PEAK_LIMIT_V, name
        assert q1 < RATING_V and q2 < RATING_V, (name, q1, q2)


def test_control_without_the_cut_the_rail_runs_away():
    r = run("r41_open_no_ovp")
    assert max(r.v["RAIL"]) > RATING_V
    assert min(r.v["Q9_G"]) > 2.5  # nothing pulled the gate


def test_the_normal_rail_at_its_worst_case_never_trips_the_cut():
    r = run("normal_worst")
    assert min(r.v["Q9_G"]) > 2.5
    assert max(r.v["U2_FA"]) < boost.FA_SD_HIGH_MAX / 2
    assert min(r.window("RAIL", 1e-3, 5e-3)) > boost.vout_worst(BOARD)[1] - 0.01


def test_control_the_normal_run_over_the_lowest_threshold_trips():
    r = run("normal_over")
    assert min(r.v["Q9_G"]) < 0.5

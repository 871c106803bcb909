# S2 (measures.md) through the whole firmware: feet, 18 mA, 30 min, compliance-
# limited at the start (SR-14); the journal record field by field and the trace.
from scenario_support import check_common, check_trace, near, run


def test_s2_feet_session_record():
    b, recs = run("S2", 62)
    (rec,) = recs
    check_common(rec, 1, 18000, 1800)
    assert rec["pauses"] == 0
    # The rail cannot push 18 mA through the fresh skin: the least current in
    # treatment is visibly under the set point; it never goes over it. The
    # treatment starts at the compliance limit (SR-14, issue 14 D1): the rail
    # less the sink's headroom over R_limit and the PTC, the series path, the
    # fresh skin (its walk up to +5 %), the sense and rail resistors
    # (tools/sim/circuit.py): about 14.5 mA.
    p = b.circuit.p
    bd = b.board
    path = (p["limit_ptc_ohm"] + p["series_ohm"] + bd["current_sense_ohm"] + p["rail_out_ohm"]
            + p["skin_start_ohm"] * (1 + p["skin_walk_pct"] / 100))
    least = int((bd["rail_mv"] - bd["sink_headroom_mv"]) * 1000 / path)
    assert least - 200 <= rec["min_ua"] <= 18000 - 150, (rec, least)
    # SR-14: limited until the skin softened to about 2.4 kOhm (some 8-9 min),
    # then at the set point (reached 100 %).
    assert 200 <= rec["limited_s"] <= 800 and rec["reached_pct"] == 100, rec
    # min/max are single 1 ms readings: 1.8 million of them reach about 1 %
    # over on ADC noise and the RP2040's DNL codes (measures.md), not the true current.
    near(rec["max_ua"], 18000, 250)
    assert rec["load_end_ohm"] < rec["load_start_ohm"]
    # Never more than the set point for the on time (SR-21's dose cap is 110 %).
    assert rec["charge_ma_min"] <= 18 * rec["on_s"] // 60
    check_trace(b, rec)

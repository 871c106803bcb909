# S1 (measures.md) through the whole firmware: nominal hands, 15 mA, 20 min,
# midway reversal; the journal record field by field and the trace (SR-18,
# SR-21). One scenario per file: each gets its own unix-port heap.
from scenario_support import check_common, check_trace, near, run


def test_s1_nominal_hands_session_record():
    b, recs = run("S1", 61)
    (rec,) = recs
    check_common(rec, 0, 15000, 1200)
    assert rec["pauses"] == 0
    near(rec["min_ua"], 15000, 100)
    near(rec["max_ua"], 15000, 100)
    # The hand: 300 Ohm + 3.0 kOhm skin, softening to about 1.8 kOhm (measures.md).
    near(rec["load_start_ohm"], 3300, 330)
    near(rec["load_end_ohm"], 2100, 300)
    # Two 30 s ramps up (avg 7.5 mA) and two 15 s ramps down, the rest at 15 mA:
    # 450 + 225 + (on_s - 90) * 15 mA*s.
    near(rec["charge_ma_min"], (675 + (rec["on_s"] - 90) * 15) // 60, 3)
    states = check_trace(b, rec)
    assert 5 in states  # reversing

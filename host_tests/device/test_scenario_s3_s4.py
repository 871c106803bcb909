# S3 and S4 (measures.md) through the whole firmware: underarms at 5 mA (SR-7
# cap), and the child profile, pulsed DC at 1 kHz, 8 mA peak; journal records
# field by field and the traces.
# device-tests: one interpreter per test (a simulated board each)
from scenario_support import check_common, check_trace, near, run


def test_s3_underarms_session_record():
    # SR-7: underarms at 5 mA.
    b, recs = run("S3", 63)
    (rec,) = recs
    check_common(rec, 2, 5000, 1200)
    near(rec["min_ua"], 5000, 100)
    near(rec["max_ua"], 5000, 100)
    near(rec["charge_ma_min"], 5 * rec["on_s"] // 60, 3)
    check_trace(b, rec)


def test_s4_child_pulsed_session_record():
    # SR-7: the child profile, pulsed only.
    b, recs = run("S4", 64)
    (rec,) = recs
    check_common(rec, 3, 8000, 1200)
    # The peak is regulated and journaled; the load is V / I of the pulse
    # (both channels scaled to the peak), the same hand as S1.
    # The journal's min and max are readings: in pulsed DC the average scaled
    # to the peak (x 2 at 50 %), so a code of ADC noise is about 20 uA, and
    # the extremes of some 75,000 readings reach its tails (7876 and 8132 at
    # 125 MHz, 8152 at 200 MHz, the same draw shifted by 2 ms): ten codes.
    near(rec["min_ua"], 8000, 200)
    near(rec["max_ua"], 8000, 200)
    near(rec["load_start_ohm"], 3300, 400)
    # The charge counts what flowed: half the time at 8 mA (50 % duty).
    near(rec["charge_ma_min"], 4 * rec["on_s"] // 60, 8)

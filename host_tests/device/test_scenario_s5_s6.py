# S5 and S6 (measures.md) through the whole firmware, run to the session's end:
# a hand lifted at minute 7 and put back 20 s later (SR-10: pause, timer held,
# a fresh ramp), and a press at minute 4 (constant current holds); journal
# records field by field and the traces.
# device-tests: one interpreter per test (a simulated board each)
from scenario_support import check_common, check_trace, near, run


def test_s5_lift_and_reimmerse_session_record():
    b, recs = run("S5", 65, minutes=22)
    (rec,) = recs
    check_common(rec, 0, 15000, 1200)
    assert rec["pauses"] == 1, rec
    # The lift's ticks before the pause is confirmed are not the minimum.
    near(rec["min_ua"], 15000, 100)
    near(rec["max_ua"], 15000, 100)
    states = check_trace(b, rec)
    k = states.index(4)  # paused, then a fresh ramp up (never back to treat)
    assert states[k + 1] == 2, states


def test_s6_press_session_record():
    b, recs = run("S6", 66, minutes=22)
    (rec,) = recs
    check_common(rec, 0, 15000, 1200)
    assert rec["pauses"] == 0
    near(rec["min_ua"], 15000, 150)
    near(rec["max_ua"], 15000, 150)
    check_trace(b, rec)

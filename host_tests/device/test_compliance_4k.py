# Issue 14 D1 on the simulated board: a skin of 4 kOhm, which the reference
# rail (58 V) cannot push 15 mA through (compliance, SR-14: about 11.9 mA through
# R_limit and the PTC, the series path, the skin and R_sense).
# The hands session (20 min, midway reversal) is a treatment at the most the
# load allows: it reaches treat, reverses once at half time through zero
# (SR-11), ends by its timer, and its journal record says it was limited and
# what it reached. Its own file: one 20-minute session, about 20 s in the
# unix port (5 and 6 kOhm: test_compliance_5k_6k.py).
import compliance_support as cs

SKIN_OHM = 4000


def test_a_4_kohm_hands_session_treats_at_the_compliance_limit_reverses_and_journals():
    # SR-14, SR-11, SR-8 (issue 14 D1): the whole firmware on the simulated
    # board; the journal record checked field by field.
    b = cs.board(SKIN_OHM, 141, "4k")
    snap = []
    b.at(300.0, lambda b: snap.extend(b.status()))
    # The LED at minute 5, every 10 ms for 4 s: the limited pattern (on, dark
    # for 0.1 s every 2 s; firmware/ui.py _LIMITED). One event schedules the next.
    led = b.board["pin_led"]
    seen = [0, 0]  # samples, dark ones

    def look(b):
        seen[0] += 1
        seen[1] += 0 if b.hw.level[led] else 1
        if seen[0] < 400:
            b.at(300.0 + seen[0] * 0.01, look)

    b.at(300.0, look)
    b.run(cs.RUN_S)
    rec = cs.check_session(b, SKIN_OHM, snap)
    lo, hi = cs.limits_ua(b, SKIN_OHM)
    load_lo, load_hi = cs.loads_ohm(b, SKIN_OHM)
    cs.check_record(rec, lo, hi, load_lo, load_hi)
    assert seen[0] == 400 and 18 <= seen[1] <= 22, seen
    # The trace's state changes (firmware/journal.py save_trace): the ramp,
    # treat at the limit, the reversal, the ramp, treat, the ramp down.
    from firmware import journal  # the one decoder of the layout

    events = journal.decode_trace(b.read_bytes("trace0.bin"))[4]
    states = [st for _, st in events]
    assert states == [1, 2, 3, 5, 2, 3, 6], states

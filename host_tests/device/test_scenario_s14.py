# S14 (measures.md) through the whole firmware: a bouncing, then stuck button
# (SR-20) never starts: no journal record and no current. Its own file: the
# 800 scheduled button events need the unix port's heap to themselves.
from scenario_support import run


def test_s14_bounce_and_stuck_button_never_start():
    b, recs = run("S14", 68)
    assert recs == []
    assert b.circuit.max_i_ua == 0

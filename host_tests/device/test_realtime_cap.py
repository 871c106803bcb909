# SR-5's 45 minutes of current-on time on a board whose ticks cost 2 ms
# against the 1 ms period (issue 13: the RP2040 took 1.4-2.8 ms a tick):
# a custom profile of the longest duration the store accepts. The cap counts
# real time (safety.md: every duration is real time, measured from the clock),
# not ticks. Its own file: about 1.4 million ticks, its own interpreter.
import realtime_support as rt

CAP_S = 2700  # SR-5 (firmware/limits.py MAX_ON_MS)
SET_UA = 12000  # the custom profile's default (firmware/profiles.py)
RAMP_DOWN_S = SET_UA // 1000  # SR-8: down at 1 mA/s
# The custom profile (4) for 45 minutes, no reversal: the one stop is SR-5's.
CONFIG = {"profile": 4, "duration_ms": CAP_S * 1000, "polarity": 0}


def test_the_45_minute_cap_holds_at_2_ms_ticks():
    b = rt.board("cap", 92, config=CONFIG)
    b.press_button(rt.PRESS_AT_S, 2.5)  # SR-20: held 2.5 s, hand in the water
    seen = rt.States(b)
    b.run(rt.PRESS_AT_S + 2.5 + CAP_S + RAMP_DOWN_S + 25)
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    recs = rt.journal(b)
    assert len(recs) == 1, (recs, seen.changes)
    rec = recs[0]
    assert (rec["profile"], rec["planned_s"], rec["pauses"], rec["fault"]) == (
        4, CAP_S, 0, "none"), rec
    # SR-5 caps the current-on time, the gentle stop included (SR-8: down at
    # 1 mA/s, current still on): the ramp down starts 12 s before 45 minutes,
    # ahead of the timer's 45 minutes.
    assert rec["end"] == "cap", rec
    up = seen.first(rt.RAMP_UP)
    down = seen.first(rt.RAMP_DOWN)
    assert up is not None and down is not None, seen.changes
    # The firmware's own count (status elapsed_s) when the ramp down began.
    assert CAP_S - RAMP_DOWN_S - 1 <= down[1] <= CAP_S - RAMP_DOWN_S, seen.changes
    # The truth, on the virtual clock: current on from the first ramp up to
    # the start of the ramp down, then the ramp down itself (each end seen at
    # the tick after its change): never past 45 min (the session, which steps
    # every 16 ticks, stops a step ahead), nor far short.
    on_us = down[0] - up[0] + RAMP_DOWN_S * 1000000
    assert on_us <= CAP_S * 1000000 + 2 * rt.TICK_US, on_us
    assert on_us >= CAP_S * 1000000 * 99 // 100, on_us
    assert rec["on_s"] <= CAP_S, rec
    late = (CAP_S - RAMP_DOWN_S) * 1000000 // rt.TICK_US  # every tick is late at 2 ms
    assert "overruns" in rec and rec["overruns"] >= late, rec

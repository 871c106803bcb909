# Real time on a simulated board whose ticks cost CPU time (issue 13: on the
# RP2040 a tick took 1.4-2.8 ms against its 1 ms period). Every duration must
# come from the clock, not from counting ticks (safety.md: "all durations,
# rates and windows ... are real time"): SR-5's cap, SR-8's rates, SR-20's
# hold. The long sessions are in test_realtime_session.py (SR-5's timer) and
# test_realtime_cap.py (SR-5's 45 minutes): each file its own interpreter.
import realtime_support as rt

from tools.sim import tickcost


def test_the_e72854b_model_draws_its_measured_mean_and_max():
    # tools/sim/tickcost.py: per state, uniform between 2 * mean - max and max
    # from a seeded PRNG: the measured mean, never above the measured max.
    from firmware import names

    table = tickcost.E72854B
    assert [row[0] for row in table] == list(names.STATES)  # by the firmware's codes
    state = [0]
    cost = tickcost.make("e72854b", 5, lambda: state[0])
    for k in range(len(table)):
        mean, top = table[k][1]
        state[0] = k
        n, total, lo, hi = 4000, 0, 10 ** 6, 0
        for _ in range(n):
            c = cost()
            total += c
            lo = min(lo, c)
            hi = max(hi, c)
        assert 2 * mean - top <= lo and hi <= top, (k, lo, hi)
        assert hi - lo > (top - mean), (k, lo, hi)  # it does spread
        rt.near(total / n, mean, 3)  # sigma of the mean: about 0.6 us
    # Reproducible from the board's seed; another seed draws another sequence.
    a = tickcost.make("e72854b", 5, lambda: 3)
    b = tickcost.make("e72854b", 5, lambda: 3)
    c = tickcost.make("e72854b", 6, lambda: 3)
    one = [a() for _ in range(20)]
    assert one == [b() for _ in range(20)] and one != [c() for _ in range(20)]
    # A fixed cost, nothing, and what is refused.
    assert tickcost.make(2000, 5, None)() == 2000 and tickcost.make(None, 5, None) is None
    for bad in (-1, 2.5, True, "e72854", "2000"):
        try:
            tickcost.check(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def _rate(tick_cost, seed):
    # Idle board: (ticks, overruns, current reads) gained from 1 s to 3 s.
    b = rt.board("rate", seed, tick_cost)
    got = []
    for t in (1.0, 3.0):
        b.at(t, lambda b: got.append((b.status()[rt.TICKS], b.status()[rt.OVERRUNS],
                                      b.hw.current_reads)))
    b.run(3.1)
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    return [(got[1][k] - got[0][k]) / 2 for k in range(3)]


def test_ticks_that_cost_2_ms_run_about_500_a_second_not_1000():
    # The control: the charge matters. Free ticks keep the 1 kHz period;
    # ticks of 2 ms run back to back, each one late (issue 13).
    # The status's tick count is written every 32 ticks (firmware/app.py):
    # over the 2 s window it may lag the reads by up to 32 ticks, 16 a second.
    ticks, overruns, reads = _rate(None, 81)
    rt.near(ticks, 1000, 16)
    assert overruns == 0
    assert abs(reads - ticks) <= 16  # one current read a tick: the charge's hook
    ticks, overruns, reads = _rate(rt.COST_US, 81)
    assert 1000000 / rt.TICK_US - 16 <= ticks <= 1000000 / rt.COST_US + 16, ticks  # about 500
    assert overruns >= ticks * 95 / 100, (overruns, ticks)  # counted (status "overruns")
    assert abs(reads - ticks) <= 16  # charged once a tick, not twice


def test_the_e72854b_model_charges_each_state_its_figure():
    # Idle, then (a 4 s hold: enough however the firmware counts it) the ramp
    # up: ticks a second = 1e6 / (the state's mean + the fake hardware's few us).
    b = rt.board("model", 82, "e72854b")
    b.press_button(rt.PRESS_AT_S, 4.0)
    got = []
    for t in (1.0, 1.9, 10.0, 15.0):
        b.at(t, lambda b: got.append((b.status()[rt.STATE], b.status()[rt.TICKS])))
    b.run(15.1)
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    assert [g[0] for g in got] == [rt.IDLE, rt.IDLE, rt.RAMP_UP, rt.RAMP_UP], got
    for (mean, _), (a, z), span in ((tickcost.E72854B[rt.IDLE][1], got[0:2], 0.9),
                                    (tickcost.E72854B[rt.RAMP_UP][1], got[2:4], 5.0)):
        rate = (z[1] - a[1]) / span
        assert 1000000 / (mean + 40) <= rate <= 1000000 / mean + 2, (mean, rate)


def _hold(hold_s, seed):
    b = rt.board("hold", seed)
    b.press_button(rt.PRESS_AT_S, hold_s)
    seen = rt.States(b)
    b.run(rt.PRESS_AT_S + hold_s + 3.0)
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    return b, seen


def test_a_1_8_s_hold_does_not_start_a_session_at_2_ms_ticks():
    # SR-20: the start needs the button held 2 s of real time.
    b, seen = _hold(1.8, 83)
    assert seen.states() == [rt.IDLE], seen.changes
    assert b.circuit.max_i_ua == 0


def test_a_2_3_s_hold_starts_a_session_at_2_ms_ticks():
    # SR-20: 2.3 s is past the 2 s however long each tick takes (issue 13:
    # counting 1 ms per tick made a 2 ms-tick board need a 4 s hold).
    b, seen = _hold(2.3, 84)
    states = seen.states()
    assert states[:4] == [rt.IDLE, rt.CHECKS, rt.WAIT_CONTACT, rt.RAMP_UP], seen.changes
    # The checks began at the release (+ 20 ms debounce), not later.
    rt.near(seen.first(rt.CHECKS)[0] / 1e6, rt.PRESS_AT_S + 2.3 + 0.02, 0.05)
    assert b.circuit.max_i_ua > 0


def _ramp_rate(tick_cost, seed):
    # SR-8: the ramp up, from the circuit's true current between 3 and 12 mA
    # (clear of the probe's foot and the set point's knee), in uA/s.
    b = rt.board("ramp", seed, tick_cost)
    # Held 5 s: a start however the firmware counts the hold (the hold is
    # the tests above), so what fails here is the rate.
    b.press_button(rt.PRESS_AT_S, 5.0)
    true = rt.TrueCurrent(b, 0.1)
    b.run(rt.PRESS_AT_S + 5.0 + 60)  # 30 s of ramp at 0.5 mA/s; room to see a slow one
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    t3, t12 = true.reached_s(3000), true.reached_s(12000)
    assert t3 is not None and t12 is not None, "the ramp never got to 12 mA"
    return 9000 / (t12 - t3)


def test_the_ramp_up_keeps_half_a_milliamp_per_second_at_2_ms_ticks():
    # SR-8: default up 0.5 mA/s (firmware/limits.py), within 10 %.
    rt.near(_ramp_rate(rt.COST_US, 85), 500, 50)


def test_the_ramp_up_keeps_its_rate_with_the_e72854b_costs():
    # SR-8 again, each tick costing what it cost on the RP2040 at e72854b.
    rt.near(_ramp_rate("e72854b", 86), 500, 50)

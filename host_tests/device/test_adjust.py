# Issue 17 item 2: the optional up and down buttons turn the set point up or
# down by 1 mA during a session, within the profile's cap (SR-7, SR-5), along
# SR-8's ramps, never above the session's start + one step without a 2 s
# hold; every change journaled. On the app with the fake hal (FakeHal.adjust:
# bit 0 up, bit 1 down) here; the whole firmware on the simulated board, with
# chatter and a stuck button, at the end.
from support import HAND, FakeHal, fake_flash, journal, make_app, press, run_ticks

from firmware import limits, states

UP = 1
DOWN = 2


def _treating(set_ua=15000, cap_ua=limits.MAX_SET_UA):
    # A session in treat at set_ua (10 min, no reversal).
    app, hal = make_app()
    app.ses.configure(set_ua, 600000, 0, cap_ua)
    run_ticks(app, 1000, HAND)
    press(app, 2100, HAND)
    run_ticks(app, 300, HAND)  # the pre-session checks (output off)
    ses = app.ses
    for _ in range(60):
        run_ticks(app, 1000, HAND)
        if ses.state == states.TREAT:
            return app, hal
    raise AssertionError("no treat: " + str(ses.state))


def _click(app, bit, ms=150, load=HAND):
    # A press of ms on the up (1) or down (2) button, and its release (debounced).
    app.hal.adjust = bit
    run_ticks(app, ms, load)
    app.hal.adjust = 0
    run_ticks(app, 60, load)


def _targets(app, ticks, load=HAND):
    # The regulator's target after each tick.
    out = []
    for _ in range(ticks):
        run_ticks(app, 1, load)
        out.append(app.reg.target_ua())
    return out


def _sr8(targets, up_ua_s, down_ua_s):
    # SR-8: no change faster than the ramps (1 ms ticks), so never 0.2 mA in 10 ms.
    for k in range(1, len(targets)):
        d = targets[k] - targets[k - 1]
        assert -down_ua_s // 1000 - 1 <= d <= up_ua_s // 1000 + 1, (k, d)
    for k in range(10, len(targets)):
        assert abs(targets[k] - targets[k - 10]) < 200, k


def test_up_steps_one_ma_along_the_ramp_then_treats_again():
    # SR-8: the new set point is reached along the up ramp, never faster.
    app, hal = _treating()
    ses = app.ses
    _click(app, UP)
    assert ses.set_ua == 16000 and ses.state == states.RAMP_UP
    seen = _targets(app, 2500)
    _sr8(seen, limits.RAMP_UP_DEFAULT_UA_S, limits.RAMP_DOWN_UA_S)
    # 1 mA at 0.5 mA/s: 2 s, then treat at the new set point.
    assert seen[1700] < 16000 and seen[-1] == 16000, (seen[1700], seen[-1])
    run_ticks(app, 100, HAND)
    assert ses.state == states.TREAT
    assert abs(hal.i_ua - 16000) <= 50, hal.i_ua


def test_a_second_up_needs_a_hold_and_the_profile_cap_holds():
    # Without a hold the set point never passes the start + 1 mA; a hold of
    # 2 s, released, passes it (one step each), up to the profile's cap (SR-7).
    app, hal = _treating(set_ua=3000, cap_ua=5000)  # underarms: 5 mA (SR-7)
    ses = app.ses
    _click(app, UP)
    run_ticks(app, 2500, HAND)
    assert ses.set_ua == 4000
    _click(app, UP)
    assert ses.set_ua == 4000  # the start + one step: no more without a hold
    _click(app, UP, ms=2200)  # held 2 s, released
    assert ses.set_ua == 5000
    run_ticks(app, 2500, HAND)
    _click(app, UP, ms=2200)
    assert ses.set_ua == 5000  # the cap
    assert app.reg.goal_ua == 5000
    assert ses.adjust_n == 2


def test_a_short_up_stops_at_the_cap_part_way():
    app, hal = _treating(set_ua=4500, cap_ua=5000)
    _click(app, UP)
    assert app.ses.set_ua == 5000


def test_down_steps_along_the_down_ramp_and_stops_at_one_ma():
    # SR-8: down along the down ramp (1 mA/s); not below 1 mA.
    app, hal = _treating(set_ua=3000)
    ses = app.ses
    _click(app, DOWN)
    assert ses.set_ua == 2000 and ses.state == states.TREAT  # down stays treat
    seen = _targets(app, 1500)
    _sr8(seen, limits.RAMP_UP_DEFAULT_UA_S, limits.RAMP_DOWN_UA_S)
    assert seen[-1] == 2000
    _click(app, DOWN)
    _click(app, DOWN)
    assert ses.set_ua == 1000  # 1 mA at least: below it, pause or stop
    run_ticks(app, 1500, HAND)
    assert ses.state == states.TREAT and abs(hal.i_ua - 1000) <= 50, (ses.state, hal.i_ua)
    assert ses.adjust_n == 2


def test_outside_a_session_and_in_its_ramp_down_nothing_changes():
    app, hal = make_app()
    app.ses.configure(15000, 600000, 0)
    run_ticks(app, 1000, HAND)
    _click(app, UP)
    _click(app, DOWN)
    assert app.ses.state == states.IDLE and app.ses.set_ua == 15000
    app, hal = _treating()
    press(app, 2100, HAND)  # stop: the ramp down
    assert app.ses.state == states.RAMP_DOWN
    _click(app, DOWN)
    _click(app, UP)
    assert app.ses.set_ua == 15000 and app.ses.adjust_n == 0


def test_a_change_while_paused_is_where_the_next_ramp_heads():
    # SR-10: contact lost, the probe flows; a step now moves the set point
    # only, and the ramp after contact heads for it (from the probe level).
    app, hal = _treating(set_ua=5000)
    ses = app.ses
    run_ticks(app, 300, 0)  # the hand lifted
    assert ses.state == states.PAUSED
    _click(app, DOWN, load=0)
    assert ses.set_ua == 4000 and app.reg.goal_ua == limits.PROBE_UA
    run_ticks(app, 300, HAND)
    assert ses.state == states.RAMP_UP and app.reg.goal_ua == 4000


def test_every_change_is_journaled_and_the_next_session_starts_at_the_plan():
    app, hal = _treating()
    ses = app.ses
    _click(app, UP)
    run_ticks(app, 3000, HAND)
    _click(app, DOWN)
    _click(app, DOWN)
    on_s = ses.on_ms // 1000
    press(app, 2100, HAND)  # stop
    run_ticks(app, 16000, HAND)
    assert ses.state == states.DONE
    from firmware import journal as fj

    rec = fj.last(app.journal_dir)
    assert rec["set_ua"] == 15000 and rec["adjust_n"] == 3, rec
    assert [ua for _, ua in rec["adjusts"]] == [16000, 15000, 14000], rec
    times = [t for t, _ in rec["adjusts"]]
    assert times == sorted(times) and on_s - 4 <= times[0] and times[-1] <= on_s, (times, on_s)
    assert rec["end"] == "user"
    # The next session: the profile's set point again, nothing to journal yet.
    press(app, 2100, HAND)
    run_ticks(app, 300, HAND)
    assert ses.state == states.WAIT_CONTACT and ses.set_ua == 15000 and ses.adjust_n == 0


def test_past_24_changes_the_last_pair_is_the_latest():
    app, hal = _treating(set_ua=20000)
    ses = app.ses
    for _ in range(15):
        _click(app, DOWN)  # 19 ... 5 mA
    for _ in range(15):
        _click(app, UP, ms=2200)  # back up to 20 mA, each held
    assert ses.adjust_n == 30 and ses.set_ua == 20000
    from firmware import journal as fj

    rec = fj.record(ses, 0, 0, 1)
    assert len(rec["adjusts"]) == 24 and rec["adjust_n"] == 30, rec
    assert rec["adjusts"][-1][1] == 20000
    assert [ua for _, ua in rec["adjusts"][:15]] == list(range(19000, 4000, -1000))


def test_a_board_without_the_buttons_reads_none():
    hal = FakeHal()
    board = dict(hal.board)
    board["pin_up"] = None
    board["pin_down"] = None
    hal.board = board
    from firmware.app import App

    app = App(hal, board, True, journal_dir=fake_flash())
    app.sup.start_watchdog()
    app.ses.configure(3000, 600000, 0)
    run_ticks(app, 1000, HAND)
    press(app, 2100, HAND)
    run_ticks(app, 8000, HAND)
    assert app.ses.state == states.TREAT
    _click(app, UP)
    assert app.ses.set_ua == 3000


# ---- the whole firmware on the simulated board ----

def _board(name):
    from tools.sim.simboard import SimBoard

    # A hand of 2.5 kOhm (the model's default starts at 3 kOhm): the 58 V rail pushes
    # the step's 16 mA through it, R_limit and the PTC (tools/sim/circuit.py: about
    # 15.4 mA at 3 kOhm), so the current shows the step, not compliance (SR-14).
    b = SimBoard("pico", seed=17, flash_dir="build/sim_flash/test_adjust_" + name,
                 params={"skin_start_ohm": 2500.0})
    b.press_button(1.0, 2.5)  # the hands profile: 15 mA, 20 min, hands in the water
    return b


def test_on_the_simulated_board_chatter_makes_one_step_and_a_stuck_button_none():
    # The real hal reads the up and down pins (GP12, GP13, pull-ups) of the
    # fake machine. At 40 s (treat): the up button chatters for 60 ms (a
    # contact bouncing every 3 ms), then is held 200 ms and released: one
    # step. At 50 s the down button sticks for 40 s: no step, ever; released
    # at 90 s, then one press at 91 s: one step down (the button re-arms
    # after 0.5 s released, SR-20). At 100 s a hold stops the session; the
    # journal lists the two changes. SR-8, SR-20 (a stuck or bouncing button).
    b = _board("stuck")
    for k in range(20):
        b.at(40.0 + k * 0.003, lambda b, k=k: setattr(b.hw, "up_down", k % 2 == 0))
    b.press_button(40.06, 0.2, "up")
    at = {}
    b.at(45.0, lambda b: at.update({"45": b.sample()}))
    b.press_button(50.0, 40.0, "down")
    b.at(89.5, lambda b: at.update({"89": b.sample()}))
    b.press_button(91.0, 0.2, "down")
    b.at(96.0, lambda b: at.update({"96": b.sample()}))
    b.press_button(100.0, 2.5)  # stop
    b.run(125.0)
    assert not b.crashes and b.boots == 1, (b.crashes, b.boots)
    s45, s89, s96 = at["45"], at["89"], at["96"]
    assert (s45["state"], s45["set_ua"]) == (states.TREAT, 16000), s45
    assert abs(s45["true_i_ua"] - 16000) < 200, s45
    assert (s89["state"], s89["set_ua"]) == (states.TREAT, 16000), s89  # stuck: nothing
    assert (s96["state"], s96["set_ua"]) == (states.TREAT, 15000), s96
    assert abs(s96["true_i_ua"] - 15000) < 200, s96
    recs = journal(b)
    assert len(recs) == 1, recs
    rec = recs[0]
    assert (rec["end"], rec["fault"], rec["set_ua"], rec["adjust_n"]) == (
        "user", "none", 15000, 2), rec
    assert [ua for _, ua in rec["adjusts"]] == [16000, 15000], rec

# The start: pre-session checks in their own state with the output off (rail:
# limits.RAIL_START_*), and SR-11's "alternate" polarity, which starts each
# session opposite to the last one and learns the last one from the journal.
from support import HAND, make_app, press, run_ticks

from firmware import journal, states
from firmware.session import POLARITY_ALTERNATE
from firmware.supervisor import REFUSE_NONE, REFUSE_RAIL


def _start(app):
    press(app, 2100, HAND)
    run_ticks(app, 300, HAND)


def test_a_weak_rail_refuses_the_start():
    app, hal = make_app()
    hal.rail_mv = 40000  # the boost is not running properly: under 80 % of 58 V
    run_ticks(app, 1000, HAND)
    _start(app)
    assert app.ses.state == states.IDLE and app.ses.refusal == REFUSE_RAIL
    assert hal.ons == 0


def test_a_rail_above_60_v_refuses_the_start():
    app, hal = make_app()
    hal.rail_mv = 64000
    run_ticks(app, 1000, HAND)
    _start(app)
    assert app.ses.refusal == REFUSE_RAIL and hal.ons == 0


def test_checks_keep_the_output_off_and_then_probe():
    # SR-9: the output stays off through the checks, then the probe.
    app, hal = make_app()
    run_ticks(app, 1000, HAND)
    press(app, 2100, HAND)
    run_ticks(app, 40, HAND)
    assert app.ses.state == states.CHECKS
    for _ in range(150):
        run_ticks(app, 1, HAND)
        assert not hal.output_is_on
    run_ticks(app, 100, HAND)
    assert app.ses.state in (states.WAIT_CONTACT, states.RAMP_UP)
    assert app.ses.refusal == REFUSE_NONE


def _session(app, hal):
    # A short session with the polarity set before any current flows.
    _start(app)
    assert app.ses.state in (states.WAIT_CONTACT, states.RAMP_UP)
    assert hal.relay_level == app.ses.start_reversed
    run_ticks(app, 90000, HAND)
    assert app.ses.state == states.DONE and app.ses.reversals == 0


def test_alternate_polarity_alternates_per_session_and_never_within():
    # SR-11 alternate
    app, hal = make_app()
    app.ses.configure(5000, 60000, POLARITY_ALTERNATE)
    run_ticks(app, 1000, HAND)
    _session(app, hal)
    first = app.ses.start_reversed
    run_ticks(app, 1000, HAND)
    _session(app, hal)
    assert app.ses.start_reversed != first
    assert hal.relay_switches == 2  # once before each session, never under current


def test_the_last_polarity_comes_from_the_journal():
    app, hal = make_app()
    for name in (journal.FILE, journal.OLD):
        try:
            import os

            os.remove(app.journal_dir + name)
        except OSError:
            pass
    app.ses.configure(5000, 60000, POLARITY_ALTERNATE)
    run_ticks(app, 1000, HAND)
    _session(app, hal)
    run_ticks(app, 100, HAND)
    rec = journal.last(app.journal_dir)
    assert rec is not None and rec["polarity"] == POLARITY_ALTERNATE
    assert rec["reversed_start"] == (1 if app.ses.start_reversed else 0)


def test_a_hold_during_a_reversal_stops_it():
    app, hal = make_app()
    app.ses.configure(15000, 120000, 1)
    run_ticks(app, 1000, HAND)
    _start(app)
    for _ in range(100000):  # the reversal at 60 s of on time
        run_ticks(app, 1, HAND)
        if app.ses.state == states.REVERSING:
            break
    assert app.ses.state == states.REVERSING
    press(app, 2100, HAND)
    assert app.ses.state in (states.RAMP_DOWN, states.DONE)
    run_ticks(app, 20000, HAND)
    assert app.ses.state == states.DONE and not hal.output_is_on
    assert app.ses.reversals == 0

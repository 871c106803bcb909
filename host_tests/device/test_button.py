# Button gestures (SR-20): hold 2 s and release starts; a stuck or bouncing
# button never does (a stuck one never releases; HOLD alone only stops).
from firmware import button


def _feed(b, level, ms, events):
    for _ in range(ms):
        e = b.update(level, 1000)
        if e != button.NONE:
            events.append(e)


def test_hold_two_seconds_gives_one_hold():
    # SR-20: the start needs the button held 2 s.
    b = button.Button()
    ev = []
    _feed(b, False, 1000, ev)
    _feed(b, True, 1990, ev)
    assert ev == []
    _feed(b, True, 3000, ev)
    assert ev == [button.HOLD]
    _feed(b, False, 500, ev)
    assert ev == [button.HOLD, button.LONG]  # the release after a hold: no SHORT


def test_a_button_stuck_past_20_s_gives_no_long_on_release():
    # SR-20
    b = button.Button()
    ev = []
    _feed(b, False, 1000, ev)
    _feed(b, True, 21000, ev)
    _feed(b, False, 1000, ev)
    assert ev == [button.HOLD, button.STUCK]


def test_short_press():
    b = button.Button()
    ev = []
    _feed(b, False, 1000, ev)
    _feed(b, True, 200, ev)
    _feed(b, False, 100, ev)
    assert ev == [button.SHORT]


def test_button_stuck_from_power_up_never_starts():
    # SR-20: a stuck button never starts treatment.
    b = button.Button()
    ev = []
    _feed(b, True, 60000, ev)
    assert button.HOLD not in ev and button.LONG not in ev


def test_bouncing_button_never_starts():
    # SR-20: nor a bouncing one.
    b = button.Button()
    ev = []
    _feed(b, False, 1000, ev)
    for _ in range(2000):  # contact chatter: 5 ms down, 5 ms up, for 20 s
        _feed(b, True, 5, ev)
        _feed(b, False, 5, ev)
    assert button.HOLD not in ev and button.LONG not in ev


def test_stuck_during_use_reports_stuck_and_needs_release():
    b = button.Button()
    ev = []
    _feed(b, False, 1000, ev)
    _feed(b, True, 25000, ev)
    assert ev == [button.HOLD, button.STUCK]
    _feed(b, False, 100, ev)
    _feed(b, True, 3000, ev)
    assert ev == [button.HOLD, button.STUCK]  # not re-armed yet: released only 100 ms

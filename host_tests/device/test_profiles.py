# SR-7: profile caps; SR-5: duration; every default is itself valid.
from firmware import profiles as p


def _refused(*args):
    try:
        p.check(*args)
    except ValueError as e:
        return str(e)
    raise AssertionError("accepted: " + repr(args))


def test_defaults_are_valid():
    for k, d in enumerate(p.DEFAULTS):
        assert p.check(k, d[1], d[2], d[3], d[4]) == k


def test_caps_per_profile():
    # SR-7: hands/feet 25 mA, underarms 5 mA, child 10 mA; SR-5: 25 mA overall.
    assert "5000" in _refused(p.UNDERARMS, 5001, 1200000, 0, 1)
    assert "10000" in _refused(p.CHILD, 10001, 1200000, 1000, 1)
    _refused(p.HANDS, 25001, 1200000, 0, 1)
    _refused(p.CUSTOM, 25001, 1200000, 0, 1)
    p.check(p.HANDS, 25000, 1200000, 0, 1)


def test_child_is_pulsed_only():
    # SR-7
    assert "pulsed" in _refused(p.CHILD, 8000, 1200000, 0, 1)


def test_duration_and_types():
    # SR-5: 45 minutes at most; SR-19: bad values refused.
    _refused(p.HANDS, 15000, 599999, 0, 1)
    _refused(p.HANDS, 15000, 2700001, 0, 1)
    _refused(p.HANDS, 15000.0, 1200000, 0, 1)
    _refused(p.HANDS, True, 1200000, 0, 1)
    _refused(5, 15000, 1200000, 0, 1)
    _refused(p.HANDS, 15000, 1200000, 500, 1)
    _refused(p.HANDS, 15000, 1200000, 0, 3)


def test_the_three_polarity_modes_of_sr11_are_accepted_and_no_other():
    for mode in (p.POLARITY_NONE, p.POLARITY_MIDWAY, p.POLARITY_ALTERNATE):
        assert p.check(p.HANDS, 15000, 1200000, 0, mode) == p.HANDS
    assert "polarity" in _refused(p.HANDS, 15000, 1200000, 0, -1)

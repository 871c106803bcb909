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
    assert len(p.CAP_UA) == len(p.DEFAULTS)
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
    _refused(6, 15000, 1200000, 0, 1)
    _refused(p.HANDS, 15000, 1200000, 500, 1)
    _refused(p.HANDS, 15000, 1200000, 0, 5)


def test_the_three_polarity_modes_of_sr11_are_accepted_and_no_other():
    for mode in (p.POLARITY_NONE, p.POLARITY_MIDWAY, p.POLARITY_ALTERNATE):
        assert p.check(p.HANDS, 15000, 1200000, 0, mode) == p.HANDS
    assert "polarity" in _refused(p.HANDS, 15000, 1200000, 0, -1)
    # A medicated tray is no mode for tap water on hands, feet, a child or custom.
    for index in (p.HANDS, p.FEET, p.CHILD, p.CUSTOM):
        for tray in (p.POLARITY_TRAY_A, p.POLARITY_TRAY_B):
            assert "medicated tray" in _refused(index, 8000, 1200000, 1000 * (index == p.CHILD),
                                                tray)


def test_medication_is_dc_with_a_named_tray_and_never_reverses():
    # Issue 17 item 4: DC only, the medicated tray named (3 A, 4 B), no
    # midway or alternate reversal, no "none" (it names no tray).
    d = p.DEFAULTS[p.MEDICATION]
    assert d[0] == "medication" and d[3] == 0 and d[4] == p.POLARITY_TRAY_A
    for tray in (p.POLARITY_TRAY_A, p.POLARITY_TRAY_B):
        assert p.check(p.MEDICATION, 12000, 720000, 0, tray) == p.MEDICATION
        assert "DC only" in _refused(p.MEDICATION, 12000, 720000, 1000, tray)
    for mode in (p.POLARITY_NONE, p.POLARITY_MIDWAY, p.POLARITY_ALTERNATE):
        msg = _refused(p.MEDICATION, 12000, 720000, 0, mode)
        assert "never reverses" in msg and "tray" in msg, msg


def test_medication_keeps_the_hands_and_feet_limits_and_pads_the_underarms_cap():
    # SR-7: the medication profile's cap is the hands and feet one (25 mA);
    # with underarm pads the underarms profile takes the tray (DC) and keeps 5 mA.
    assert p.CAP_UA[p.MEDICATION] == p.CAP_UA[p.HANDS] == 25000
    p.check(p.MEDICATION, 25000, 600000, 0, p.POLARITY_TRAY_B)
    assert "25000" in _refused(p.MEDICATION, 25001, 720000, 0, p.POLARITY_TRAY_A)
    _refused(p.MEDICATION, 12000, 599999, 0, p.POLARITY_TRAY_A)  # SR-5, as every profile
    _refused(p.MEDICATION, 12000, 2700001, 0, p.POLARITY_TRAY_A)
    assert p.check(p.UNDERARMS, 5000, 1200000, 0, p.POLARITY_TRAY_B) == p.UNDERARMS
    assert "5000" in _refused(p.UNDERARMS, 5001, 1200000, 0, p.POLARITY_TRAY_B)
    assert "DC only" in _refused(p.UNDERARMS, 5000, 1200000, 1000, p.POLARITY_TRAY_A)


def test_the_reminder_names_the_medicated_tray():
    assert p.reminder(p.POLARITY_MIDWAY) is None and p.reminder(p.POLARITY_NONE) is None
    a, b = p.reminder(p.POLARITY_TRAY_A), p.reminder(p.POLARITY_TRAY_B)
    assert "goes in tray (or pad) A, the + one; B holds tap water" in a, a
    assert "goes in tray (or pad) B, the + one; A holds tap water" in b, b


def test_a_pick_on_the_device_keeps_the_doctors_medication_settings():
    # firmware/picker.py: the medication profile's settings (the tray among
    # them) go under "medication" while another profile is picked, and come
    # back with it, as the custom profile's do; a kept set no longer valid
    # gives the defaults, and never picks another profile.
    from firmware import picker

    doctor = {"set_ua": 14000, "duration_ms": 900000, "polarity": p.POLARITY_TRAY_B}
    cfg = {"profile": p.MEDICATION, "custom": {"set_ua": 9000}}
    cfg.update(doctor)
    away = picker.settings_for(p.HANDS, cfg)
    assert away == {"profile": p.HANDS, "custom": {"set_ua": 9000}, "medication": doctor}, away
    back = picker.settings_for(p.MEDICATION, away)
    assert back == cfg, back
    bad = {"profile": p.HANDS, "medication": {"polarity": p.POLARITY_MIDWAY, "profile": 0}}
    assert picker.settings_for(p.MEDICATION, bad) == {"profile": p.MEDICATION}

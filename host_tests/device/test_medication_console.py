# Issue 17 item 4 at the console (firmware/console.py profile(), docs/console.md):
# the medication profile takes the doctor's set point and time and the
# medicated tray in words (tray="A" or "B"), and says the reminder in its
# settings and in status(). Pulsed DC, a midway or alternate reversal, no
# named tray, a set point past the cap (SR-7): refused with a clear message,
# and nothing changes (SR-19: no file, no current).
# device-tests: one interpreter per test (a simulated board each)
import json

from support import console_call as _call
from support import flash_files as _files
from support import fresh_board


def _refused(b, *args, **kw):
    before = _files(b)
    try:
        _call(b, "profile", *args, **kw)
    except ValueError as e:
        assert _files(b) == before, "a refused profile() changed a file: " + repr(kw)
        c = b.circuit
        assert c.max_i_ua == 0 and c.gate == 0, (c.max_i_ua, c.gate)
        return str(e)
    raise AssertionError("profile() accepted " + repr(args) + " " + repr(kw))


def test_the_doctors_settings_and_tray_are_stored_and_the_reminder_is_said():
    b = fresh_board("medication_console", 174)
    c = _call(b, "profile", 5, set_ua=12000, duration_ms=900000, tray="B")
    assert (c["profile"], c["name"], c["set_ua"], c["duration_ms"]) == (
        5, "medication", 12000, 900000), c
    assert (c["pulse_hz"], c["polarity"], c["tray"]) == (0, 4, "B"), c
    assert "tray (or pad) B, the + one" in c["reminder"], c
    assert json.loads(b.read_file("config.json")) == {
        "profile": 5, "set_ua": 12000, "duration_ms": 900000, "polarity": 4}
    s = _call(b, "status")
    assert s["config"]["tray"] == "B" and s["config"]["reminder"] == c["reminder"], s
    c = _call(b, "profile", tray="A")  # the same profile: only the tray changes
    assert (c["set_ua"], c["polarity"], c["tray"]) == (12000, 3, "A"), c
    c = _call(b, "profile", 0)  # tap water: no tray, no reminder
    assert (c["tray"], c["reminder"], c["polarity"]) == (None, None, 1), c


# SR-19: each refused with a clear message, no file changed, no current;
# SR-7: the caps (25 mA, and 5 mA for underarm pads).
def test_pulsed_reversing_unnamed_or_over_the_cap_is_refused_and_nothing_changes():
    b = fresh_board("medication_refused", 175)
    kept = _call(b, "profile", 5, set_ua=12000, tray="B")
    for kw in ({"pulse_hz": 1000}, {"polarity": 1}, {"polarity": 2}, {"polarity": 0}):
        msg = _refused(b, **kw)
        assert ("DC only" in msg) if "pulse_hz" in kw else ("never reverses" in msg), (kw, msg)
    assert "25000" in _refused(b, set_ua=25001)  # SR-7: the hands and feet cap
    _refused(b, duration_ms=599999)  # SR-5, as every profile
    _refused(b, duration_ms=2700001)
    for bad in ("C", "b", "", 4, b"A", ["A"]):
        assert "tray" in _refused(b, tray=bad), bad
    assert "without polarity" in _refused(b, tray="A", polarity=3)
    # A medicated tray belongs to the medication profile, or to underarm pads
    # at the underarms profile's 5 mA (SR-7), on DC.
    for index in (0, 1, 3, 4):
        assert "medicated tray" in _refused(b, index, tray="A"), index
    assert "5000" in _refused(b, 2, set_ua=5001, tray="A")
    assert "DC only" in _refused(b, 2, pulse_hz=1000, tray="A")
    assert _call(b, "profile") == kept  # unchanged
    pads = _call(b, "profile", 2, tray="A")
    assert (pads["set_ua"], pads["polarity"], pads["tray"]) == (5000, 3, "A"), pads

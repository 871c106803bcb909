# Treatment profiles (SR-7) and their hard caps. A profile is a plain tuple:
# (name, set_ua, duration_ms, pulse_hz, polarity). pulse_hz 0 = DC.
# Sources (shared/design/safety.md, "Clinical defaults"): hands 20 min, feet
# 30 min at 10-18 mA typical, up to about 20 mA (R.A. Fischer, Hyperhidrosis
# UK); underarms 20 min at up to 5 mA (iontophoresis.info, KaWe SwiSto3);
# child: 10 mA cap and pulsed only (project default after Hidrex and
# R.A. Fischer material; no unit is for children under 6). medication: a
# doctor's prescription in the water of one tray (glycopyrronium bromide, a
# cation: the Robinul SmPC puts the anode in the medicated solution and the
# cathode in tap water; DC at 10-20 mA for adults, 12 min a site): DC only,
# one fixed polarity with the medicated tray named, never reversed (docs/
# clinical.md has the sources).
from micropython import const

from firmware import limits

POLARITY_NONE = const(0)
POLARITY_MIDWAY = const(1)  # SR-11: reverse once at half time (R.A. Fischer AUTO)
POLARITY_ALTERNATE = const(2)  # SR-11: reverse per session (Hidrex 1994)
# A medicated tray (or underarm pad): the polarity is fixed, never reversed,
# and the named tray is + (the anode, which delivers a cation such as
# glycopyrronium). A: the relay at rest, as wired (hardware.md: tray A on the
# high side); B: the relay reversed from the start of every session, with the
# output off (SR-11; session.py reversed_at_start).
POLARITY_TRAY_A = const(3)
POLARITY_TRAY_B = const(4)

HANDS = const(0)
FEET = const(1)
UNDERARMS = const(2)
CHILD = const(3)
CUSTOM = const(4)
MEDICATION = const(5)

# Defaults per profile.
DEFAULTS = (
    ("hands", 15000, 1200000, 0, POLARITY_MIDWAY),
    ("feet", 18000, 1800000, 0, POLARITY_MIDWAY),
    ("underarms", 5000, 1200000, 0, POLARITY_MIDWAY),
    ("child", 8000, 1200000, 1000, POLARITY_MIDWAY),
    ("custom", 12000, 1200000, 0, POLARITY_MIDWAY),
    # The low end of the SmPC's adult 10-20 mA and its 12 min: the doctor's
    # settings replace them (console profile(), docs/using.md).
    ("medication", 10000, 720000, 0, POLARITY_TRAY_A),
)
# SR-7: the set-point cap of each profile, compiled in (medication: the hands
# and feet cap; with underarm pads the underarms profile keeps its 5 mA).
CAP_UA = (25000, 25000, 5000, 10000, limits.MAX_SET_UA, 25000)
MIN_DURATION_MS = const(600000)  # under 10 min is not effective (Hidrex 1994 study)


def check(index, set_ua, duration_ms, pulse_hz, polarity):
    # Raises ValueError with a clear message; changes nothing.
    if type(index) is not int or not 0 <= index < len(DEFAULTS):
        raise ValueError("profile must be 0-5 (hands, feet, underarms, child, custom, "
                         "medication)")
    for name, v in (("set_ua", set_ua), ("duration_ms", duration_ms), ("pulse_hz", pulse_hz),
                    ("polarity", polarity)):
        if type(v) is not int:
            raise ValueError(name + " must be an integer")
    cap = CAP_UA[index]
    if not 0 < set_ua <= cap:
        raise ValueError("set point must be 1-" + str(cap) + " uA for " + DEFAULTS[index][0])
    if not MIN_DURATION_MS <= duration_ms <= limits.MAX_ON_MS:
        raise ValueError("duration must be 10-45 min (SR-5)")
    if index == CHILD and pulse_hz == 0:
        raise ValueError("the child profile is pulsed only (SR-7)")
    if pulse_hz and not 1000 <= pulse_hz <= 10000:
        raise ValueError("pulse frequency must be 1000-10000 Hz")
    if not 0 <= polarity <= POLARITY_TRAY_B:
        raise ValueError("polarity must be 0 (none), 1 (midway), 2 (alternate per session), "
                         "3 or 4 (medicated tray A or B)")
    tray = polarity >= POLARITY_TRAY_A
    if index == MEDICATION and not tray:
        # The medication goes in from the + tray only: a reversal would drive
        # it back out of the skin (and "none" names no tray).
        raise ValueError("the medication profile never reverses (no midway, no alternate): "
                         "name the medicated tray, polarity 3 (tray A) or 4 (tray B)")
    if tray and index != MEDICATION and index != UNDERARMS:
        raise ValueError("a medicated tray (polarity 3 or 4) is for the medication profile, "
                         "or the underarms profile with pads (5 mA)")
    if tray and pulse_hz:
        raise ValueError("medication runs on DC only, never pulsed (pulse_hz 0)")
    return index


def reminder(polarity):
    # The medicated tray in words, or None: said once at the start (app.py's
    # start gesture's job) and in the console's settings (SR-19: a clear message).
    if polarity < POLARITY_TRAY_A:
        return None
    # One format string: each literal is a name in the board's qstr pool (M8).
    return ("medication: the medicated water goes in tray (or pad) %s, the + one; %s holds "
            "tap water; the polarity never reverses" % (("A", "B") if polarity == POLARITY_TRAY_A
                                                        else ("B", "A")))


def apply(app, settings):
    # A validated settings tuple (store.check_config) into the app's session,
    # regulator and hal: at startup (startup.py) and at a profile pick
    # (picker.py); only with the output off.
    index, set_ua, duration_ms, pulse_hz, polarity, ramp_up = settings
    # The profile's cap (SR-7): the most the up button may reach.
    app.ses.configure(set_ua, duration_ms, polarity, CAP_UA[index], index)
    app.reg.set_rates(ramp_up, limits.RAMP_DOWN_UA_S)
    app.hal.set_pulsed(pulse_hz, 50)  # 50 %: the default duty (hardware.md)

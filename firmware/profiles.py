# Treatment profiles (SR-7) and their hard caps. A profile is a plain tuple:
# (name, set_ua, duration_ms, pulse_hz, polarity). pulse_hz 0 = DC.
# Sources (shared/design/safety.md, "Clinical defaults"): hands 20 min, feet
# 30 min at 10-18 mA typical, up to about 20 mA (R.A. Fischer, Hyperhidrosis
# UK); underarms 20 min at up to 5 mA (iontophoresis.info, KaWe SwiSto3);
# child: 10 mA cap and pulsed only (project default after Hidrex and
# R.A. Fischer material; no unit is for children under 6).
from micropython import const

from firmware import limits

POLARITY_NONE = const(0)
POLARITY_MIDWAY = const(1)  # SR-11: reverse once at half time (R.A. Fischer AUTO)
POLARITY_ALTERNATE = const(2)  # SR-11: reverse per session (Hidrex 1994)

HANDS = const(0)
FEET = const(1)
UNDERARMS = const(2)
CHILD = const(3)
CUSTOM = const(4)

# Defaults per profile.
DEFAULTS = (
    ("hands", 15000, 1200000, 0, POLARITY_MIDWAY),
    ("feet", 18000, 1800000, 0, POLARITY_MIDWAY),
    ("underarms", 5000, 1200000, 0, POLARITY_MIDWAY),
    ("child", 8000, 1200000, 1000, POLARITY_MIDWAY),
    ("custom", 12000, 1200000, 0, POLARITY_MIDWAY),
)
# SR-7: the set-point cap of each profile, compiled in.
CAP_UA = (25000, 25000, 5000, 10000, limits.MAX_SET_UA)
MIN_DURATION_MS = const(600000)  # under 10 min is not effective (Hidrex 1994 study)


def check(index, set_ua, duration_ms, pulse_hz, polarity):
    # Raises ValueError with a clear message; changes nothing.
    if type(index) is not int or not 0 <= index < len(DEFAULTS):
        raise ValueError("profile must be 0-4 (hands, feet, underarms, child, custom)")
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
    if polarity not in (POLARITY_NONE, POLARITY_MIDWAY, POLARITY_ALTERNATE):
        raise ValueError("polarity must be 0 (none), 1 (midway) or 2 (alternate per session)")
    return index

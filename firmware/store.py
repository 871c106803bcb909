# Files on the board's flash: validated on read, written atomically (SR-19):
# write a temporary file, then rename it over the old one, so a power cut at
# any moment leaves the old or the new file, never a broken one (littlefs and
# POSIX rename replace the target atomically). Never called while current
# flows (SR-18): the app writes only with the output off.
import json
import os

CAL_FILE = "calibration.json"
CAL_VERSION = 1
CAL_CHANNELS = ("current", "voltage", "rail", "battery", "set")
# Plausible calibration: gain within +-10 % of the board description, offset
# within +-200 codes (uA for "set"). Project defaults: the reference parts are
# 1 % resistors and the RP2040 ADC offset is a few LSB (measures.md).
GAIN_MIN_PPM = 900000
GAIN_MAX_PPM = 1100000
OFFSET_MAX = 200

# What the hal uses before a board is calibrated: the board description alone.
# Treatment is refused until a real calibration is stored (SR-19).
NOMINAL = {
    "version": CAL_VERSION,
    "current": {"offset": 0, "gain_ppm": 1000000},
    "voltage": {"offset": 0, "gain_ppm": 1000000},
    "rail": {"offset": 0, "gain_ppm": 1000000},
    "battery": {"offset": 0, "gain_ppm": 1000000},
    "set": {"offset": 0, "gain_ppm": 1000000},
}


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def check_calibration(cal):
    # Raises ValueError with a clear message; returns cal when it is valid.
    if not isinstance(cal, dict) or cal.get("version") != CAL_VERSION:
        raise ValueError("calibration: not a version 1 calibration")
    for ch in CAL_CHANNELS:
        c = cal.get(ch)
        if not isinstance(c, dict):
            raise ValueError("calibration: missing channel " + ch)
        for key, lo, hi in (("offset", -OFFSET_MAX, OFFSET_MAX),
                            ("gain_ppm", GAIN_MIN_PPM, GAIN_MAX_PPM)):
            v = c.get(key)
            if type(v) is not int or not lo <= v <= hi:
                raise ValueError("calibration: " + ch + "." + key + " must be an integer in "
                                 + str(lo) + ".." + str(hi))
    return cal


def load_calibration():
    # (calibration, None) when valid; (None, reason) when missing or corrupt.
    text = read_text(CAL_FILE)
    if text is None:
        return None, "no calibration"
    try:
        return check_calibration(json.loads(text)), None
    except ValueError as e:
        return None, str(e)


def save_calibration(cal):
    check_calibration(cal)  # nothing is written unless all of it is valid
    write_atomic(CAL_FILE, json.dumps(cal))

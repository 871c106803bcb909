# Files on the board's flash: validated on read, written atomically (SR-19):
# write a temporary file, then rename it over the old one, so a power cut at
# any moment leaves the old or the new file, never a broken one (littlefs and
# POSIX rename replace the target atomically). Never called while current
# flows (SR-18): the app writes only with the output off.
import json
import os

from firmware import limits, profiles

CAL_FILE = "calibration.json"
CAL_VERSION = 1
CAL_CHANNELS = ("current", "voltage", "rail", "battery", "set")
# Plausible calibration: gain within +-10 % of the board description, offset
# within +-200 codes (uA for "set"). Project defaults: the reference parts are
# 1 % resistors and the RP2040 ADC offset is a few LSB (measures.md).
GAIN_MIN_PPM = 900000
GAIN_MAX_PPM = 1100000
OFFSET_MAX = 200

def nominal_calibration():
    # What the hal uses before a board is calibrated: the board description
    # alone. Treatment is refused until a real calibration is stored (SR-19).
    one = 1000000
    return {"version": CAL_VERSION, "current": {"offset": 0, "gain_ppm": one},
            "voltage": {"offset": 0, "gain_ppm": one}, "rail": {"offset": 0, "gain_ppm": one},
            "battery": {"offset": 0, "gain_ppm": one}, "set": {"offset": 0, "gain_ppm": one}}


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def read_json(path, what):
    # The file's JSON value. OSError when there is no file; ValueError with a
    # clear message when it is torn or corrupt (SR-19): not text (UnicodeError
    # is a ValueError, raised by read() in MicroPython too), not JSON, nested
    # deeper than the parser goes, or too big for the heap. Nothing else: a
    # bad file must never stop the boot.
    f = open(path)
    try:
        with f:
            return json.loads(f.read())
    except (ValueError, RuntimeError, MemoryError):
        pass
    raise ValueError(what + ": not valid JSON (a torn or corrupt file)")


def check_calibration(cal):
    # Raises ValueError with a clear message; returns cal when it is valid.
    v = cal.get("version") if isinstance(cal, dict) else None
    if type(v) is not int or v != CAL_VERSION:  # not True, not 1.0
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
    try:
        return check_calibration(read_json(CAL_FILE, "calibration")), None
    except OSError:
        return None, "no calibration"
    except ValueError as e:
        return None, str(e)


def save_calibration(cal):
    check_calibration(cal)  # nothing is written unless all of it is valid
    write_atomic(CAL_FILE, json.dumps(cal))


CONFIG_FILE = "config.json"


def check_config(cfg):
    # The treatment settings a person chose (console, host tools). Raises
    # ValueError with a clear message; returns the profile tuple
    # (index, set_ua, duration_ms, pulse_hz, polarity, ramp_up_ua_s).
    if not isinstance(cfg, dict):
        raise ValueError("config: not an object")
    index = cfg.get("profile", profiles.HANDS)
    if type(index) is not int or not 0 <= index < len(profiles.DEFAULTS):
        raise ValueError("config: profile must be 0-" + str(len(profiles.DEFAULTS) - 1))
    d = profiles.DEFAULTS[index]
    set_ua = cfg.get("set_ua", d[1])
    duration_ms = cfg.get("duration_ms", d[2])
    pulse_hz = cfg.get("pulse_hz", d[3])
    polarity = cfg.get("polarity", d[4])
    ramp = cfg.get("ramp_up_ua_s", limits.RAMP_UP_DEFAULT_UA_S)
    profiles.check(index, set_ua, duration_ms, pulse_hz, polarity)
    if type(ramp) is not int or not limits.RAMP_UP_MIN_UA_S <= ramp <= limits.RAMP_UP_MAX_UA_S:
        raise ValueError("config: ramp_up_ua_s must be 100-1000 (SR-8)")
    return (index, set_ua, duration_ms, pulse_hz, polarity, ramp)


def load_config():
    # (settings, warning): a missing file gives the defaults quietly; a
    # corrupt one gives the defaults with a warning (SR-19).
    try:
        return check_config(read_json(CONFIG_FILE, "config")), None
    except OSError:
        return check_config({}), None
    except ValueError as e:
        return check_config({}), "config ignored, defaults used: " + str(e)


def save_config(cfg):
    check_config(cfg)
    write_atomic(CONFIG_FILE, json.dumps(cfg))

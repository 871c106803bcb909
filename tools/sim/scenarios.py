# The named scenarios of shared/design/measures.md, as what the person and the
# world do on the virtual clock. The firmware decides everything else. Each
# entry: (description, config written to the flash or None, run seconds,
# setup(board) that schedules the events).
import json

START_AT_S = 1.0  # the person holds the button 2.5 s from t = 1 s (SR-20: 2 s)
HOLD_S = 2.5


def _start(b):
    b.press_button(START_AT_S, HOLD_S)


def _feet(b):
    _start(b)


def _lift_and_reimmerse(b):
    _start(b)
    b.at(7 * 60, lambda b: b.circuit.lift())
    b.at(7 * 60 + 20, lambda b: b.circuit.reimmerse())


def _press(b):
    _start(b)
    b.at(4 * 60, lambda b: b.circuit.press(30.0))


def _short(b):
    _start(b)
    b.at(3 * 60, lambda b: b.circuit.short())


def _stuck_sensor(b):
    _start(b)
    # The dangerous case: the current channel reads zero while current flows.
    b.at(5 * 60, lambda b: b.circuit.stuck.__setitem__("current", 0))


def _frozen_sensor(b):
    _start(b)
    # The current channel repeats its reading from minute 5 on, at the steady
    # set point (issue 14 D2: a live channel's code moves with its noise).
    b.at(5 * 60, lambda b: b.circuit.frozen.__setitem__("current", None))


def _leak(b):
    # A leaking output switch: current flows with the output off.
    b.at(0.5, lambda b: setattr(b.circuit, "leak_ua", 400.0))
    _start(b)


def _trip(b):
    _start(b)
    b.at(5 * 60, lambda b: setattr(b.circuit, "force_trip", True))


def _hang(b):
    _start(b)
    b.at(5 * 60, lambda b: setattr(b.clock, "hang", True))
    b.at(5 * 60 + 5, lambda b: setattr(b.clock, "hang", False))


def _battery_sag(b):
    _start(b)
    b.at(3 * 60, lambda b: setattr(b.circuit, "battery_sag_mv_per_s", 10.0))


def _usb(b):
    b.hw.usb_present = True
    _start(b)


def _bounce_and_stuck(b):
    # 4 s of contact chatter from t = 1 s: 5 ms down, 5 ms up (one event that
    # schedules the next: 800 closures at once would fill a 192K heap).
    count = [0]

    def toggle(b):
        k = count[0]
        count[0] = k + 1
        b.hw.button_down = k % 2 == 0
        if k < 799:
            b.at(1.0 + (k + 1) * 0.005, toggle)

    b.at(1.0, toggle)
    b.at(10.0, lambda b: setattr(b.hw, "button_down", True))  # then stuck down


def _area(b, fraction, seconds):
    # The hand's contact area moves to `fraction` of the whole over `seconds`,
    # from now (the model brought up to the clock first: the move starts here).
    c = b.circuit
    c.update(b.clock.us / 1e6)
    c.immerse_fraction(fraction, seconds)


PARTIAL_LIFT_AT_S = 5 * 60  # partial_lift: the hand lifted from here ...
PARTIAL_LIFT_MOVE_S = 3.0  # ... to a third of its area over 3 s (and back the same)
PARTIAL_LIFT_HOLD_S = 30.0  # ... held there this long


def _partial_lift(b):
    # SR-23: at minute 5 the hand is lifted to a third of its area over 3 s,
    # held 30 s, and put back over 3 s: the same current would cross a third
    # of the skin (three times the density) but for the density guard.
    _start(b)
    up = PARTIAL_LIFT_AT_S
    back = up + PARTIAL_LIFT_MOVE_S + PARTIAL_LIFT_HOLD_S
    b.at(up, lambda b: _area(b, 1 / 3, PARTIAL_LIFT_MOVE_S))
    b.at(back, lambda b: _area(b, 1.0, PARTIAL_LIFT_MOVE_S))


SKIN4K_OHM = 4000.0


def _skin4k(b):
    # A constant skin of 4 kOhm (no fall, no walk): the reference 58 V rail
    # cannot push 15 mA through it (SR-14, issue 14 D1): a compliance-limited
    # session from start to end.
    p = b.circuit.p
    p["skin_start_ohm"] = SKIN4K_OHM
    p["skin_end_ohm"] = SKIN4K_OHM
    p["skin_walk_pct"] = 0.0
    _start(b)


def _corrupt_files(b):
    b.write_file("calibration.json", '{"version": 1, "current": {"offset": 3')
    b.write_file("config.json", "\x00\x01garbage")
    _start(b)


SCENARIOS = {
    "S1": ("nominal hands 15 mA 20 min, midway reversal", None, 21 * 60 + 30, _start),
    "S2": ("feet 18 mA 30 min, compliance-limited at the start",
           {"profile": 1, "set_ua": 18000, "duration_ms": 1800000}, 31 * 60 + 30, _feet),
    "S3": ("underarms 5 mA 20 min", {"profile": 2, "set_ua": 5000}, 21 * 60, _start),
    "S4": ("child pulsed 8 mA 1 kHz", {"profile": 3, "set_ua": 8000, "pulse_hz": 1000},
           21 * 60 + 30, _start),
    "S5": ("lift at minute 7, re-immerse 20 s later", None, 9 * 60, _lift_and_reimmerse),
    "S6": ("press at minute 4", None, 5 * 60, _press),
    "S7": ("short at minute 3", None, 3 * 60 + 10, _short),
    "S8": ("current sensor stuck at minute 5", None, 5 * 60 + 10, _stuck_sensor),
    "S8b": ("current reading frozen at minute 5, the set point steady", None, 5 * 60 + 10,
            _frozen_sensor),
    "S9": ("current read with the output off", None, 10, _leak),
    "S10": ("hardware trip at minute 5", None, 5 * 60 + 10, _trip),
    "S11": ("loop hang at minute 5 (watchdog)", None, 5 * 60 + 10, _hang),
    "S12": ("battery sag to cut-off", None, 15 * 60, _battery_sag),
    "S13": ("USB power present", None, 10, _usb),
    "S14": ("button bounce, then a stuck button", None, 60, _bounce_and_stuck),
    "S15": ("corrupt calibration and config files", None, 10, _corrupt_files),
    "partial_lift": ("hands 15 mA 20 min, hand lifted to a third of its area at minute 5 "
                     "over 3 s, held 30 s, put back over 3 s (SR-23)", None, 21 * 60 + 30,
                     _partial_lift),
    "skin4k": ("hands 15 mA 20 min on a constant 4 kOhm skin: compliance-limited on the "
               "58 V rail (SR-14)", None, 21 * 60 + 30, _skin4k),
    # What `make sim` shows: a whole session with every gentle transition.
    "tour": ("hands 15 mA 20 min: start, ramp, hand lifted at minute 7 and back 20 s "
             "later, midway reversal, ramp-down", None, 21 * 60 + 50, _lift_and_reimmerse),
}
# S16 (a power cut during the file writes of a session) is in the fault matrix
# (host_tests/device/fault_matrix.py, F49 and F50), with the other faults; every
# writer of the firmware's files, cut at each of its write steps, is in
# tools/sim/powercut.py (host_tests/device/test_power_cut.py; `ionto bench` M9).


def prepare(board, name):
    # Write the scenario's config and schedule its events; returns run seconds.
    if name not in SCENARIOS:
        raise ValueError("unknown scenario " + name + "; known: " + " ".join(sorted(SCENARIOS)))
    _, config, seconds, setup = SCENARIOS[name]
    if config is not None:
        board.write_file("config.json", json.dumps(config))
    setup(board)
    return seconds

# The fault matrix (issue 6, shared/design/measures.md S5-S16 and more): what is
# injected, when, and the safe outcome expected of the whole firmware on the
# simulated board. host_tests/device/fault_support.py runs a case and
# fault_checks.py checks its outcome; test_faults.py runs its one test once per
# row, the id its parameter (test_fault[F13]). docs/SAFETY.md cites the cases
# per safety requirement, each under the SRs of its third column.
#
# A row: (id, what, SRs, when, injector, argument, outcome, code, bound, gap)
#   when      boot (first microsecond), idle (0.3 s), ramp (6 s, about 3 mA of
#             the 8 mA ramp), treat (12.5 s, at 8 mA), rev_on (the midway
#             reversal, 1 s into its ramp to zero), rev_off (the reversal's
#             500 ms with the output off); by the session's state: checks (the
#             pre-session checks), wait_contact (the probe current), and after
#             the person's press at 12 s in treatment: pause (a short press),
#             ramp_down (a 2.2 s hold: stopped), done (0.3 s after the end of
#             that ramp down: the session journaled)
#   injector  a function of tools/sim/faults.py and its argument; "all": a
#             tuple of (injector, argument) pairs; "after": (seconds, injector,
#             argument), that much later
#   outcome   latch   the fault latched: the output off within `bound` ticks of
#                     the first tick after the injection (M5: 2), the fault's
#                     code in the status and blinked by the LED, a journal
#                     record with it when a session was running
#             stop    a controlled end (SR-16, SR-17): once the output is off
#                     it stays off; code = (journal end, refusal of the next
#                     start or None)
#             pause   contact loss (SR-10): paused, a fresh ramp after the hand
#                     is back, no fault; ended by the person (journal: pauses)
#             go_on   nothing to latch: for `bound` seconds no fault, the
#                     session goes on, the current stays within set point +
#                     max(1 mA, 10 %) (SR-6)
#             crash   an exception escapes: main.py's finally switches the
#                     output off in the same tick (SR-1); the watchdog resets
#                     the board (SR-3); it boots with the RESET fault latched
#                     and the session journaled as interrupted, no resume (SR-4)
#             reset   the loop hangs: the watchdog resets within its timeout of
#                     the hang; as crash from there (SR-3, SR-4): the LED shows
#                     code 7, no current after the reset; code = the journal's
#                     end: "interrupted" (a session was running: started, not
#                     yet journaled) or "reset" (none was)
#             repl    an exception at startup: outputs low, no watchdog yet, no
#                     current ever
#             refuse  the start refused with code (its quick blinks on the LED)
#             safe    safe mode: no app, no current (SR-20)
#             cut     a power cut in a file write (S16): boots again (a cut
#                     session is journaled as interrupted, SR-4), a second
#                     session's record is whole, only the torn one is lost
#   gap       "" or what the outcome falls short of in the brief (reported in
#             docs/SAFETY.md); the test checks what the firmware does instead.
# Codes are names (firmware/names.py: FAULTS, REFUSALS, ENDS).

_FROZEN = 500  # ticks: SR-12 (issue 14 D2): a frozen current or voltage within 500 ms
_FROZEN_SLOW = 10100  # ticks: a frozen rail or battery, FROZEN_SLOW_MS (10 s) + their period
_SLOW = 34  # ticks: the rail is read every 16 ticks, the battery every 32 (firmware/app.py), + 2

CASES = (
    # ---- sensors: current, voltage, rail, battery; stuck high, low, frozen ----
    ("F01", "current reading pinned high", "SR-12 SR-5", "treat", "stuck", ("current", 4095),
     "latch", "overcurrent", 2, ""),  # full scale is 33 mA: the SR-5 check runs first
    ("F02", "current reading pinned at zero (S8)", "SR-12", "treat", "stuck", ("current", 0),
     "latch", "sensor", 2, ""),
    ("F03", "current reading frozen during the ramp", "SR-12", "ramp", "frozen", "current",
     "latch", "frozen", _FROZEN, ""),
    ("F04", "voltage reading pinned high", "SR-12", "treat", "stuck", ("voltage", 4095),
     "latch", "sensor", 2, ""),
    ("F05", "voltage reading pinned at zero", "SR-12 SR-13", "treat", "stuck", ("voltage", 0),
     "latch", "short", 2,
     "SR-12 asks for the sensor code; 0 V at 8 mA reads as a dead short (SR-13), off alike"),
    ("F06", "voltage reading frozen during the ramp", "SR-12", "ramp", "frozen", "voltage",
     "latch", "frozen", _FROZEN, ""),
    ("F07", "rail reading pinned high", "SR-12", "treat", "stuck", ("rail", 4095),
     "latch", "sensor", _SLOW, ""),
    ("F08", "rail reading pinned at zero", "SR-12", "treat", "stuck", ("rail", 0),
     "latch", "sensor", _SLOW, ""),
    ("F09", "rail reading frozen during the ramp", "SR-12", "ramp", "frozen", "rail",
     "latch", "frozen", _FROZEN_SLOW, ""),
    ("F10", "battery reading pinned high", "SR-12 SR-16", "treat", "stuck", ("battery", 4095),
     "latch", "sensor", _SLOW, ""),
    ("F11", "battery reading pinned at zero", "SR-12 SR-16", "treat", "stuck", ("battery", 0),
     "latch", "sensor", _SLOW, ""),
    ("F12", "battery reading frozen", "SR-12 SR-16", "treat", "frozen", "battery",
     "latch", "frozen", _FROZEN_SLOW, ""),
    # ---- current: overcurrent, surge, short, trip, leak ----
    ("F13", "overcurrent: the sink passes 23 mA more into a 1.2 kOhm load", "SR-5", "treat",
     "all", (("load", 1200), ("sink_extra", 23000)), "latch", "overcurrent", 2, ""),
    # (into a hand, 31 mA would need 100 V: the rail cannot, and F14's surges it is)
    ("F14", "surges: the sink passes 3 mA more", "SR-6", "treat", "sink_extra", 3000,
     "latch", "surge", 3 * 20 + 5, ""),  # the third 20 ms surge latches
    ("F15", "short in treatment (S7)", "SR-13", "treat", "contact", "short",
     "latch", "short", 2, ""),
    ("F16", "short during the ramp", "SR-13", "ramp", "contact", "short",
     "latch", "short", 2, ""),
    ("F17", "hardware trip (S10), then acknowledged", "SR-15", "treat", "trip", False,
     "latch", "trip", 2, ""),
    ("F18", "hardware trip latch stuck: acknowledging cannot clear it", "SR-15", "treat",
     "trip", True, "latch", "trip", 2, ""),
    ("F19", "leak with the output off, idle (S9)", "SR-12 SR-9", "idle", "leak", 400,
     "latch", "leak", None, ""),
    ("F20", "leak during the reversal's off time", "SR-12 SR-11", "rev_off", "leak", 400,
     "latch", "leak", None, ""),
    # ---- relay, reversal, battery, contact, USB, button ----
    ("F21", "relay stuck: its contacts do not follow the coil", "SR-11", "rev_on", "relay",
     "stuck", "go_on", None, 9,
     "not detectable: the reference circuit has no relay feedback; same polarity, safe"),
    ("F22", "relay opens the circuit at its switch", "SR-11 SR-10", "rev_on", "relay", "open",
     "pause", None, None, ""),
    ("F23", "battery sag to cut-off during the ramp (S12)", "SR-16", "ramp", "battery",
     (3050, 100), "stop", ("battery", "battery"), None, ""),
    ("F24", "battery sag during the reversal's ramp to zero", "SR-16 SR-11", "rev_on", "battery",
     (3050, 100), "stop", ("battery", "battery"), None, ""),
    ("F25", "contact lost during the reversal", "SR-10 SR-11", "rev_on", "contact", "lift",
     "pause", None, None, ""),
    ("F26", "hand lifted in treatment, then back (S5)", "SR-10", "treat", "contact", "lift",
     "pause", None, None, ""),
    ("F27", "hand pressed in treatment (S6)", "SR-8 SR-14", "treat", "contact", "press",
     "go_on", None, 3, ""),
    ("F28", "USB power plugged in during treatment", "SR-17", "treat", "usb", True,
     "stop", ("usb", "usb"), None, ""),
    ("F29", "USB power present at the start (S13)", "SR-17", "idle", "usb", True,
     "refuse", "usb", None, ""),
    ("F30", "corrupt calibration and config files (S15)", "SR-19", "boot", "corrupt_files",
     None, "refuse", "uncalibrated", None, ""),
    ("F31", "button held at power-up (S14)", "SR-20", "boot", "button", True,
     "safe", None, None, ""),
    ("F32", "button stuck down in treatment (S14)", "SR-20 SR-8", "treat", "button", True,
     "stop", ("user", None), None, ""),
    # ---- timing: overruns, a stall, a hang ----
    ("F33", "200 slow ticks (2.5 ms each) in treatment", "SR-3", "treat", "slow_ticks",
     (200, 1500), "go_on", None, 2, ""),
    ("F34", "one 600 ms stall in treatment", "SR-3", "treat", "slow_ticks", (1, 600000),
     "go_on", None, 2, ""),
    ("F35", "loop hang in treatment (S11)", "SR-3 SR-4", "treat", "hang", 1.2,
     "reset", "interrupted", None, ""),
    # ---- an exception raised from each module of the loop (and startup) ----
    ("F36", "exception in the regulator", "SR-1 SR-3 SR-4", "treat", "raise_in",
     "firmware.regulator:Regulator.step", "crash", None, 1, ""),
    ("F37", "exception in the supervisor's checks", "SR-1", "treat", "raise_in",
     "firmware.supervisor:Supervisor.check", "crash", None, 1, ""),
    ("F38", "exception in the supervisor's drive", "SR-1 SR-2", "treat", "raise_in",
     "firmware.supervisor:Supervisor.drive", "crash", None, 1, ""),
    ("F39", "exception in the session", "SR-1", "treat", "raise_in",
     "firmware.session:Session.step", "crash", None, 1, ""),
    ("F40", "exception in the app's tick", "SR-1", "treat", "raise_in",
     "firmware.app:App.tick", "crash", None, 1, ""),
    ("F41", "exception in the hal's current reading", "SR-1", "treat", "raise_in",
     "firmware.hal:Hal.sense", "crash", None, 1, ""),
    ("F42", "exception in the hal's output_off, at a short", "SR-1 SR-13", "treat", "all",
     (("raise_in", "firmware.hal:Hal.output_off"), ("contact", "short")),
     "crash", None, 2, ""),
    ("F43", "exception in the button", "SR-1 SR-20", "treat", "raise_in",
     "firmware.button:Button.update", "crash", None, 1, ""),
    ("F44", "exception in the LED patterns", "SR-1", "treat", "raise_in",
     "firmware.ui:led_level", "crash", None, 1, ""),
    ("F45", "exception in the trace", "SR-1 SR-21", "treat", "raise_in",
     "firmware.trace:Trace.add", "crash", None, 1, ""),
    ("F46", "exception in the journal, after a stop", "SR-1 SR-18", "ramp", "all",
     (("raise_in", "firmware.journal:append"), ("press", 2.2)), "crash", None, None, ""),
    ("F47", "exception at startup", "SR-1", "boot", "raise_in", "firmware.startup:build",
     "repl", None, None, ""),
    ("F48", "exception reading the config at startup", "SR-1 SR-19", "boot", "raise_in",
     "firmware.store:load_config", "repl", None, None, ""),
    # ---- S16: a power cut during each file write of a session ----
    ("F49", "power cut while the journal line is written (S16)", "SR-19 SR-18", "ramp", "all",
     (("power_cut_in", "firmware.journal:append"), ("press", 2.2)), "cut", None, None, ""),
    ("F50", "power cut while the trace file is written (S16)", "SR-19 SR-18", "ramp", "all",
     (("power_cut_in", "firmware.journal:save_trace"), ("press", 2.2)), "cut", None, None, ""),
    # ---- a controlled end while the output is off ----
    ("F51", "USB power plugged in during the reversal's off time", "SR-17 SR-11", "rev_off",
     "usb", True, "stop", ("usb", "usb"), None, ""),
    ("F52", "battery sag while paused by the person, output off", "SR-16 SR-10", "treat", "all",
     (("press", 0.3), ("after", (9.5, "battery", (2950, 0)))), "stop", ("battery", "battery"),
     None, ""),
    # ---- a hang at each stage of the session (S11; F35: in treatment) ----
    ("F53", "loop hang at rest, no session started", "SR-3 SR-4", "idle", "hang", 1.2,
     "reset", "reset", None, ""),
    ("F54", "loop hang in the pre-session checks", "SR-3 SR-4", "checks", "hang", 1.2,
     "reset", "interrupted", None, ""),
    ("F55", "loop hang while the probe waits for contact", "SR-3 SR-4", "wait_contact", "hang",
     1.2, "reset", "interrupted", None, ""),
    ("F56", "loop hang in the ramp", "SR-3 SR-4", "ramp", "hang", 1.2,
     "reset", "interrupted", None, ""),
    ("F57", "loop hang while paused by the person", "SR-3 SR-4", "pause", "hang", 1.2,
     "reset", "interrupted", None, ""),
    ("F58", "loop hang in the reversal's ramp to zero", "SR-3 SR-4", "rev_on", "hang", 1.2,
     "reset", "interrupted", None, ""),
    ("F59", "loop hang in the reversal's off time", "SR-3 SR-4", "rev_off", "hang", 1.2,
     "reset", "interrupted", None, ""),
    ("F60", "loop hang in the ramp down after a stop", "SR-3 SR-4", "ramp_down", "hang", 1.2,
     "reset", "interrupted", None, ""),
    ("F61", "loop hang after a session ended and was journaled", "SR-3 SR-4", "done", "hang",
     1.2, "reset", "reset", None, ""),
    # ---- a function of the loop that never returns (a deadlock, an endless loop) ----
    ("F62", "hang in the hal's current reading", "SR-3 SR-4", "treat", "hang_in",
     "firmware.hal:Hal.sense", "reset", "interrupted", None, ""),
    ("F63", "hang in the supervisor's checks", "SR-3 SR-4", "treat", "hang_in",
     "firmware.supervisor:Supervisor.check", "reset", "interrupted", None, ""),
    ("F64", "hang in the session", "SR-3 SR-4", "treat", "hang_in",
     "firmware.session:Session.step", "reset", "interrupted", None, ""),
    ("F65", "hang in the regulator", "SR-3 SR-4", "treat", "hang_in",
     "firmware.regulator:Regulator.step", "reset", "interrupted", None, ""),
    ("F66", "hang in the supervisor's drive", "SR-3 SR-4", "treat", "hang_in",
     "firmware.supervisor:Supervisor.drive", "reset", "interrupted", None, ""),
    ("F67", "hang in the LED patterns", "SR-3 SR-4", "treat", "hang_in",
     "firmware.ui:led_level", "reset", "interrupted", None, ""),
    ("F68", "hang in the trace", "SR-3 SR-4", "treat", "hang_in",
     "firmware.trace:Trace.add", "reset", "interrupted", None, ""),
    ("F69", "hang in the set point's write (the drive's PWM)", "SR-3 SR-4", "treat", "hang_in",
     "firmware.hal:Hal.set_current_ua", "reset", "interrupted", None, ""),
    # ---- a job run with the output off that never returns ----
    ("F70", "hang in the journal write after a stop", "SR-3 SR-4 SR-18", "ramp", "all",
     (("hang_in", "firmware.journal:append"), ("press", 2.2)), "reset", "interrupted", None, ""),
    ("F71", "hang in the start gesture's job (schedule, marker)", "SR-3 SR-4 SR-22", "idle",
     "hang_in", "firmware.start_gesture:run", "reset", "reset", None, ""),
    ("F72", "hang in the profile pick's job (two short presses)", "SR-3 SR-4 SR-19", "done",
     "all", (("hang_in", "firmware.picker:run"), ("press", 0.3), ("after", (0.8, "press", 0.3))),
     "reset", "reset", None, ""),
    # ---- SR-4 through safe mode (SR-20): the button held through the watchdog's reset ----
    # outcome safe_reset: the loop hangs, the button is pressed and held on
    # through the watchdog's reset: the board boots into safe mode (SR-20: no
    # app, no current); as for reset, the LED shows code 7 and the journal holds
    # the record (code: its end) once, written in safe mode (SR-4); then the
    # button released, a power-up starts the app at rest, with no fault and no
    # second record.
    ("F73", "loop hang in treatment, the button held through the watchdog's reset",
     "SR-3 SR-4 SR-20", "treat", "all", (("hang", 1.2), ("after", (0.1, "button", True))),
     "safe_reset", "interrupted", None, ""),
    # ---- SR-12 frozen readings in every output state (issue 14 D2) ----
    ("F80", "current reading frozen in treatment, the set point steady (S8-like)", "SR-12",
     "treat", "frozen", "current", "latch", "frozen", _FROZEN, ""),
    ("F81", "current reading frozen as the contact probe starts", "SR-12 SR-9", "wait_contact",
     "frozen", "current", "latch", "frozen", _FROZEN, ""),
    ("F82", "current reading frozen in the user's pause (ramping down)", "SR-12", "pause",
     "frozen", "current", "latch", "frozen", _FROZEN, ""),
    ("F83", "current reading frozen in the ramp down", "SR-12", "ramp_down", "frozen",
     "current", "latch", "frozen", _FROZEN, ""),
    ("F84", "voltage reading frozen in treatment", "SR-12", "treat", "frozen", "voltage",
     "latch", "frozen", _FROZEN, ""),
    ("F85", "voltage reading frozen as the contact probe starts", "SR-12 SR-13", "wait_contact",
     "frozen", "voltage", "latch", "frozen", _FROZEN, ""),
    ("F86", "short as the contact probe starts", "SR-13", "wait_contact", "contact", "short",
     "latch", "short", _FROZEN, ""),
)


def case(case_id):
    for c in CASES:
        if c[0] == case_id:
            return c
    raise KeyError(case_id)

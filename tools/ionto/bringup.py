"""ionto bringup: the first power-on of a newly built board, before calibration
(docs/bringup.md, issue 18 item 5).

A bench resistor across the tray leads (nobody connected), a multimeter, USB power
allowed (as for calibration, SR-17). Each step asks, checks, and stops on a failure
with what to check. The board is not calibrated yet: it reads with the board file's
nominal scales (store.nominal_calibration), so its readings are compared with the
meter within what a calibration can still correct (store.py: gain +-10 %).

Steps:
 1. outputs off with the board held in reset (before connecting): the electrode voltage;
 2. the board at its console (the app stopped): output off, status;
 3. outputs off with the firmware stopped: the electrode voltage again;
 4. zero: the current with the output off (SR-9: at most 0.1 mA), the offsets;
 5. the rail against the meter (never above 60 V);
 6. the pack (the battery channel) against the meter, where the board has one;
 7. the button up, then a long press that also acknowledges the trip latch's reset
    (SR-15: reset only with the output off, after a long press);
 8. the hardware trip: the person makes the comparator fire with the test button SW4
    (docs/bringup.md; the output stays off), then the latch's reset after a long press;
 9. the relay's click, with the output off (SR-11), the person confirms;
10. the LED, the person confirms;
and the report: on the board (console.bringup_save, atomic) and on the host (JSON).

The firmware never drives current above 25 mA (SR-5), so the trip (35 mA) is never
reached through the output: see docs/bringup.md for the test button and its limits.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.ionto.calibrate import (
    OHM_RANGE,
    AnswerError,
    Answers,
    CalibrationError,
    Steps,
    typed_number,
)

REPORT_VERSION = 1  # firmware/console.py BRINGUP_VERSION
OFF_LEAK_UA = 100  # SR-9: current above 0.1 mA with the output off is a leak
# The meter across the bench resistor, output off: the circuit's own bound, IEC
# 60601-1's DC patient leakage in normal condition (recalled, docs/circuit.md: the
# SPICE runs give 8.6 uA with the transistors' leakage at its datasheet maximum).
OFF_METER_UA = 10
RAIL_MAX_MV = 60000  # hardware.md: the rail never above 60 V
RAIL_MIN_PCT = 80  # firmware/limits.py RAIL_START_MIN_PCT: a start is refused below it
READ_PCT = 10.0  # the board's uncalibrated reading vs the meter: store.py's gain range
READ_MIN_MV = 100  # plus this much (the meter's last digits, a few ADC codes)
WAIT_S = 30  # the console's waits for the person (button, trip test button), 1-60 s
VOLT_TOP = 100.0  # no voltage on this device is near this (a typo above it)

# Where each board's battery channel is measured (docs/bringup.md).
PACK_POINT = {
    "pico": "VSYS (the Pico's pin 39) to GND: the battery channel reads VSYS/3",
    "esp32_devkitc": "the pack at J1 (after the fuse F1) to GND",
}
RESET_HOW = ("hold the board in reset: on a Pico join its RUN pin (pin 30) to GND with a "
             "wire or a button and keep it there; on an ESP32 DevKitC hold its EN button down")


class BringupError(CalibrationError):
    """A step failed: the message says which and what to check."""


def parse_volts(text: str, top: float = VOLT_TOP) -> float:
    """A meter reading in V (or mV with its unit), 0 allowed: volts."""
    s, m = typed_number(text)
    unit = m.group(2).lower() if m else ""
    if m is None or unit not in ("", "v", "mv"):
        raise AnswerError(f"{s!r} is not a number of V (for example 57.9, or 12 mV)")
    v = float(m.group(1)) / (1000 if unit == "mv" else 1)
    if not (math.isfinite(v) and 0 <= v <= top):
        raise AnswerError(f"{s!r}: must be 0-{top:g} V")
    return v


def parse_yes(text: str) -> bool:
    s = text.strip().lower() if isinstance(text, str) else ""
    if s in ("y", "yes"):
        return True
    if s in ("n", "no"):
        return False
    raise AnswerError(f"{text!r}: answer yes or no")


@dataclass
class Report:
    board: str = "?"
    ohm: float = 0.0
    steps: list[dict] = field(default_factory=list)
    passed: bool = False
    version: str = "?"  # the firmware's
    time: str = ""

    def as_dict(self) -> dict:
        return {"version": REPORT_VERSION, "passed": self.passed, "board": self.board,
                "firmware": self.version, "time": self.time, "bench_ohm": self.ohm,
                "steps": self.steps}


class Wizard(Steps):
    """open_link() -> a console link (call(expr), as tools/ionto/link.Console); it is
    opened after the first step, which needs the board held in reset."""

    error = BringupError

    def __init__(self, open_link: Callable[[], Any], answers: Answers, ohm: float | None = None,
                 say: Callable[[str], None] = print,
                 wait_s: int = WAIT_S):
        self.open_link = open_link
        self.link: Any = None
        self.answers = answers
        self.ohm = ohm
        self.say = say
        self.wait_s = wait_s
        self.report = Report()
        self.step = 0
        self.steps = 10

    # ---- helpers ----
    def _record(self, name: str, ok: bool, **data: Any) -> None:
        self.report.steps.append({"step": name, "ok": ok, **data})

    def _fail(self, name: str, msg: str, **data: Any) -> None:
        self._record(name, False, **data)
        raise BringupError(f"{name}: {msg}")

    def _volts(self, prompt: str) -> float:
        return self.answers.number(f"{prompt}, in V", parse_volts)

    def _yes(self, prompt: str) -> bool:
        return bool(self.answers.number(f"{prompt} (yes/no)", parse_yes))

    def _off_volts(self, name: str, v: float) -> None:
        # OFF_METER_UA as a voltage across the bench resistor.
        limit_v = OFF_METER_UA * self.ohm / 1e6
        data = {"meter_mv": round(v * 1000, 1), "limit_mv": round(limit_v * 1000, 1)}
        if v > limit_v:
            self._fail(name, f"{v:g} V across the {self.ohm:g} Ohm resistor with the output "
                       f"off is {v / self.ohm * 1e6:.1f} uA, over the {OFF_METER_UA} uA an "
                       f"output that is off may pass ({limit_v * 1000:g} mV; IEC 60601-1's DC "
                       f"leakage, docs/circuit.md). Check the pull-downs "
                       f"(R15 on enable, R6 on set), Q1's gate resistor R2 (gate to source), "
                       f"Q3/Q4 and the wiring of Q1; do not go on", **data)
        self._record(name, True, **data)

    def _against(self, name: str, what: str, meter_v: float, board_mv: int, fix: str) -> None:
        tol = meter_v * 1000 * READ_PCT / 100 + READ_MIN_MV
        data = {"meter_mv": round(meter_v * 1000), "board_mv": board_mv, "tol_mv": round(tol)}
        if abs(board_mv - meter_v * 1000) > tol:
            self._fail(name, f"the board reads {board_mv / 1000:.2f} V for {what}, the meter "
                       f"{meter_v:.2f} V: more than {READ_PCT:g} % apart (what a calibration "
                       f"can correct, store.py). {fix}", **data)
        self._record(name, True, **data)
        self.say(f"  board {board_mv / 1000:.2f} V, meter {meter_v:.2f} V: within "
                 f"{READ_PCT:g} %")

    # ---- the run ----
    def run(self) -> Report:
        try:
            self._run()
        finally:
            self.report.time = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            if self.link is not None:  # the relay and the LED back as at reset
                for call in ("relay(False)", "led(False)"):
                    try:
                        self.link.call(call)
                    except Exception:  # noqa: BLE001 - a lost port: the reset does it
                        pass
        self.report.passed = True
        return self.report

    def _run(self) -> None:
        rep = self.report
        if self.ohm is None:
            self.ohm = self.answers.number(
                "the bench resistor as the meter measures it, in Ohm",
                lambda s: _ohm(s))
        lo, hi = OHM_RANGE
        if not lo <= self.ohm <= hi:
            raise BringupError(f"a bench resistor of {self.ohm:g} Ohm: use {lo:g}-{hi:g} Ohm "
                               "(for example 1 kOhm, 1 W)")
        rep.ohm = self.ohm

        self._progress("outputs off with the board held in reset")
        self.say(f"  pack on, the bench resistor across the tray leads, nobody connected; "
                 f"{RESET_HOW}; the meter (DC V) across the resistor")
        self._off_volts("reset_off", self._volts("the electrode voltage with the board held "
                                                 "in reset"))
        self.say("  now let the board out of reset")

        self._progress("the board at its console")
        self.link = self.open_link()
        st = self._call("status()")
        rep.board, rep.version = st["board"], st["version"]
        self.say(f"  {st['board']}, firmware {st['version']}, calibration: {st['calibration']}"
                 f"{', on USB power (SR-17: allowed on a bench resistor)' if st['usb'] else ''}")
        if st["output_on"]:
            self._fail("console", "the board says its output is on at the console: do not go "
                       "on; reflash the firmware (ionto deploy)")
        self._record("console", True, usb=st["usb"])

        self._progress("outputs off with the firmware stopped")
        self._off_volts("stopped_off", self._volts("the electrode voltage now (the board at "
                                                   "its console)"))

        self._progress("zero: the current with the output off")
        z = self._call("cal_zero()")
        data = {"i_ua": z["i_ua"], "offset_i": z["current"]["offset"],
                "offset_v": z["voltage"]["offset"]}
        if z["i_ua"] > OFF_LEAK_UA:
            self._fail("zero", f"the board reads {z['i_ua']} uA with the output off, over "
                       f"SR-9's {OFF_LEAK_UA} uA: a leak past the output switch (Q1, Q2, the "
                       "pull-downs) or a sense path that reads high (R5, R25/C11, the current "
                       "ADC pin's wire)", **data)
        if not z["ok"]:
            self._fail("zero", f"an ADC offset outside +-200 codes (current "
                       f"{z['current']['offset']}, voltage {z['voltage']['offset']}): check "
                       "the wires to the current and voltage ADC pins and the difference "
                       "stage U4A (R18-R21, R36)", **data)
        self._record("zero", True, **data)
        self.say(f"  {z['i_ua']} uA with the output off (SR-9: at most {OFF_LEAK_UA}); offsets "
                 f"{z['current']['offset']}, {z['voltage']['offset']} codes")

        self._progress("the rail against the meter")
        rail = self._volts("the rail (the boost U2's output, at R1) to GND")
        if rail * 1000 > RAIL_MAX_MV:
            self._fail("rail", f"{rail:g} V: the rail must stay under 60 V (hardware.md): take "
                       "the pack off and check U2's feedback divider R41/R42 (126 kOhm / "
                       "2.80 kOhm, 0.1 %; an open R41 runs the rail away) before anything "
                       "else", meter_mv=round(rail * 1000))
        st = self._call("status()")
        nominal = _board(st["board"]).get("rail_mv", 58000)
        if rail * 1000 < nominal * RAIL_MIN_PCT / 100:
            self._fail("rail", f"{rail:g} V, under {RAIL_MIN_PCT} % of the board's "
                       f"{nominal / 1000:g} V (the firmware refuses a start there): check "
                       "U2's parts (R41/R42, L1, Q8, D6), its input (U7's 12 V on a Pico "
                       "build, the pack on an ESP32) and its enable (with the board on, Q9 "
                       "holds U2's FA/SD pin near 0 V)", meter_mv=round(rail * 1000))
        self._against("rail", "the rail", rail, st["rail_mv"],
                      "Check the rail divider (R23/R24) and its wire to the rail ADC pin")

        self._progress("the pack (the battery channel) against the meter")
        board = _board(st["board"])
        if board.get("pin_adc_battery") is None:
            self._record("pack", True, skipped="no battery channel on this board")
            self.say("  this board has no battery channel (its board file): skipped")
        else:
            point = PACK_POINT.get(st["board"], "the battery channel's input to GND")
            pack = self._volts(f"the voltage at {point}")
            self._against("pack", "the battery channel", pack, st["battery_mv"],
                          "Check the battery divider and its wire to the battery ADC pin")

        self._progress("the button, and the trip latch's reset (SR-15)")
        if st["button"]:
            self._fail("button", "the button reads pressed while nobody touches it: check its "
                       "wire (it goes to GND when pressed; the pin has a pull-up)")
        self.say(f"  hold the button down for 2 s within {self.wait_s} s: it acknowledges the "
                 "trip latch's reset (the output is off)")
        r = self._call(f"trip_reset({self.wait_s})")
        if not r["held"]:
            self._fail("button", f"no 2 s press within {self.wait_s} s: check the button's "
                       "wires (its pin and GND)", trip=r["trip"])
        self._record("button", True)
        if r["trip"]:
            self._fail("trip_reset", "the trip input still reads tripped after the latch's "
                       "reset: check U6 (74HC00), R17 and the trip_reset wire, U5's output "
                       "and R14 (a comparator that fires with no current: SW4 stuck closed, "
                       "C6/R13, the reference R11/R12)", trip_before=r["trip_before"])
        self._record("trip_reset", True, trip_before=r["trip_before"])
        self.say(f"  the latch was {'tripped' if r['trip_before'] else 'clear'} at power-up "
                 "(either is possible); it reads clear after the reset")

        self._progress("the hardware trip: make the comparator fire (output off)")
        self.say(f"  press the trip test button SW4 on the board (lid open) and hold it: the "
                 f"tool waits {self.wait_s} s for the trip input. A board without SW4: touch "
                 "the 100 Ohm test lead from 3V3 to U5 pin 2 instead (docs/bringup.md)")
        if not self._yes("ready to press the test button"):
            self._fail("trip_fire", "not done: the hardware trip is part of the bring-up")
        r = self._call(f"trip_wait({self.wait_s})")
        if r["trip"] and r["after_ms"] == 0:
            self._fail("trip_fire", "the trip input was asserted before the button could be "
                       "pressed: the latch sets by itself after its reset (SW4 stuck closed, "
                       "C6/R13 or the reference R11/R12 near the sense level, U5, U6)")
        if not r["trip"]:
            self._fail("trip_fire", f"the trip input did not assert within {self.wait_s} s: "
                       "check SW4 and R52 (U5 pin 2 should read 3.02 V while SW4 is held), "
                       "the reference (U5 pin 3 should read 2.87 V), R14, the 74HC00 "
                       "latch (U6) and the wire from OK_G to the trip pin")
        self._record("trip_fire", True, after_ms=r["after_ms"])
        self.say(f"  tripped {r['after_ms']} ms after the wait began. Let go of SW4; then "
                 f"hold the button 2 s within {self.wait_s} s to reset the latch")
        r = self._call(f"trip_reset({self.wait_s})")
        if not r["held"] or r["trip"]:
            self._fail("trip_release", "no 2 s press" if not r["held"] else
                       "the latch stays tripped: is SW4 released (U5 pin 2 back near 0 V; "
                       "or the lead away from it)? Else the reset path: U6 gate A, R17, "
                       "the trip_reset wire")
        self._record("trip_release", True)

        self._progress("the relay, with the output off (SR-11)")
        self._call("relay(True)")
        ok = self._yes("did the relay click (reversed polarity)")
        self._call("relay(False)")
        back = ok and self._yes("did it click back (normal polarity)")
        if not (ok and back):
            self._fail("relay", "no click: check the coil's 5 V, Q5 and its gate wire from "
                       "the relay pin, the flyback diode D3's direction, R16")
        self._record("relay", True)

        self._progress("the LED")
        self._call("led(True)")
        on = self._yes("is the status LED on")
        self._call("led(False)")
        off = on and self._yes("is it off now")
        if not (on and off):
            self._fail("led", "check the LED's polarity, its resistor and its pin's wire")
        self._record("led", True)


def _ohm(text: str) -> float:
    from tools.ionto.calibrate import parse_number

    return parse_number(text, "Ohm", 1e6)


def _board(name: str) -> dict:
    from tools.device_files import ROOT
    from tools.sim.simboard import load_board

    try:
        return load_board(name, str(ROOT))
    except OSError:
        return {}


def save_host(report: dict, board_id: str, folder: Path) -> Path:
    """The report as JSON in the host's data folder (tools/ionto/history.py data_dir),
    under bringup/, one file a run, written to a temporary file and renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", board_id)
    stamp = report.get("time", "").replace(":", "").replace("-", "") or "unknown"
    path = folder / f"{safe}_{stamp}.json"
    n = 1
    while path.exists():
        path = folder / f"{safe}_{stamp}-{n}.json"
        n += 1
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, indent=1) + "\n")
    tmp.replace(path)
    return path


def require_passed(link: Any) -> dict:
    """ionto calibrate's check: the board's stored bring-up report, passed; else
    BringupError with what to do."""
    got = link.call("bringup()")
    rep = got.get("report")
    if rep is None:
        raise BringupError(f"no bring-up report on the board ({got.get('why')}): run "
                           "`ionto bringup` first (docs/bringup.md); to re-calibrate a board "
                           "brought up before, --no-bringup-check")
    if not rep.get("passed"):
        failed = [s["step"] for s in rep.get("steps", []) if not s.get("ok")]
        raise BringupError(f"the board's last bring-up ({rep.get('time')}) failed at "
                           f"{', '.join(failed) or 'a step'}: fix it and run `ionto bringup` "
                           "again (docs/bringup.md)")
    return rep

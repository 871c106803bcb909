"""ionto calibrate: the guided calibration of a board on a bench resistor (docs/calibration.md).

Steps, each checked before the next (SR-19: nothing implausible is stored):
1. the board: at the console, output off, no trip, the button up;
2. zero (console.cal_zero): the current and voltage offsets with the output off;
3. gain: a bench run at each set point (console.cal_point) into the bench
   resistor; the person types what the multimeter in series showed (mA). The
   meter against the board's current reading gives the current gain; the meter
   times the resistor (measured before with the same meter's ohm range) against
   the voltage reading gives the voltage gain. Every point's gain must lie in
   store's range and the points must agree within AGREE_PCT;
4. the new calibration is checked here and by the board, then stored
   atomically (console.cal_save): until here the old calibration.json is untouched;
5. verification: bench runs at VERIFY_UA with the new calibration, the meter
   typed again; a table, and a PNG plot. A failed check puts the old
   calibration back (or removes the new one when there was none).

The board is reached through a link: any object with call(expr) -> JSON
(runs console.<expr> on the board) and reconnect() (after a bench run the
watchdog resets the board, which comes back at the console, docs/console.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import tools.sim.mpshim  # noqa: F401  (the firmware's `micropython` in CPython)
from firmware import store

POINTS_UA = (5000, 10000, 20000)  # the gain points: the treatment range (SR-5: up to 25 mA)
VERIFY_UA = (4000, 12000, 20000)  # other points than the gain's: the line in between holds
HOLD_S = 20  # at each set point: time to read the meter (console.BENCH_S: 2-120 s)
AGREE_PCT = 1.0  # the points' gains agree within this (1 % resistors, a 0.5 % meter)
TRACK_PCT = 3.0  # the board's own reading holds the set point within this in a bench run
VERIFY_PCT = 1.0  # after calibration: meter vs set point and reading vs meter
VERIFY_MIN_UA = 20  # plus this much (the meter's last digit, the ADC's step)
VOLT_VERIFY_PCT = 2.0  # the voltage reading vs meter x resistor (the resistor's 1 %)
MAX_MA = 1000.0  # above this no meter reading of this device (SR-5: 25 mA; 100.2 is a typo)
OHM_RANGE = (200.0, 10000.0)  # a bench resistor: 1-2.2 kOhm, docs/calibration.md
RAIL_USE = 0.9  # the highest point's I x R within this share of the rail (compliance)
GAIN_CHANNELS = ("current", "voltage")  # what this wizard measures; the rest is kept


class CalibrationError(Exception):
    """A step was not plausible: the message says which and why. Nothing was stored, or
    the old calibration was put back, unless `changed` (putting it back failed too)."""

    def __init__(self, msg: str, changed: bool = False):
        super().__init__(msg)
        self.changed = changed


class AnswerError(ValueError):
    """A typed answer is not a number this step can use."""


class ConsoleLink(Protocol):
    def call(self, expr: str) -> Any: ...

    def reconnect(self) -> None: ...


# ---- answers ----
_NUMBER = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)", re.ASCII)


def typed_number(text: str) -> tuple[str, re.Match[str] | None]:
    """The answer stripped, and its match of a decimal number with the unit after it
    (group 1, group 2), or None; a comma for a decimal point is refused."""
    if not isinstance(text, str):
        raise AnswerError(f"not text: {text!r}")
    s = text.strip()
    if "," in s:
        raise AnswerError(f"{s!r}: use a decimal point, not a comma")
    return s, _NUMBER.fullmatch(s)


def parse_number(text: str, unit: str, top: float) -> float:
    """A positive decimal number, optionally followed by its unit (mA, Ohm)."""
    s, m = typed_number(text)
    if m is None or (m.group(2) and m.group(2).lower() != unit.lower()):
        raise AnswerError(f"{s!r} is not a number of {unit} (for example 10.02)")
    v = float(m.group(1))
    if not (math.isfinite(v) and 0 < v <= top):
        raise AnswerError(f"{s!r}: must be above 0 and at most {top:g} {unit}")
    return v


def parse_reading(text: str) -> float:
    """A multimeter reading in mA."""
    return parse_number(text, "mA", MAX_MA)


def parse_answers(text: str) -> list[str]:
    """--answers: the readings separated by commas, each checked when its step asks."""
    if not isinstance(text, str):
        raise AnswerError("--answers must be text")
    parts = [p.strip() for p in text.split(",")]
    if parts == [""]:
        return []
    return parts


class Answers:
    """The person's answers: typed at prompts, or a scripted list (--answers).

    A typed answer that is no number is asked again; a scripted one ends the run."""

    def __init__(self, scripted: Iterable[str] | None = None,
                 ask: Callable[[str], str] = input, tries: int = 3):
        self.scripted = None if scripted is None else list(scripted)
        self.ask = ask
        self.tries = tries
        self.used = 0

    def number(self, prompt: str, parse: Callable[[str], float]) -> float:
        if self.scripted is not None:
            if self.used >= len(self.scripted):
                raise CalibrationError(f"--answers has {len(self.scripted)} readings; the "
                                       f"step '{prompt}' needs one more")
            text = self.scripted[self.used]
            self.used += 1
            try:
                return parse(text)
            except AnswerError as e:
                raise CalibrationError(f"--answers reading {self.used} ({prompt}): {e}") from None
        why = ""
        for _ in range(self.tries):
            try:
                text = self.ask(f"{prompt}: ")
            except EOFError:
                raise CalibrationError(f"no answer for '{prompt}'") from None
            try:
                return parse(text)
            except AnswerError as e:
                why = str(e)
                print(f"  {why}; again please")
        raise CalibrationError(f"no usable answer for '{prompt}': {why}")


# ---- the arithmetic (docs/console.md "Calibration, step by step") ----
def bias_codes(zero: dict, ch: str) -> int:
    """The board's bias in codes, as console.cal_zero subtracted it from the mean."""
    n = zero["n"]
    return (2 * zero[ch]["code_sum"] + n) // (2 * n) - zero[ch]["offset"]


def point_gain(meter: float, reading: float, code_mean: float, bias: int, old: dict,
               new_offset: int) -> int:
    """The gain (ppm) that makes this point's reading the meter's, with the new offset.

    The board reads value = (code - bias - offset) * scale * gain_ppm / 1e6, and
    `reading` is that value with the calibration in use (`old`: offset, gain_ppm).
    So scale = reading / ((code - bias - old offset) * old gain), and the new gain
    gives the meter at the same code with the new offset:
      gain = old gain * meter / reading * (code - bias - old offset) / (code - bias - new offset)
    (reading is the mean of floored integer readings: within 1 uA or 1 mV)."""
    old_span = code_mean - bias - old["offset"]
    new_span = code_mean - bias - new_offset
    if reading <= 0 or meter <= 0 or old_span <= 0 or new_span <= 0:
        raise CalibrationError(f"no signal to compare: reading {reading}, meter {meter}, "
                               f"ADC code {code_mean:.1f} over an offset of {bias + new_offset}")
    return round(old["gain_ppm"] * meter / reading * old_span / new_span)


def check_gain(what: str, gain: int, meter: float, reading: float, unit: str) -> None:
    lo, hi = store.GAIN_MIN_PPM, store.GAIN_MAX_PPM
    if not lo <= gain <= hi:
        raise CalibrationError(
            f"{what}: the meter's {meter:g} {unit} against the board's {reading:g} {unit} "
            f"needs a gain of {gain / 1e6:.3f}, outside {lo / 1e6:.2f}-{hi / 1e6:.2f} (store.py): "
            f"check the number typed, the meter's range and unit, and the wiring")


def check_agree(ch: str, gains: list[int]) -> int:
    """The mean gain of the points, when they agree within AGREE_PCT."""
    mean = sum(gains) / len(gains)
    spread = (max(gains) - min(gains)) / mean * 100
    if spread > AGREE_PCT:
        raise CalibrationError(
            f"{ch}: the points disagree by {spread:.2f} % (gains "
            f"{', '.join(f'{g / 1e6:.4f}' for g in gains)}; at most {AGREE_PCT:g} %): a reading "
            f"typed wrong, the meter changing range, or a load that is not a plain resistor")
    return round(mean)


def check_bench(what: str, r: dict, set_ua: int, hold_s: int) -> None:
    """A bench run that held its set point for its whole time, with no fault or refusal."""
    if r.get("fault") != "none" or r.get("refusal") != "none":
        raise CalibrationError(f"{what}: the bench run ended with fault {r.get('fault')}, "
                               f"refusal {r.get('refusal')} (docs/troubleshooting.md)")
    if r.get("end") != "timer" or r.get("held_ms", 0) < hold_s * 1000 or r.get("n", 0) < 1:
        why = {"no_contact": "no bench resistor between the electrodes (or the meter's "
               "fuse, or its sockets)", "user": "stopped by the button"}.get(r.get("end"), "")
        raise CalibrationError(f"{what}: the bench run ended early ({r.get('end')}: {why}), "
                               f"held {r.get('held_ms', 0) / 1000:g} of {hold_s} s")
    if abs(r["i_ua"] - set_ua) > set_ua * TRACK_PCT / 100:
        raise CalibrationError(f"{what}: the board read {r['i_ua'] / 1000:.3f} mA instead of "
                               f"{set_ua / 1000:g} mA: the bench resistor may be too large for "
                               f"the rail (compliance)")


def check_zero(z: dict) -> None:
    m = store.OFFSET_MAX
    for ch in GAIN_CHANNELS:
        if not -m <= z[ch]["offset"] <= m:
            raise CalibrationError(f"zero: the {ch} offset {z[ch]['offset']} is outside "
                                   f"+-{m} codes (store.py): check the board")
    if not z["ok"]:
        raise CalibrationError(f"zero: the board reads {z['i_ua']} uA with the output off "
                               f"(SR-9: a leak or a faulty sense path): do not use it")


def check_ohm(ohm: float, points: Iterable[int], rail_mv: int) -> None:
    lo, hi = OHM_RANGE
    if not lo <= ohm <= hi:
        raise CalibrationError(f"a bench resistor of {ohm:g} Ohm: use {lo:g}-{hi:g} Ohm "
                               f"(for example 1 kOhm or 2.2 kOhm, 1 W or more)")
    top = max(points)
    if top * ohm / 1000 > RAIL_USE * rail_mv:
        raise CalibrationError(f"{top / 1000:g} mA into {ohm:g} Ohm needs "
                               f"{top * ohm / 1e6:.1f} V, more than the rail gives "
                               f"({rail_mv / 1000:.1f} V): a smaller resistor or lower points")


def new_calibration(old_stored: dict | None, zero: dict, gains: dict[str, int]) -> dict:
    """The offsets of the zero and the measured gains; the channels this wizard
    does not measure (rail, battery, set) kept from the stored calibration, else
    nominal."""
    base = old_stored if old_stored is not None else store.nominal_calibration()
    cal: dict[str, Any] = {"version": store.CAL_VERSION}
    for ch in store.CAL_CHANNELS:
        cal[ch] = {"offset": base[ch]["offset"], "gain_ppm": base[ch]["gain_ppm"]}
    for ch in GAIN_CHANNELS:
        cal[ch] = {"offset": zero[ch]["offset"], "gain_ppm": gains[ch]}
    try:
        store.check_calibration(cal)
    except ValueError as e:
        raise CalibrationError(str(e)) from None
    return cal


# ---- the wizard ----
@dataclass
class Row:
    set_ua: int
    i_ua: int  # the board's reading
    v_mv: int
    meter_ua: float
    volt_mv: float  # meter x resistor

    @property
    def err_pct(self) -> float:  # the true current against the set point
        return (self.meter_ua - self.set_ua) / self.set_ua * 100

    @property
    def read_pct(self) -> float:  # the board's reading against the meter
        return (self.i_ua - self.meter_ua) / self.meter_ua * 100

    @property
    def volt_pct(self) -> float:
        return (self.v_mv - self.volt_mv) / self.volt_mv * 100


@dataclass
class Result:
    old: dict  # console.calibration() before
    cal: dict | None = None  # what was stored (None: nothing)
    verified: bool = False
    points: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # the verification


class Steps:
    """A guided run's numbered steps and its console calls (also tools/ionto/bringup.py):
    a failed call stops the run with `error`, naming the call."""

    error: type[CalibrationError] = CalibrationError
    link: Any
    say: Callable[[str], None]
    step: int
    steps: int

    def _progress(self, text: str) -> None:
        self.step += 1
        self.say(f"[{self.step}/{self.steps}] {text}")

    def _call(self, expr: str) -> Any:
        try:
            return self.link.call(expr)
        except Exception as e:  # noqa: BLE001 - the board's refusal, a lost port: stop here
            raise self.error(f"the board did not run {expr.split('(')[0]}: {e}") from e


class Wizard(Steps):
    def __init__(self, link: ConsoleLink, answers: Answers, ohm: float | None = None,
                 points: Iterable[int] = POINTS_UA, verify: Iterable[int] = VERIFY_UA,
                 hold_s: int = HOLD_S, plot: str | None = None,
                 say: Callable[[str], None] = print):
        self.link = link
        self.answers = answers
        self.ohm = ohm
        self.points = tuple(points)
        self.verify_ua = tuple(verify)
        self.hold_s = hold_s
        self.plot = plot
        self.say = say
        self.steps = 4 + len(self.points) + len(self.verify_ua)
        self.step = 0

    def _bench(self, call: str, set_ua: int, what: str) -> dict:
        ramp_s = set_ua / 1000  # SR-8's fastest ramp, 1 mA/s, up and down
        self.say(f"  {set_ua / 1000:g} mA into the bench resistor: ramp about {ramp_s:.0f} s, "
                 f"then {self.hold_s} s held: read the meter during the hold")
        try:
            r = self._call(f"{call}({set_ua}, {self.hold_s})")
        finally:
            self.link.reconnect()  # the watchdog resets the board after every bench run
        check_bench(what, r, set_ua, self.hold_s)
        return r

    def _reading(self, what: str) -> float:
        return self.answers.number(f"{what}: the meter's reading in mA", parse_reading) * 1000

    def run(self) -> Result:
        self._progress("the board")
        st = self._call("status()")
        self.say(f"  {st['board']}, firmware {st['version']}, calibration: {st['calibration']}"
                 f"{', on USB power (SR-17: allowed on a bench resistor)' if st['usb'] else ''}")
        if st["output_on"] or st["trip"] or st["button"]:
            raise CalibrationError(f"the board is not idle: output on {st['output_on']}, trip "
                                   f"{st['trip']}, button {st['button']}")
        old = self._call("calibration()")
        res = Result(old=old)
        in_use = old["in_use"]
        if self.ohm is None:
            self.ohm = self.answers.number("the bench resistor as the meter measures it, in Ohm",
                                           lambda s: parse_number(s, "Ohm", 1e6))
        check_ohm(self.ohm, self.points + self.verify_ua, st["rail_mv"])
        top = max(self.points + self.verify_ua) / 1e6
        self.say(f"  bench resistor {self.ohm:g} Ohm: {top * top * self.ohm:.2f} W at "
                 f"{top * 1000:g} mA (rate it above that)")

        self._progress("zero: offsets with the output off")
        zero = self._call("cal_zero()")
        check_zero(zero)
        self.say(f"  offsets: current {zero['current']['offset']}, voltage "
                 f"{zero['voltage']['offset']} codes")

        gains: dict[str, list[int]] = {ch: [] for ch in GAIN_CHANNELS}
        for k, ua in enumerate(self.points):
            what = f"point {k + 1} ({ua / 1000:g} mA)"
            self._progress(f"gain, {what}")
            r = self._bench("cal_point", ua, what)
            meter = self._reading(what)
            row = Row(ua, r["i_ua"], r["v_mv"], meter, meter * self.ohm / 1000)
            res.points.append(row)
            for ch, truth, reading, unit, scale in (
                    ("current", meter, r["i_ua"], "mA", 1000),
                    ("voltage", row.volt_mv, r["v_mv"], "V", 1000)):
                code = r["code_i_sum" if ch == "current" else "code_v_sum"] / r["n"]
                g = point_gain(truth, reading, code, bias_codes(zero, ch), in_use[ch],
                               zero[ch]["offset"])
                check_gain(f"{what}, {ch}", g, round(truth / scale, 3), reading / scale, unit)
                gains[ch].append(g)
            self.say(f"  board {r['i_ua'] / 1000:.3f} mA, {r['v_mv'] / 1000:.2f} V; meter "
                     f"{meter / 1000:.3f} mA, x {self.ohm:g} Ohm = {row.volt_mv / 1000:.2f} V")

        self._progress("check and store")
        mean = {ch: check_agree(ch, gains[ch]) for ch in GAIN_CHANNELS}
        cal = new_calibration(old["stored"], zero, mean)
        saved = self._call(f"cal_save({cal!r})")
        if saved != cal:
            raise CalibrationError(f"the board stored {saved}, not {cal}")
        res.cal = cal
        self.say(f"  stored: current gain {cal['current']['gain_ppm'] / 1e6:.4f}, voltage gain "
                 f"{cal['voltage']['gain_ppm'] / 1e6:.4f} (was "
                 f"{in_use['current']['gain_ppm'] / 1e6:.4f}, "
                 f"{in_use['voltage']['gain_ppm'] / 1e6:.4f})")

        try:
            self._verify(res)
        except (CalibrationError, KeyboardInterrupt) as e:
            self._restore(old, e)
            raise
        res.verified = True
        self._progress("done: the board now reads and sets the current as the meter sees it")
        return res

    def _verify(self, res: Result) -> None:
        for k, ua in enumerate(self.verify_ua):
            what = f"check {k + 1} ({ua / 1000:g} mA)"
            self._progress(f"verification, {what}")
            r = self._bench("bench", ua, what)
            if not r["calibrated"]:
                raise CalibrationError(f"{what}: the board did not use the new calibration")
            meter = self._reading(what)
            assert self.ohm is not None
            res.rows.append(Row(ua, r["i_ua"], r["v_mv"], meter, meter * self.ohm / 1000))
        for line in table(res.rows):
            self.say("  " + line)
        if self.plot:
            plot(res.rows, self.plot, self.ohm or 0)
            self.say(f"  plot: {self.plot}")
        for row in res.rows:
            tol = row.set_ua * VERIFY_PCT / 100 + VERIFY_MIN_UA
            what = f"check at {row.set_ua / 1000:g} mA"
            if abs(row.meter_ua - row.set_ua) > tol:
                raise CalibrationError(f"{what}: the meter read {row.meter_ua / 1000:.3f} mA, "
                                       f"{row.err_pct:+.2f} % off the set point")
            if abs(row.i_ua - row.meter_ua) > tol:
                raise CalibrationError(f"{what}: the board read {row.i_ua / 1000:.3f} mA, the "
                                       f"meter {row.meter_ua / 1000:.3f} mA")
            if abs(row.volt_pct) > VOLT_VERIFY_PCT:
                raise CalibrationError(f"{what}: the board read {row.v_mv / 1000:.2f} V, the "
                                       f"meter x resistor gives {row.volt_mv / 1000:.2f} V")

    def _restore(self, old: dict, why: BaseException) -> None:
        # The new calibration failed its check (or the person stopped it): back
        # to what was there before.
        try:
            if old["stored"] is not None:
                self._call(f"cal_save({old['stored']!r})")
                self.say("  the old calibration is back in place")
            else:
                self._call("cal_clear()")
                self.say("  the new calibration was removed: the board is uncalibrated as before")
        except CalibrationError as e:
            raise CalibrationError(f"{why}; putting the old calibration back failed too ({e}): "
                                   f"the NEW, unverified calibration is on the board: run "
                                   f"ionto calibrate again", changed=True) from e


def table(rows: list[Row]) -> list[str]:
    out = ["  set mA   board mA   meter mA   meter-set   board-meter   board V   meter*R V"]
    for r in rows:
        out.append(f"{r.set_ua / 1000:8.3f} {r.i_ua / 1000:10.3f} {r.meter_ua / 1000:10.3f} "
                   f"{r.err_pct:+10.2f} % {r.read_pct:+11.2f} % {r.v_mv / 1000:9.2f} "
                   f"{r.volt_mv / 1000:11.2f}")
    return out


def plot(rows: list[Row], path: str, ohm: float) -> None:
    """The verification: meter and board against the set point, and their errors."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    s = [r.set_ua / 1000 for r in rows]
    fig, (ax, ax_e) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    top = max(s) * 1.1
    ax.plot([0, top], [0, top], ls=":", lw=0.8, color="grey", label="set point")
    ax.plot(s, [r.meter_ua / 1000 for r in rows], "o-", label="meter (true current)")
    ax.plot(s, [r.i_ua / 1000 for r in rows], "x--", label="board's reading")
    ax.set_ylabel("mA")
    ax.legend(fontsize=8)
    ax_e.axhspan(-VERIFY_PCT, VERIFY_PCT, color="green", alpha=0.1, label=f"+-{VERIFY_PCT:g} %")
    ax_e.plot(s, [r.err_pct for r in rows], "o-", label="meter - set point")
    ax_e.plot(s, [r.read_pct for r in rows], "x--", label="board - meter")
    ax_e.plot(s, [r.volt_pct for r in rows], "s:", label=f"board V - meter x {ohm:g} Ohm")
    ax_e.set_ylabel("%")
    ax_e.set_xlabel("set point, mA")
    ax_e.legend(fontsize=8)
    fig.suptitle("ionto calibrate: verification with the new calibration")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)

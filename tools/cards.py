"""The printable cards: a one-page quick start and an LED and beep code card.

`make cards` (python -m tools.cards [OUTDIR]) writes docs/cards/quickstart.md,
.pdf, .png and docs/cards/codes.md, .pdf, .png. Every code, name, number and
blink timeline comes from the firmware's own tables and functions: the states,
faults, refusals and warnings by name from firmware/names.py, the LED and the
buzzer by calling firmware/ui.py's led_level, buzzer_level and show_level over
time (the functions the device blinks and beeps with), the numbers from
firmware/limits.py and profiles.py. Only the short words of each row are
written here, keyed by the code's name: a code without words stops the
generator.

Each card is first a text (the .md): every word and every on-interval the
drawing shows. The drawing is made from the same rows. The PNG and the PDF
carry the SHA-256 of that text (a PNG text chunk, the PDF's Keywords), and
use matplotlib's own DejaVu Sans file, so the same matplotlib draws the same
bytes. host_tests/test_cards.py regenerates all and compares.
"""

from __future__ import annotations

import hashlib
import sys
import textwrap
from pathlib import Path

import tools.sim.mpshim  # noqa: F401  (the `micropython` module, for the firmware's imports)
from firmware import faults, limits, names, profiles, states, ui

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "cards"
KEY = "Source-SHA256"  # the PNG text chunk (and the PDF Keywords) naming the card's text
WINDOW_MS = 6000  # every timeline's width: the longest code (8 slow blinks + pause)
MA = 1000  # uA per mA

_HOLD_S = limits.START_HOLD_MS // 1000
_GIVE_UP_MIN = limits.CONTACT_GIVE_UP_MS // 60000

# The words of each row, keyed by name (names.py); the numbers from limits.py.
STATE_WORDS = {
    "idle": f"ready: hold the button {_HOLD_S} s, release to start",
    "checks": "after the start gesture: checks with the output off",
    "wait_contact": "put both hands (feet) in the water",
    "ramp_up": f"current rising gently ({limits.RAMP_UP_DEFAULT_UA_S / MA:g} mA/s)",
    "treat": "treatment: current at the set point, timer running",
    "paused": f"contact lost or paused: timer held; ends after {_GIVE_UP_MIN} min",
    "reversing": "polarity reversal: current through zero and back",
    "ramp_down": f"current falling gently ({limits.RAMP_DOWN_UA_S / MA:g} mA/s)",
    "done": "session over: take your hands out",
    "safe_mode": "button held at power-up: no treatment, REPL only",
}
LIMITED = ("treat (limited)", "treatment at the most current your skin lets through")
FAULT_WORDS = {
    "overcurrent": f"current above {limits.OVERCURRENT_UA // MA} mA: stop, check the circuit",
    "surge": "third current surge: check electrodes and leads",
    "sensor": "a reading out of range: check wiring, calibrate",
    "leak": "current with the output off: do not use until fixed",
    "short": "electrodes bridged: dry and separate the trays",
    "trip": "hardware trip: acknowledge; again? check the circuit",
    "reset": "unplanned restart: acknowledge; read the journal",
    "frozen": "a frozen reading: stop, check the ADC wiring",
}
REFUSAL_WORDS = {
    "uncalibrated": "not calibrated: calibrate first",
    "leak": "current with the output off: hands out, start again",
    "usb": "USB power present: unplug, run from the battery",
    "battery": "battery too low for a session: charge it",
    "rail": "high-voltage rail out of range: check the boost",
}
WARNING_WORDS = {
    "day": "a session already in the last 24 h (it runs)",
    "week": "five sessions already in the last 7 days (it runs)",
}


def on_intervals(level, window: int = WINDOW_MS) -> list[tuple[int, int]]:
    """The [start, end) ms in which level(ms) is true, over the window."""
    out, start = [], None
    for ms in range(window + 1):
        on = ms < window and bool(level(ms))
        if on and start is None:
            start = ms
        elif not on and start is not None:
            out.append((start, ms))
            start = None
    return out


def _words(table: dict, name: str) -> str:
    if name not in table:
        raise KeyError(f"tools/cards.py has no words for {name!r}: add them, then `make cards`")
    return table[name]


def code_sections() -> list[tuple[str, str, list[tuple[str, str, str, list, list]]]]:
    """(title, note, rows); a row is (code, name, words, LED on-intervals, beep on-intervals)."""
    rows = []
    for s, name in enumerate(names.STATES):
        if s == states.FAULT:
            continue  # a fault shows its code: the next section
        rows.append(("", name, _words(STATE_WORDS, name),
                     on_intervals(lambda ms, s=s: ui.led_level(s, faults.NONE, ms)),
                     on_intervals(lambda ms, s=s: ui.buzzer_level(s, faults.NONE, ms))))
    rows.append(("", LIMITED[0], LIMITED[1], on_intervals(
        lambda ms: ui.led_level(states.TREAT, faults.NONE, ms, 0, 0, True)), []))
    sections = [("What the light shows", "the buzzer sounds once as each state begins", rows)]

    def coded(words, led, beep, table):
        return [(str(c), name, _words(words, name), on_intervals(lambda ms, c=c: led(c, ms)),
                 on_intervals(lambda ms, c=c: beep(c, ms)) if beep else [])
                for c, name in enumerate(table) if c]

    sections.append(("Faults: slow blinks", f"output off; hold the button {_HOLD_S} s to "
                     "acknowledge", coded(FAULT_WORDS, lambda c, ms: ui.led_level(
                         states.FAULT, c, ms), lambda c, ms: ui.buzzer_level(
                         states.FAULT, c, ms), names.FAULTS)))
    sections.append(("Refused starts: quick blinks", "until the next start gesture",
                     coded(REFUSAL_WORDS, lambda c, ms: ui.led_level(
                         states.IDLE, faults.NONE, ms, c), lambda c, ms: ui.buzzer_level(
                         states.IDLE, faults.NONE, ms, c), names.REFUSALS)))
    sections.append(("Schedule warnings: quick blinks while waiting for the hands",
                     "a warning only: the session runs", coded(
                         WARNING_WORDS, lambda c, ms: ui.led_level(
                             states.WAIT_CONTACT, faults.NONE, ms, 0, c), None,
                         names.WARNINGS)))
    prof = [(str(i + 1), d[0], f"{d[1] / MA:g} mA, {d[2] // 60000} min",
             on_intervals(lambda ms, n=i + 1: ui.show_level(n, ms)), [])
            for i, d in enumerate(profiles.DEFAULTS)]
    sections.append(("Profile: a short press at rest shows it", "on, dark once per number; "
                     "each further short press steps to the next", prof))
    return sections


def _repeat(first: list, period: int, window: int = WINDOW_MS) -> list:
    """first's intervals repeated every period ms, cut at the window."""
    return [(a + k, min(b + k, window)) for k in range(0, window, period) for a, b in first
            if a + k < window]


def _ms(intervals: list) -> str:
    """'0-150 every 200' when the intervals repeat, else the list; '-' for none."""
    for period in sorted({a for a, _ in intervals} - {0}):
        first = [(a, b) for a, b in intervals if a < period]
        if _repeat(first, period) == intervals and first[-1][1] <= period:
            return ", ".join(f"{a}-{b}" for a, b in first) + f" every {period}"
    return ", ".join(f"{a}-{b}" for a, b in intervals) or "-"


def codes_text() -> str:
    out = ["# LED and beep codes", "",
           "Generated by tools/cards.py (`make cards`) from firmware/ui.py, names.py, faults.py",
           "and session.py: do not edit. Each row: the LED's and the buzzer's on-times in ms",
           f"over the first {WINDOW_MS} ms of the state, the fault or the refusal.", ""]
    for title, note, rows in code_sections():
        out += [f"## {title}", "", note, "", "| code | name | meaning | LED on (ms) | beep (ms) |",
                "|---|---|---|---|---|"]
        out += [f"| {c} | {n} | {w} | {_ms(led)} | {_ms(beep)} |" for c, n, w, led, beep in rows]
        out.append("")
    return "\n".join(out)


_WARNING = "Not a medical device"
# The medication profile's line (docs/using.md: on a prescription only).
_MEDICATION = (": only on a doctor's prescription, with the doctor's settings; DC, the "
               "medicated water in the + tray your settings name, never reversed")


def quickstart_sections() -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the quick start; numbers from the firmware."""
    lo, hi = profiles.MIN_DURATION_MS // 60000, limits.MAX_ON_MS // 60000
    prof = [f"{i + 1} blink{'s' * (i > 0)}: {d[0]}, {d[1] / MA:g} mA for {d[2] // 60000} min"
            f"{' (pulsed)' if d[3] else ''}{_MEDICATION if i == profiles.MEDICATION else ''}"
            for i, d in enumerate(profiles.DEFAULTS)]
    return [
        (_WARNING, [
            "Ask a doctor first. Do not use it with a pacemaker or implanted defibrillator, in "
            "pregnancy, with metal implants in the current path, with epilepsy or heart disease, "
            "with broken skin you cannot cover, with numb hands or feet, or for a child under 6. "
            "Never one hand and one foot: the current must not cross the chest."]),
        ("Before", [
            "1. Run the device from its battery. Unplug USB.",
            "2. Take off rings, watches and bracelets. Cover small cuts with petroleum jelly.",
            "3. Put the trays on a table, apart. Fill both with tap water until the electrodes "
            "are covered, so that skin never touches metal.",
            "4. Put one hand (or one foot) in each tray, flat, and keep it there."]),
        ("Start", [
            f"5. Hold the button {_HOLD_S} s. When the LED is steady on, release it: the "
            "session starts.",
            "6. The device checks itself, then waits for your hands (slow blink), then raises "
            f"the current slowly ({limits.RAMP_UP_DEFAULT_UA_S / MA:g} mA each second). A "
            "tingling is normal. It must not hurt."]),
        ("During", [
            "7. Steady light: treatment. Lifting a hand pauses it; back in the water, the "
            "current rises again from zero.",
            f"8. Short press: pause; press again to go on. Hold {_HOLD_S} s: stop.",
            "9. At half time the current goes down to zero, the polarity turns, and it rises "
            "again (never with the medication profile)."]),
        ("End", [
            f"10. The current falls slowly ({limits.RAMP_DOWN_UA_S / MA:g} mA each second). A "
            "slow long blink: done. Take your hands out.",
            "11. Dry your skin; put on a moisturiser if it feels dry. Empty the trays, rinse and "
            "dry the electrodes and trays."]),
        ("Stop and see a doctor", [
            "If it hurts, if blisters, burns or open sores appear, or if redness or itching does "
            "not go away. Treat less often if the skin becomes dry and cracked."]),
        ("Profiles (the project's defaults)", prof + [
            f"Every session lasts {lo}-{hi} min. A short press at rest shows and changes the "
            "profile."]),
        ("The plan", [
            "At first 3-5 sessions a week, never more than one a day, until the sweating is "
            "under control: most people notice a change after the 4th to the 10th session. "
            "Then one session whenever the sweating starts to come back."]),
        ("Blinks and beeps", [
            "The code card (codes.pdf) explains every pattern; docs/using.md has the rest."]),
    ]


def quickstart_text() -> str:
    out = ["# Quick start", "", "Generated by tools/cards.py (`make cards`) from "
           "firmware/limits.py and profiles.py: do not edit. The sources: docs/using.md and "
           "docs/clinical.md.", ""]
    for heading, paragraphs in quickstart_sections():
        out += [f"## {heading}", ""] + [p + "  " if i < len(paragraphs) - 1 else p
                                        for i, p in enumerate(paragraphs)] + [""]
    return "\n".join(out)


# Drawing: an A4 page in mm, (0, 0) at the top left.
W, H = 210.0, 297.0


def _page():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    font = {w: font_manager.FontProperties(fname=str(fonts / f"DejaVuSans{w}.ttf"))
            for w in ("", "-Bold")}
    fig = Figure(figsize=(W / 25.4, H / 25.4))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    ax.axis("off")

    def text(x, y, s, size=8.0, bold=False, **kw):
        ax.text(x, y, s, fontproperties=font["-Bold" if bold else ""], fontsize=size,
                va="top", **kw)
    return fig, ax, text


def _save(fig, outdir: Path, name: str, source: str) -> list[Path]:
    import matplotlib

    sha = hashlib.sha256(source.encode()).hexdigest()
    pdf, png = outdir / f"{name}.pdf", outdir / f"{name}.png"
    fig.savefig(pdf, metadata={"CreationDate": None, "Keywords": f"{KEY} {sha}",
                               "Title": f"ionto {name}"})
    fig.savefig(png, dpi=110, metadata={KEY: sha, "Software": "matplotlib "
                                        + matplotlib.__version__})
    return [pdf, png]


def _timeline(ax, x0: float, y: float, width: float, led: list, beep: list) -> None:
    from matplotlib.patches import Rectangle

    scale = width / WINDOW_MS
    ax.plot([x0, x0 + width], [y + 3.0, y + 3.0], color="0.7", lw=0.4)
    for a, b in led:
        ax.add_patch(Rectangle((x0 + a * scale, y), (b - a) * scale, 3.0, facecolor="#f5b400",
                               edgecolor="black", lw=0.3))
    for a, b in beep:
        ax.add_patch(Rectangle((x0 + a * scale, y + 3.6), (b - a) * scale, 0.9,
                               facecolor="#3060c0", lw=0))


def draw_codes(outdir: Path) -> list[Path]:
    fig, ax, text = _page()
    text(10, 8, "LED and beep codes", 15, True)
    text(10, 15, "Amber: the LED is on. Blue: the buzzer sounds (where one is fitted). "
         "Count the blinks between the pauses.", 7.5)
    x0, width, y = 122.0, 80.0, 24.0
    for s in range(0, WINDOW_MS // 1000 + 1):
        text(x0 + s * width * 1000 / WINDOW_MS, y, f"{s} s", 6, ha="center")
    y += 5
    for title, note, rows in code_sections():
        text(10, y, title, 9.5, True)
        text(10, y + 4.2, note, 6.8, color="0.3")
        y += 8.8
        for code, name, words, led, beep in rows:
            text(10, y, code, 7.5, True)
            text(15, y, name, 7.5, True)
            text(44, y, "\n".join(textwrap.wrap(words, 58)), 6.8, linespacing=1.15)
            _timeline(ax, x0, y, width, led, beep)
            y += 5.7
        y += 1.5
    text(10, H - 8, "Generated from the firmware's tables by tools/cards.py; "
         "docs/troubleshooting.md has what to do.", 6.5, color="0.3")
    return _save(fig, outdir, "codes", codes_text())


def draw_quickstart(outdir: Path) -> list[Path]:
    fig, ax, text = _page()
    text(10, 8, "Quick start: tap-water iontophoresis", 15, True)
    y = 18.0
    for heading, paragraphs in quickstart_sections():
        text(10, y, heading, 11, True, color="#a00000" if heading == _WARNING else "black")
        y += 6.0
        for p in paragraphs:
            lines = textwrap.wrap(p, 96, subsequent_indent="    " if p[:1].isdigit() else "")
            text(12, y, "\n".join(lines), 9.4, linespacing=1.35)
            y += 4.8 * len(lines) + 1.4
        y += 2.5
    text(10, H - 8, "Generated from the firmware's numbers by tools/cards.py. Sources: "
         "docs/clinical.md. Not a medical device.", 6.5, color="0.3")
    return _save(fig, outdir, "quickstart", quickstart_text())


def render(outdir: Path = OUT) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, source, draw in (("codes", codes_text(), draw_codes),
                               ("quickstart", quickstart_text(), draw_quickstart)):
        (outdir / f"{name}.md").write_text(source, encoding="utf-8")
        paths += [outdir / f"{name}.md"] + draw(outdir)
    return paths


def main(argv: list[str]) -> int:
    for p in render(Path(argv[0]) if argv else OUT):
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Progress over weeks (`ionto progress`): the kept sessions and HDSS scores
(tools/ionto/history.py) against the treatment plan, with flags.

The plan and its sources (docs/clinical.md, "Progress over weeks"):
- induction: 3-5 sessions a week at equal intervals, never more than one a
  day or five a week, until the sweating has clearly dropped (Dermadry's
  treatment schedule page; R.A. Fischer: every 2-3 days);
- maintenance, once the person reports dryness: one session every 1-3 weeks,
  when the skin starts to feel clammy (R.A. Fischer: "once every 2 to 4 weeks"
  for some; iontophoresis.info: "twice a week to a month or so");
- HDSS, the Hyperhidrosis Disease Severity Scale, 1 (never noticeable) to 4
  (intolerable); a 1-point drop is a meaningful response (Solish et al.,
  Dermatol Surg 2007); no change after a month of treatment counts as a
  failure (International Hyperhidrosis Society, via sweatless.ca), and 4 weeks of
  three sessions a week work for most (Siah and Hampton, Dermatol Online J 2013).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

import tools.sim.mpshim  # noqa: F401  (the firmware's `micropython` in CPython)
from firmware import schedule

# SR-22's numbers, the firmware's own (firmware/schedule.py): a session within
# 24 h of another, or a sixth within 7 days, is too many; a session counts when
# it delivered at least a minute of current.
DAY_S = schedule._DAY_S
WEEK_MAX = schedule._WEEK_MAX
COUNTS_S = schedule._COUNTS_S

INDUCTION_PER_WEEK = (3, WEEK_MAX)  # Dermadry: 3 (Mon, Wed, Fri) to 5 a week
MAINTENANCE_DAYS = (7, 21)  # one session every 1-3 weeks (R.A. Fischer, iontophoresis.info)
# A gap that loses the effect (project default, from the plan above): two weeks
# without a session during induction is past anything the plan allows (a
# session every 2-3 days), and in maintenance longer than its longest
# interval (3 weeks); start the induction again then.
GAP_DAYS = {"induction": 14, "maintenance": MAINTENANCE_DAYS[1]}
REGULAR_WEEKS = 4  # weeks of regular use before the HDSS must have moved (IHS; Siah 2013)
HDSS_RESPONSE = 1  # points: a meaningful response (Solish 2007)
HDSS_TEXT = {1: "never noticeable, never interferes", 2: "tolerable, sometimes interferes",
             3: "barely tolerable, frequently interferes", 4: "intolerable, always interferes"}


@dataclass
class Session:
    when: dt.datetime | None  # UTC; None: the board's clock was unknown
    minutes: float
    charge: int  # mA*min
    load_start_k: float | None
    load_end_k: float | None


@dataclass
class Week:
    start: dt.date  # a Monday
    sessions: int
    phase: str  # "induction" or "maintenance"
    minutes: float
    charge: int
    hdss: int | None  # the week's last score


@dataclass
class Flag:
    kind: str  # "sr22", "gap" or "hdss"
    text: str
    since: dt.date  # the session flagged, or where the gap or the weeks began
    until: dt.date | None = None  # a gap's end


@dataclass
class Report:
    today: dt.date
    sessions: list[Session]
    undated: int
    weeks: list[Week]
    hdss: list[tuple[dt.date, int]]
    flags: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _when(rec: dict) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(rec.get("start") or "", "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


def _kohm(ohm) -> float | None:
    return ohm / 1000 if isinstance(ohm, int) and ohm > 0 else None


def counted(records: list[dict]) -> list[Session]:
    """The records that count as a session for SR-22 (a minute of current)."""
    out = []
    for r in records:
        on_s = r.get("on_s")
        if type(on_s) is int and on_s >= COUNTS_S:
            out.append(Session(_when(r), on_s / 60, int(r.get("charge_ma_min") or 0),
                               _kohm(r.get("load_start_ohm")), _kohm(r.get("load_end_ohm"))))
    return out


def phase_on(day: dt.date, hdss: list[tuple[dt.date, int]]) -> str:
    """Maintenance once the person reports dryness: the latest HDSS by that day is
    1, or 2 and below their first score; induction before that and again when
    the sweating returns (HDSS up again)."""
    if not hdss:
        return "induction"
    baseline = hdss[0][1]
    latest = [s for d, s in hdss if d <= day]
    if not latest:
        return "induction"
    s = latest[-1]
    return "maintenance" if s == 1 or (s == 2 and s < baseline) else "induction"


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _too_many(dated: list[Session]) -> list[Flag]:
    # As firmware/schedule.py check() at each start: another session in the
    # last 24 h, or WEEK_MAX already in the last 7 days.
    flags = []
    for k, s in enumerate(dated):
        assert s.when is not None
        ages = [(s.when - p.when).total_seconds() for p in dated[:k] if p.when is not None]
        day = sum(1 for a in ages if 0 <= a < DAY_S)
        week = sum(1 for a in ages if 0 <= a < 7 * DAY_S)
        at = s.when.strftime("%Y-%m-%d %H:%M")
        if day:
            flags.append(Flag("sr22", f"too many sessions (SR-22): {at} was within 24 h of "
                              "another (at most one a day)", s.when.date()))
        elif week >= WEEK_MAX:
            flags.append(Flag("sr22", f"too many sessions (SR-22): {at} was number {week + 1} "
                              f"within 7 days (at most {WEEK_MAX} a week)", s.when.date()))
    return flags


def _gaps(dated: list[Session], hdss, today: dt.date) -> list[Flag]:
    flags = []
    ends = [s.when.date() for s in dated if s.when is not None] + [today]
    for k in range(len(ends) - 1):
        a, b = ends[k], ends[k + 1]
        phase = phase_on(a, hdss)
        days = (b - a).days
        if days > GAP_DAYS[phase]:
            until = "today" if k + 2 == len(ends) else str(b)
            flags.append(Flag("gap", f"a gap of {days} days without a session ({a} to {until}, "
                              f"{phase}: more than {GAP_DAYS[phase]} days) loses the effect: "
                              f"start again with {INDUCTION_PER_WEEK[0]}-"
                              f"{INDUCTION_PER_WEEK[1]} sessions a week", a, b))
    return flags


def _hdss_check(weeks: list[Week], hdss) -> tuple[list[Flag], list[str]]:
    # The first REGULAR_WEEKS weeks in a row with the plan's minimum each; the
    # score at their start against the latest from their last week on.
    run, last = 0, None
    for w in weeks:
        run = run + 1 if w.sessions >= INDUCTION_PER_WEEK[0] else 0
        if run == REGULAR_WEEKS:
            last = w
            break
    if last is None:
        return [], []
    first = last.start - dt.timedelta(days=7 * (REGULAR_WEEKS - 1))
    before = [(d, s) for d, s in hdss if d < first + dt.timedelta(days=7)]
    after = [(d, s) for d, s in hdss if d >= last.start]
    if not before or not after:
        return [], [f"{REGULAR_WEEKS} weeks of regular use from {first}: record your HDSS "
                    "(`ionto hdss N`) at the start and every week, so that this report can "
                    "say whether the treatment works"]
    (d0, s0), (d1, s1) = before[0], after[-1]
    if s0 - s1 >= HDSS_RESPONSE:
        return [], []
    return [Flag("hdss", f"no HDSS improvement after {REGULAR_WEEKS} weeks of regular use "
                         f"(HDSS {s0} on {d0}, {s1} on {d1}): see a doctor about other "
                         "treatments", first, d1)], []


def analyse(records: list[dict], hdss: list[tuple[str, int]], today: dt.date) -> Report:
    scores = [(dt.date.fromisoformat(d), s) for d, s in sorted(hdss)]
    sessions = counted(records)
    dated = sorted((s for s in sessions if s.when is not None), key=lambda s: s.when)
    days = [s.when.date() for s in dated if s.when] + [d for d, _ in scores]
    weeks = []
    if days:
        monday = _monday(min(days))
        while monday <= today:
            end = monday + dt.timedelta(days=7)
            inside = [s for s in dated if s.when and monday <= s.when.date() < end]
            week_scores = [s for d, s in scores if monday <= d < end]
            weeks.append(Week(monday, len(inside), phase_on(monday, scores),
                              sum(s.minutes for s in inside), sum(s.charge for s in inside),
                              week_scores[-1] if week_scores else None))
            monday = end
    rep = Report(today, sessions, len(sessions) - len(dated), weeks, scores)
    rep.flags += _too_many(dated)
    rep.flags += _gaps(dated, scores, today)
    flags, notes = _hdss_check(weeks, scores)
    rep.flags += flags
    rep.notes += notes
    if rep.undated:
        rep.notes.append(f"{rep.undated} sessions have no date (the board's clock was not "
                         "set): kept, but not in the weeks")
    return rep


def plan_text(phase: str) -> str:
    if phase == "maintenance":
        return f"1 per {MAINTENANCE_DAYS[0] // 7}-{MAINTENANCE_DAYS[1] // 7} wk"
    return f"{INDUCTION_PER_WEEK[0]}-{INDUCTION_PER_WEEK[1]}"


def load_trend(sessions: list[Session]) -> tuple[float, float, float] | None:
    """(first, last, slope per week) of the end-of-session load in kOhm, a
    least-squares line through the dated sessions; None with fewer than 3."""
    pts = [(s.when, s.load_end_k) for s in sessions if s.when and s.load_end_k]
    if len(pts) < 3:
        return None
    t0 = pts[0][0]
    x = [(w - t0).total_seconds() / (7 * DAY_S) for w, _ in pts]
    y = [k for _, k in pts]
    slope, icept = statistics.linear_regression(x, y)
    return icept, icept + slope * x[-1], slope


def text(rep: Report) -> list[str]:
    """The printed report: one line per week, then the flags."""
    n = sum(w.sessions for w in rep.weeks)
    lines = [f"{len(rep.weeks)} weeks to {rep.today}, {n} sessions"
             + (f" (and {rep.undated} undated)" if rep.undated else ""),
             "week of     sessions  plan          phase         minutes  mA*min  HDSS"]
    for w in rep.weeks:
        lines.append(f"{w.start}  {w.sessions:8d}  {plan_text(w.phase):12s}  {w.phase:12s}  "
                     f"{w.minutes:7.0f}  {w.charge:6d}  {w.hdss or '-':>4}")
    trend = load_trend(rep.sessions)
    if trend:
        lines.append(f"load at the end of a session: {trend[0]:.1f} -> {trend[1]:.1f} kOhm "
                     f"({trend[2]:+.2f} kOhm a week)")
    lines += [f"! {f.text}" for f in rep.flags] or ["no flags"]
    lines += [f"note: {t}" for t in rep.notes]
    return lines

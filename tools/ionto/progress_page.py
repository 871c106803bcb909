"""`ionto progress`'s figure (PNG) and page (one self-contained HTML file: the
PNG inline as base64, the styles inline, no script and nothing fetched, so it
opens offline and can be mailed to a doctor as it is)."""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

from tools.ionto import progress as pg

PHASE_COLOUR = {"induction": "tab:blue", "maintenance": "tab:green"}

SOURCES = [
    ("Dermadry, How often should I use Dermadry (treatment schedule): 3-5 sessions a week at "
     "first, never more than 5 a week or 1 a day, then a maintenance phase",
     "https://support.dermadry.com/hc/en-us/articles/360007377771"),
    ("R.A. Fischer, Notes, warnings and contraindications: a session every 2-3 days at first; "
     "once dry, the interval stretches (some people once every 2-4 weeks)",
     "https://www.rafischer.com/warnings-contraindications/"),
    ("iontophoresis.info, Treatment schedule: maintenance when the skin turns clammy, from "
     "twice a week to a month", "https://iontophoresis.info/treatment-schedule/"),
    ("Solish N. et al., A comprehensive approach to the recognition, diagnosis, and "
     "severity-based treatment of focal hyperhidrosis, Dermatol Surg 2007;33:908-923: the "
     "HDSS, 1-4; a 1-point improvement is a meaningful response", None),
    ("Siah T.W., Hampton P.J., tap water iontophoresis on Monday, Wednesday and Friday for "
     "4 weeks, Dermatol Online J 2013;19(3):14", None),
    ("sweatless.ca (International Hyperhidrosis Society material), Diagnosing hyperhidrosis: "
     "no change in HDSS after one month of treatment counts as a failure",
     "https://www.sweatless.ca/diagnosing"),
]


def plot(rep: pg.Report, path: Path) -> None:
    """Sessions per week against the plan, charge and time per session, the
    load, and the HDSS, on one time axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, (ax_w, ax_c, ax_l, ax_h) = plt.subplots(4, 1, sharex=True, figsize=(11, 11))
    for w in rep.weeks:
        x = dt.datetime.combine(w.start, dt.time())
        lo, hi = ((7 / pg.MAINTENANCE_DAYS[1], 7 / pg.MAINTENANCE_DAYS[0])
                  if w.phase == "maintenance" else pg.INDUCTION_PER_WEEK)
        ax_w.bar(x, hi - lo, bottom=lo, width=7, align="edge", color="0.88", zorder=0)
        ax_w.bar(x + dt.timedelta(days=1), w.sessions, width=5, align="edge",
                 color=PHASE_COLOUR[w.phase], zorder=2)
    ax_w.axhline(pg.WEEK_MAX, color="tab:red", ls="--", lw=1)
    for f in rep.flags:  # where the flags are: a gap shaded, a session too many marked
        if f.kind == "gap" and f.until is not None:
            ax_w.axvspan(f.since, f.until, color="tab:red", alpha=0.12, lw=0)
        elif f.kind == "sr22":
            ax_w.plot(f.since, pg.WEEK_MAX + 0.6, "v", color="tab:red", ms=7)
    handles = [Patch(color="0.88", label="plan"),
               Line2D([], [], color="tab:red", ls="--", label=f"at most {pg.WEEK_MAX} a week "
                      "(SR-22)"),
               Line2D([], [], color="tab:red", marker="v", ls="", label="too many (SR-22)"),
               Patch(color="tab:red", alpha=0.12, label="a gap that loses the effect")]
    handles += [Patch(color=c, label=f"sessions ({p})") for p, c in PHASE_COLOUR.items()]
    ax_w.set_ylabel("sessions a week")
    ax_w.set_ylim(0, max([pg.WEEK_MAX + 1.5] + [w.sessions + 0.5 for w in rep.weeks]))
    ax_w.legend(handles=handles, loc="upper right", fontsize=7, ncol=2)
    dated = [s for s in rep.sessions if s.when]
    t = [s.when for s in dated]
    # Two scales on one panel: the charge in the upper part, the minutes
    # lower down, so that neither hides the other.
    charge, minutes = [s.charge for s in dated], [s.minutes for s in dated]
    ax_c.plot(t, charge, "o", ms=4, color="tab:purple")
    ax_c.set_ylabel("charge, mA*min", color="tab:purple")
    ax_c.set_ylim(0, 1.15 * max(charge + [1]))
    ax_m = ax_c.twinx()
    ax_m.plot(t, minutes, "s", ms=3, color="tab:orange")
    ax_m.set_ylabel("minutes of current", color="tab:orange")
    ax_m.set_ylim(0, 2.2 * max(minutes + [1]))
    ax_l.plot(t, [s.load_start_k for s in dated], ".", color="tab:gray", label="load at start")
    ax_l.plot(t, [s.load_end_k for s in dated], ".", color="tab:brown", label="load at end")
    trend = pg.load_trend(rep.sessions)
    if trend:
        ends = [s for s in dated if s.load_end_k]
        ax_l.plot([ends[0].when, ends[-1].when], trend[:2], color="tab:brown", lw=1,
                  label=f"trend {trend[2]:+.2f} kOhm a week")
    ax_l.set_ylabel("kOhm")
    ax_l.legend(loc="upper left", fontsize=8)
    if rep.hdss:
        days = [dt.datetime.combine(d, dt.time()) for d, _ in rep.hdss]
        ax_h.step(days, [s for _, s in rep.hdss], where="post", marker="o", color="tab:red")
    ax_h.set_ylim(0.5, 4.5)
    ax_h.set_yticks([1, 2, 3, 4])
    ax_h.set_ylabel("HDSS (1 best)")
    ax_h.set_xlabel("date")
    fig.suptitle(f"ionto progress to {rep.today}: {sum(w.sessions for w in rep.weeks)} "
                 f"sessions in {len(rep.weeks)} weeks, {len(rep.flags)} flags")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


_STYLE = """body{font-family:sans-serif;max-width:1100px;margin:1em auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}
th{background:#eee}.flag{color:#a00;font-weight:bold}.note{color:#555}
img{max-width:100%}.warn{background:#fff3cd;padding:.5em;border:1px solid #e0c36a}"""


def page(rep: pg.Report, png: bytes) -> str:
    """The whole page as text: the report, the figure inline, the sources."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{w.start}</td><td>{w.sessions}</td><td>{e(pg.plan_text(w.phase))}</td>"
        f"<td>{w.phase}</td><td>{w.minutes:.0f}</td><td>{w.charge}</td>"
        f"<td>{w.hdss or '-'}</td></tr>" for w in rep.weeks)
    flags = "".join(f'<li class="flag">{e(f.text)}</li>' for f in rep.flags) or "<li>none</li>"
    notes = "".join(f'<li class="note">{e(t)}</li>' for t in rep.notes)
    sources = "".join(f"<li>{e(t)}" + (f" ({e(u)})" if u else "") + "</li>"
                      for t, u in SOURCES)
    hdss = "".join(f"<li>{k}: {e(v)}</li>" for k, v in pg.HDSS_TEXT.items())
    img = base64.b64encode(png).decode("ascii")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>ionto progress to {rep.today}</title><style>{_STYLE}</style></head><body>
<h1>Progress over weeks, to {rep.today}</h1>
<p class="warn">This device is not a medical device, and this page is no diagnosis.
Ask a doctor when the treatment does not help or when anything here worries you.</p>
<h2>Flags</h2><ul>{flags}</ul><ul>{notes}</ul>
<img alt="sessions per week, charge and time, load, HDSS" src="data:image/png;base64,{img}">
<h2>Weeks</h2>
<table><tr><th>week of</th><th>sessions</th><th>plan</th><th>phase</th><th>minutes</th>
<th>mA*min</th><th>HDSS</th></tr>{rows}</table>
<h2>The plan</h2>
<p>Induction: {pg.INDUCTION_PER_WEEK[0]}-{pg.INDUCTION_PER_WEEK[1]} sessions a week, at most
one a day (SR-22), until you report dryness (HDSS 1, or 2 below your first score). Then
maintenance: one session every {pg.MAINTENANCE_DAYS[0] // 7}-{pg.MAINTENANCE_DAYS[1] // 7}
weeks, when the skin starts to feel clammy. A gap of more than
{pg.GAP_DAYS['induction']} days in induction or {pg.GAP_DAYS['maintenance']} days in
maintenance loses the effect (a project default). The HDSS (record it with
<code>ionto hdss N</code>): my sweating is</p><ul>{hdss}</ul>
<h2>Sources</h2><ul>{sources}</ul>
</body></html>
"""


def write(rep: pg.Report, out: Path) -> tuple[Path, Path]:
    """progress.png and progress.html in out."""
    out.mkdir(parents=True, exist_ok=True)
    png, page_path = out / "progress.png", out / "progress.html"
    plot(rep, png)
    page_path.write_text(page(rep, png.read_bytes()), encoding="utf-8")
    return png, page_path

"""Readable timeline and plot of a simulated (or recorded) session.

A trace is a list of rows (dicts): ``t_s`` plus the firmware status fields
(firmware/names.py STATUS: state, target_ua, set_ua, i_ua, v_mv, load_ohm, ...,
limited, guard_pct) and the model's truth where the simulator knows it
(``true_i_ua``, ``true_load_ohm``, ``true_density_ua``: the current density as
the current that would give it over the whole hand, SR-23).
"""

from __future__ import annotations

import tools.sim.mpshim  # noqa: F401  (the firmware's `micropython` in CPython)
from firmware import names

# An open circuit (no hand in the water, or the output off) has no current to measure
# its load by: the firmware then reports 0 (V / I only from 100 uA: firmware/app.py,
# logs.parse_trace, monitor.row: None), the model its 10 MOhm air gap. One way to show
# it everywhere (timeline, monitor, the simulate and logs plots): "open", and in a plot
# a gap in the load line over a grey band labelled "open".
OPEN_OHM = 1_000_000


def is_open(ohm: float | None) -> bool:
    return ohm is None or ohm <= 0 or ohm >= OPEN_OHM


def load_text(ohm: float | None) -> str:
    return "open" if is_open(ohm) else f"{ohm / 1000:5.2f} kOhm"


def plot_load(ax, t: list[float], loads: list) -> None:
    kohm = [float("nan") if is_open(x) else x / 1000 for x in loads]
    ax.plot(t, kohm, lw=1, label="load")
    opened = [is_open(x) for x in loads]
    if any(opened):
        ax.fill_between(t, 0, 1, where=opened, transform=ax.get_xaxis_transform(),
                        color="#bbbbbb", alpha=0.5, lw=0, zorder=2,
                        label="open: no current (no hand in the water, or the output off)")
    shown = [x for x in kohm if x == x]
    ax.set_ylim(0, min(max(shown, default=1) * 1.15, 50))  # a dry-skin spike stays on scale
    ax.set_ylabel("kOhm")
    ax.legend(loc="upper right", fontsize=8)


def state_name(code: int) -> str:
    return names.STATES[code] if 0 <= code < len(names.STATES) else f"state{code}"


def polarity(rows: list[dict]) -> list[int]:
    """+1, then -1 after a reversal (and so on): the relay switches inside the
    reversing state, at zero current, and ramp_up follows it on the other polarity
    (firmware/session.py _reversing, SR-11). A plot signs the current with it."""
    sign, prev, out = 1, None, []
    for r in rows:
        name = state_name(r["state"])
        if prev == "reversing" and name == "ramp_up":
            sign = -sign
        out.append(sign)
        prev = name
    return out


def _fmt_row(r: dict) -> str:
    load = r["true_load_ohm"] if "true_load_ohm" in r else r.get("load_ohm")
    fault = names.FAULTS[r["fault"]] if r.get("fault") else ""
    limited = " limited" if r.get("limited") else ""  # SR-14: the rail is the limit
    guard = r.get("guard_pct", 100)
    guard = f" guard {guard:3d} %" if guard < 100 else ""  # SR-23: the density guard's cap
    return (
        f"{r['t_s']:8.1f} s  {state_name(r['state']):<12} set {r['set_ua'] / 1000:6.2f} mA  "
        f"target {r['target_ua'] / 1000:6.2f} mA  I {r['i_ua'] / 1000:6.2f} mA  "
        f"V {r['v_mv'] / 1000:5.1f} V  load {load_text(load):<10}  "
        f"{r.get('reached_pct', 0):3d} %{limited}{guard}  {fault}"
    ).rstrip()


def _marks(r: dict) -> tuple:
    # What makes a timeline line of its own when it changes.
    return (r["state"], r.get("fault"), bool(r.get("limited")), r.get("guard_pct", 100) < 100)


def timeline(rows: list[dict], every_s: float = 30.0) -> list[str]:
    """One line every `every_s` seconds, and one at each change of state or fault, and
    where the current becomes or stops being compliance-limited (SR-14) or capped by the
    density guard (SR-23)."""
    out = [
        "    time  state        set point         target          measured    electrode  "
        "load        reached"
    ]
    last_t = None
    last = None
    for r in rows:
        marks = _marks(r)
        if marks != last or last_t is None or r["t_s"] - last_t >= every_s:
            out.append(_fmt_row(r))
            last_t = r["t_s"]
            last = marks
    return out


def plot(rows: list[dict], path: str, title: str = "") -> None:
    """Current (and the model's current density), set point, electrode voltage, load, and
    the percentages of the set point (reached, SR-14; the density guard's cap, SR-23)
    against time. The currents are signed by polarity, so a reversal (SR-11) shows as
    one; the states are shaded with a legend, and each pause, reversal, start of
    compliance-limited current and fault labelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = [r["t_s"] / 60 for r in rows]
    sign = polarity(rows)

    def signed(key):  # mA, negative after a reversal
        return [r[key] * s / 1000 for r, s in zip(rows, sign)]

    fig, (ax_i, ax_v, ax_r, ax_p) = plt.subplots(
        4, 1, sharex=True, figsize=(11, 10), gridspec_kw={"height_ratios": (3, 2, 2, 2)})
    ax_i.plot(t, signed("i_ua"), label="measured current", lw=1)
    if "true_i_ua" in rows[0]:
        ax_i.plot(t, signed("true_i_ua"), label="true current (model)", lw=0.8, alpha=0.7)
    if any(r.get("true_density_ua", r.get("true_i_ua")) != r.get("true_i_ua") for r in rows):
        # SR-23: only when part of the hand left the water (else it is the current).
        ax_i.plot(t, signed("true_density_ua"), lw=0.8, color="tab:brown",
                  label="current density (model), as mA over the whole hand")
    ax_i.plot(t, signed("target_ua"), label="ramped target", lw=1, ls="--")
    ax_i.plot(t, signed("set_ua"), label="set point", lw=0.8, ls=":")
    ax_i.axhline(0, color="black", lw=0.5)
    ax_i.set_ylabel("mA (- after a reversal)")
    ax_i.legend(loc="upper right", fontsize=8)
    ax_v.plot(t, [r["v_mv"] / 1000 for r in rows], label="electrode voltage", lw=1)
    ax_v.plot(t, [r["rail_mv"] / 1000 for r in rows], label="rail", lw=0.8, ls=":")
    ax_v.set_ylabel("V")
    ax_v.legend(loc="upper right", fontsize=8)
    key = "true_load_ohm" if "true_load_ohm" in rows[0] else "load_ohm"
    plot_load(ax_r, t, [r[key] for r in rows])
    _percentages(rows, t, ax_p)
    ax_p.set_xlabel("minutes")
    finish(fig, rows, t, (ax_i, ax_v, ax_r, ax_p), title or "simulated session")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _percentages(rows, t, ax) -> None:
    # SR-14: the percent of the set point reached, and where the rail was the limit;
    # SR-23: the density guard's cap, percent of the set point (100: none).
    treating = [names.STATES[r["state"]] in ("ramp_up", "treat") if 0 <= r["state"] < len(
        names.STATES) else False for r in rows]
    reached = [min(r.get("reached_pct", 0), 120) if on else float("nan")
               for r, on in zip(rows, treating)]
    ax.plot(t, reached, lw=1, label="reached, % of set point (SR-14)")
    ax.plot(t, [r.get("guard_pct", 100) for r in rows], lw=1, color="tab:red",
            label="density guard's cap, % of set point (SR-23)")
    limited = [bool(r.get("limited")) for r in rows]
    if any(limited):
        ax.fill_between(t, 0, 1, where=limited, transform=ax.get_xaxis_transform(),
                        color="tab:orange", alpha=0.3, lw=0, zorder=2,  # over the states
                        label="compliance-limited (SR-14)")
    ax.set_ylim(0, 125)
    ax.set_ylabel("% of set point")
    ax.legend(loc="lower right", fontsize=8)


def finish(fig, rows, t, axes, title: str) -> None:
    """The states shaded under every axis, their legend, the moments labelled; the
    simulate plot and each ionto logs session plot alike."""
    shown = shade_states(rows, t, axes)
    mark_moments(rows, t, axes)
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(facecolor=_COLOURS.get(n, "#ffffff"), edgecolor="#999999",
                              label=n) for n in shown],
               loc="lower center", ncol=min(len(shown), 10), fontsize=8, title="states",
               title_fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0.06, 1, 1))


# The moments a plot labels: (what, colour, line style).
_MOMENTS = {"pause": ("tab:red", ":"), "reversal": ("tab:purple", "-."),
            "limited": ("tab:orange", "--"), "fault": ("black", "-")}


def moments(rows: list[dict]) -> list[tuple[int, str, str]]:
    """(row index, kind, label): where a pause, a polarity reversal (its ramp to zero
    begins, SR-11), compliance-limited current (SR-14) or a fault begins."""
    out = []
    for k in range(1, len(rows)):
        now, before = state_name(rows[k]["state"]), state_name(rows[k - 1]["state"])
        if now != before and now in ("paused", "reversing", "fault"):
            kind = {"paused": "pause", "reversing": "reversal"}.get(now, now)
            label = kind
            code = rows[k].get("fault")
            if now == "fault" and code and 0 < code < len(names.FAULTS):
                label = f"fault: {names.FAULTS[code]}"
            out.append((k, kind, label))
        if rows[k].get("limited") and not rows[k - 1].get("limited"):
            out.append((k, "limited", "limited (SR-14)"))
    return out


def mark_moments(rows, t, axes) -> None:
    span = (t[-1] - t[0]) or 1
    last_text = None
    for k, kind, label in moments(rows):
        colour, style = _MOMENTS[kind]
        for ax in axes:
            ax.axvline(t[k], color=colour, lw=1, ls=style)
        if last_text is None or t[k] - last_text > span / 40:  # no labels on top of each other
            lo, hi = axes[0].get_ylim()
            axes[0].text(t[k], lo + (hi - lo) * 0.5, " " + label, color=colour, fontsize=8,
                         rotation=90, va="center")
            last_text = t[k]


_COLOURS = {
    "wait_contact": "#ffe9a8", "ramp_up": "#d7f0d0", "treat": "#ffffff",
    "paused": "#ffd0d0", "reversing": "#d8d8ff", "ramp_down": "#b8e0f0",
    "done": "#e4e4e4", "fault": "#ff9999", "idle": "#f8f8f8",
}


def shade_states(rows, t, axes) -> list[str]:
    """Shade each state's span on every axis; the states shown, in order of first showing."""
    shown: list[str] = []
    start = 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k]["state"] != rows[start]["state"]:
            name = state_name(rows[start]["state"])
            end = t[k] if k < len(rows) else t[-1]
            if name not in shown:
                shown.append(name)
            for ax in axes:
                ax.axvspan(t[start], end, color=_COLOURS.get(name, "#ffffff"), lw=0)
            if end - t[start] > (t[-1] - t[0]) / 60:
                axes[0].text((t[start] + end) / 2, axes[0].get_ylim()[1] * 0.98, name,
                             ha="center", va="top", fontsize=7, rotation=90)
            start = k
    return shown

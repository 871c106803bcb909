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


def state_name(code: int) -> str:
    return names.STATES[code] if 0 <= code < len(names.STATES) else f"state{code}"


def _fmt_row(r: dict) -> str:
    load = r.get("true_load_ohm") or r.get("load_ohm") or 0
    fault = names.FAULTS[r["fault"]] if r.get("fault") else ""
    limited = " limited" if r.get("limited") else ""  # SR-14: the rail is the limit
    guard = r.get("guard_pct", 100)
    guard = f" guard {guard:3d} %" if guard < 100 else ""  # SR-23: the density guard's cap
    return (
        f"{r['t_s']:8.1f} s  {state_name(r['state']):<12} set {r['set_ua'] / 1000:6.2f} mA  "
        f"target {r['target_ua'] / 1000:6.2f} mA  I {r['i_ua'] / 1000:6.2f} mA  "
        f"V {r['v_mv'] / 1000:5.1f} V  load {load / 1000:5.2f} kOhm  "
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
    against time; states shaded, each polarity reversal marked (SR-11)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = [r["t_s"] / 60 for r in rows]
    fig, (ax_i, ax_v, ax_r, ax_p) = plt.subplots(
        4, 1, sharex=True, figsize=(11, 10), gridspec_kw={"height_ratios": (3, 2, 2, 2)})
    ax_i.plot(t, [r["i_ua"] / 1000 for r in rows], label="measured current", lw=1)
    if "true_i_ua" in rows[0]:
        ax_i.plot(t, [r["true_i_ua"] / 1000 for r in rows], label="true current (model)",
                  lw=0.8, alpha=0.7)
    if any(r.get("true_density_ua", r.get("true_i_ua")) != r.get("true_i_ua") for r in rows):
        # SR-23: only when part of the hand left the water (else it is the current).
        ax_i.plot(t, [r["true_density_ua"] / 1000 for r in rows], lw=0.8, color="tab:brown",
                  label="current density (model), as mA over the whole hand")
    ax_i.plot(t, [r["target_ua"] / 1000 for r in rows], label="ramped target", lw=1, ls="--")
    ax_i.plot(t, [r["set_ua"] / 1000 for r in rows], label="set point", lw=0.8, ls=":")
    ax_i.set_ylabel("mA")
    ax_i.legend(loc="upper right", fontsize=8)
    ax_v.plot(t, [r["v_mv"] / 1000 for r in rows], label="electrode voltage", lw=1)
    ax_v.plot(t, [r["rail_mv"] / 1000 for r in rows], label="rail", lw=0.8, ls=":")
    ax_v.set_ylabel("V")
    ax_v.legend(loc="upper right", fontsize=8)
    key = "true_load_ohm" if "true_load_ohm" in rows[0] else "load_ohm"
    ax_r.plot(t, [min(r[key], 50000) / 1000 for r in rows], label="load", lw=1)
    ax_r.set_ylabel("kOhm")
    ax_r.legend(loc="upper right", fontsize=8)
    _percentages(rows, t, ax_p)
    ax_p.set_xlabel("minutes")
    shade_states(rows, t, (ax_i, ax_v, ax_r, ax_p))
    mark_reversals(rows, t, (ax_i, ax_v, ax_r, ax_p))
    fig.suptitle(title or "simulated session", fontsize=10)
    fig.tight_layout()
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


def mark_reversals(rows, t, axes) -> None:
    # SR-11: a line where each polarity reversal begins (its ramp to zero), labelled.
    for k in range(1, len(rows)):
        if (state_name(rows[k]["state"]) == "reversing"
                and state_name(rows[k - 1]["state"]) != "reversing"):
            for ax in axes:
                ax.axvline(t[k], color="tab:purple", lw=1, ls="-.")
            axes[0].text(t[k], axes[0].get_ylim()[1] * 0.5, " reversal", color="tab:purple",
                         fontsize=8, rotation=90, va="center")


_COLOURS = {
    "wait_contact": "#ffe9a8", "ramp_up": "#d7f0d0", "treat": "#ffffff",
    "paused": "#ffd0d0", "reversing": "#d8d8ff", "ramp_down": "#d7f0d0",
    "done": "#eeeeee", "fault": "#ff9999", "idle": "#f4f4f4",
}


def shade_states(rows, t, axes) -> None:
    start = 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k]["state"] != rows[start]["state"]:
            name = state_name(rows[start]["state"])
            end = t[k] if k < len(rows) else t[-1]
            for ax in axes:
                ax.axvspan(t[start], end, color=_COLOURS.get(name, "#ffffff"), lw=0)
            if end - t[start] > (t[-1] - t[0]) / 60:
                axes[0].text((t[start] + end) / 2, axes[0].get_ylim()[1] * 0.98, name,
                             ha="center", va="top", fontsize=7, rotation=90)
            start = k

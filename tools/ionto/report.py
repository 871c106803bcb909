"""Readable timeline and plot of a simulated (or recorded) session.

A trace is a list of rows (dicts): ``t_s`` plus the firmware status fields
(firmware/names.py STATUS: state, target_ua, set_ua, i_ua, v_mv, load_ohm, ...)
and the model's truth where the simulator knows it (``true_i_ua``,
``true_load_ohm``).
"""

from __future__ import annotations

import tools.sim.mpshim  # noqa: F401  (the firmware's `micropython` in CPython)
from firmware import names


def state_name(code: int) -> str:
    return names.STATES[code] if 0 <= code < len(names.STATES) else f"state{code}"


def _fmt_row(r: dict) -> str:
    load = r.get("true_load_ohm") or r.get("load_ohm") or 0
    fault = names.FAULTS[r["fault"]] if r.get("fault") else ""
    return (
        f"{r['t_s']:8.1f} s  {state_name(r['state']):<12} set {r['set_ua'] / 1000:6.2f} mA  "
        f"target {r['target_ua'] / 1000:6.2f} mA  I {r['i_ua'] / 1000:6.2f} mA  "
        f"V {r['v_mv'] / 1000:5.1f} V  load {load / 1000:5.2f} kOhm  "
        f"{r.get('reached_pct', 0):3d} %  {fault}"
    ).rstrip()


def timeline(rows: list[dict], every_s: float = 30.0) -> list[str]:
    """One line every `every_s` seconds, and one at each state change or fault."""
    out = [
        "    time  state        set point         target          measured    electrode  "
        "load        reached"
    ]
    last_t = None
    last_state = None
    last_fault = None
    for r in rows:
        changed = r["state"] != last_state or r.get("fault") != last_fault
        if changed or last_t is None or r["t_s"] - last_t >= every_s:
            out.append(_fmt_row(r))
            last_t = r["t_s"]
            last_state = r["state"]
            last_fault = r.get("fault")
    return out


def plot(rows: list[dict], path: str, title: str = "") -> None:
    """Current, set point, electrode voltage and load against time, states shaded."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = [r["t_s"] / 60 for r in rows]
    fig, (ax_i, ax_v, ax_r) = plt.subplots(3, 1, sharex=True, figsize=(11, 8))
    ax_i.plot(t, [r["i_ua"] / 1000 for r in rows], label="measured current", lw=1)
    if "true_i_ua" in rows[0]:
        ax_i.plot(t, [r["true_i_ua"] / 1000 for r in rows], label="true current (model)",
                  lw=0.8, alpha=0.7)
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
    ax_r.set_xlabel("minutes")
    ax_r.legend(loc="upper right", fontsize=8)
    shade_states(rows, t, (ax_i, ax_v, ax_r))
    fig.suptitle(title or "simulated session")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


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

"""The board's journal and session traces, read on the host (`ionto logs`):
from a folder (--from), or fetched from the board first (fetch()).

The files (firmware/journal.py): ``journal.jsonl`` and ``journal.1.jsonl``, one
JSON record per session (a torn last line is skipped, as the board skips it);
``trace0.bin`` (newest) to ``trace3.bin``: magic ``IOT1``, session id (2 bytes
LE), seconds per sample, sample count (2 bytes LE), event count, then per
sample the mean current in 0.1 mA and the mean electrode voltage in 0.25 V, then
per event the second (2 bytes LE) and the state it entered.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import tools.sim.mpshim  # noqa: F401  (the firmware's `micropython` in CPython)
from firmware import journal as fw_journal
from firmware import names, profiles

JOURNAL_FILES = (fw_journal.OLD, fw_journal.FILE)  # oldest first
TRACE_FILES = tuple(f"trace{k}.bin" for k in range(fw_journal.TRACE_KEEP))


class TraceError(ValueError):
    """A trace file that is not one (wrong magic, truncated)."""


def parse_journal(text: str) -> list[dict]:
    out = []
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a torn line (SR-19: at most the record being written)
        if isinstance(rec, dict):
            out.append(rec)
    return out


def parse_trace(data: bytes) -> dict:
    try:  # the firmware's own decoder (firmware/journal.py): one reading of the layout
        sid, every, i_list, v_list, events = fw_journal.decode_trace(data)
    except ValueError as e:
        raise TraceError(str(e)) from None
    samples = [{"t_s": (k + 1) * every, "i_ua": i_ua, "v_mv": v_mv,
                "load_ohm": v_mv * 1000 // i_ua if i_ua >= 100 else 0}
               for k, (i_ua, v_mv) in enumerate(zip(i_list, v_list))]
    return {"id": sid, "every_s": every, "samples": samples, "events": events}


def state_at(events: list[tuple[int, int]], t_s: float) -> int:
    state = events[0][1] if events else 0
    for t, s in events:
        if t < t_s:
            state = s
    return state


# The states in which the session's current-on time runs (firmware/session.py
# on_ms; a user pause's ramp down and a reversal's ramp to zero are about a
# second each more, which this leaves out).
_ON_STATES = frozenset(names.STATES.index(s) for s in ("ramp_up", "treat", "reversing",
                                                       "ramp_down"))


def set_points(rec: dict, events: list[tuple[int, int]]) -> list[tuple[float, int]]:
    """The set point over the session, as (trace second, uA) steps: the record's
    set_ua from 0, then each change of the up and down buttons (``adjusts``, timed
    in current-on seconds) placed at the trace second where the on time, summed
    from the trace's state changes, reaches it (to within about a second a pause)."""
    steps = [(0.0, rec["set_ua"])]
    changes = [a for a in rec.get("adjusts") or [] if isinstance(a, list) and len(a) == 2]
    if not changes:
        return steps
    on = 0.0
    k = 0
    bounds = list(events) + [(float("inf"), -1)]
    for (t0, state), (t1, _) in zip(bounds, bounds[1:]):
        span = t1 - t0 if state in _ON_STATES else 0.0
        while k < len(changes) and on + span >= changes[k][0]:
            steps.append((t0 + changes[k][0] - on, changes[k][1]))
            k += 1
        on += span
    return steps


def read_folder(folder: Path) -> tuple[list[dict], list[dict]]:
    """Records (oldest first) and traces found in a folder (a copy of the flash)."""
    records: list[dict] = []
    for name in JOURNAL_FILES:
        p = folder / name
        if p.exists():
            records += parse_journal(p.read_text(errors="replace"))
    traces = []
    for name in TRACE_FILES:
        p = folder / name
        if p.exists():
            traces.append(parse_trace(p.read_bytes()))
    return records, traces


def write_csv(records: list[dict], path: Path) -> None:
    fields: list[str] = []
    for r in records:
        fields += [k for k in r if k not in fields]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(records)


def _set_at(steps: list[tuple[float, int]], t_s: float) -> int:
    ua = steps[0][1]
    for t, v in steps:
        if t <= t_s:
            ua = v
    return ua


def plot_session(tr: dict, rec: dict | None, path: Path) -> None:
    """Current (signed by polarity), electrode voltage and load per second; the states
    shaded with a legend, the moments labelled (tools/ionto/report.py finish)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from tools.ionto import report

    rows = [dict(s, state=state_at(tr["events"], s["t_s"])) for s in tr["samples"]]
    t = [r["t_s"] / 60 for r in rows]
    sign = report.polarity(rows)
    fig, (ax_i, ax_v, ax_r) = plt.subplots(3, 1, sharex=True, figsize=(11, 7.5))
    ax_i.plot(t, [r["i_ua"] * s / 1000 for r, s in zip(rows, sign)], lw=1,
              label="current (1 s mean)")
    if rec is not None and "set_ua" in rec:
        steps = set_points(rec, tr["events"])
        ax_i.plot(t, [_set_at(steps, r["t_s"]) * s / 1000 for r, s in zip(rows, sign)],
                  ls=":", lw=0.8, label="set point")
    ax_i.axhline(0, color="black", lw=0.5)
    ax_i.set_ylabel("mA (- after a reversal)")
    ax_i.legend(loc="upper right", fontsize=8)
    ax_v.plot(t, [r["v_mv"] / 1000 for r in rows], lw=1, label="electrode voltage")
    ax_v.set_ylabel("V")
    report.plot_load(ax_r, t, [r["load_ohm"] for r in rows])
    ax_r.set_xlabel("minutes")
    title = f"session {tr['id']}"
    if rec is not None:
        profile = rec.get("profile")
        if isinstance(profile, int) and 0 <= profile < len(profiles.DEFAULTS):
            profile = profiles.DEFAULTS[profile][0]
        title += (f" ({rec.get('start') or 'clock unknown'}; profile "
                  f"{profile}; {rec.get('on_s', 0) / 60:.1f} min; "
                  f"{rec.get('charge_ma_min', 0)} mA*min; end {rec.get('end')})")
    if rows:
        report.finish(fig, rows, t, (ax_i, ax_v, ax_r), title)
    else:
        fig.suptitle(title)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def export(folder: Path, out: Path) -> list[Path]:
    """journal.csv and one PNG per session trace, from a copy of the flash."""
    records, traces = read_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if records:
        write_csv(records, out / "journal.csv")
        written.append(out / "journal.csv")
    by_id = {r.get("id"): r for r in records}
    for tr in traces:
        p = out / f"session_{tr['id']}.png"
        plot_session(tr, by_id.get(tr["id"]), p)
        written.append(p)
    return written


def fetch(link, raw: Path) -> list[str]:
    """Copy the journal and trace files the board has (tools/ionto/link.Link) into raw."""
    raw.mkdir(parents=True, exist_ok=True)
    got = []
    for name in JOURNAL_FILES + TRACE_FILES:
        (raw / name).unlink(missing_ok=True)  # an earlier fetch's file the board no longer has
        data = link.get(name)
        if data is not None:
            (raw / name).write_bytes(data)
            got.append(name)
    return got


def state_names(tr: dict) -> list[str]:
    return [names.STATES[s] if s < len(names.STATES) else str(s) for _, s in tr["events"]]

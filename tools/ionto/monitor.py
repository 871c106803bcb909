"""`ionto monitor`: the board's status, polled at the REPL (console.status()).

A session cannot run while USB is connected (SR-17), and at the REPL the app
is stopped: what this shows is the idle or bench board, its readings with the
output off (or a leak, SR-9), the inputs, and the settings the next session
would use. The time left is the configured session length.
"""

from __future__ import annotations

import csv
import time
from typing import TextIO

from tools.ionto import report
from tools.ionto.link import Link

FIELDS = ("t_s", "state", "set_ua", "i_ua", "v_mv", "load_ohm", "reached_pct", "limited",
          "left_s", "rail_mv", "battery_mv", "usb", "trip", "button", "up", "down")
HEADER = (f"{'time':>10}  {'state':<12} {'set point':<13}  {'current':<11}  {'voltage':<9}  "
          f"{'load':<16}  reached  time left  inputs")


def row(st: dict, t_s: float) -> dict:
    # A status that carries the app's `limited` and `reached_pct` (firmware/names.py
    # STATUS: compliance, SR-14) gives them; console.status() at the REPL, with the
    # app stopped, has none: the reached percent is then the reading over the set point.
    cfg = st["config"]
    i_ua, v_mv, set_ua = st["i_ua"], st["v_mv"], cfg["set_ua"]
    reached = st.get("reached_pct")
    return {"t_s": round(t_s, 1), "state": "output on" if st["output_on"] else "console",
            "set_ua": set_ua, "i_ua": i_ua, "v_mv": v_mv,
            "load_ohm": v_mv * 1000 // i_ua if i_ua >= 100 else None,  # as logs.parse_trace
            "reached_pct": reached if reached is not None else (
                i_ua * 100 // set_ua if set_ua else 0),
            "limited": bool(st.get("limited", False)),
            "left_s": cfg["duration_ms"] // 1000, "rail_mv": st["rail_mv"],
            "battery_mv": st["battery_mv"], "usb": st["usb"], "trip": st["trip"],
            "button": st["button"],
            # the optional up and down buttons (a firmware before them has none)
            "up": st.get("up", False), "down": st.get("down", False)}


def reached(r: dict) -> str:
    """The reached column: the percent, or what a compliance-limited output (SR-14:
    the rail cannot push the set point through the load) reaches."""
    if r.get("limited"):
        return f"limited, {r['reached_pct']} % of the set point"
    return f"{r['reached_pct']:5d} %"


def line(r: dict) -> str:
    load = report.load_text(r["load_ohm"])  # "open" without current, as every plot shows it
    left = int(r["left_s"])
    inputs = " ".join(k for k in ("usb", "trip", "button", "up", "down") if r[k])
    return (f"{r['t_s']:8.1f} s  {r['state']:<12} set {r['set_ua'] / 1000:6.2f} mA  "
            f"I {r['i_ua'] / 1000:6.2f} mA  V {r['v_mv'] / 1000:5.1f} V  load {load:<11}  "
            f"{reached(r)}  {left // 60:6d}:{left % 60:02d}  {inputs}").rstrip()


def monitor(link: Link, every_s: float, count: int, csv_path: str | None, out: TextIO) -> int:
    """count lines (0: until Ctrl-C), one every every_s seconds; returns lines shown."""
    f = open(csv_path, "w", newline="") if csv_path else None
    w = csv.DictWriter(f, fieldnames=FIELDS) if f else None
    if w is not None:
        w.writeheader()
    print(HEADER, file=out, flush=True)
    n = 0
    t0 = time.monotonic()
    said = None
    try:
        while count == 0 or n < count:
            if n:
                time.sleep(max(0.0, t0 + n * every_s - time.monotonic()))
            st = link.call("c.status()")
            # The medicated tray (issue 17: a doctor's medication in one tray's
            # water), as the board says it at a start: once, and again if it changes.
            reminder = st["config"].get("reminder")
            if reminder and reminder != said:
                print(reminder, file=out, flush=True)
            said = reminder
            r = row(st, time.monotonic() - t0)
            print(line(r), file=out, flush=True)
            if w is not None and f is not None:
                w.writerow(r)
                f.flush()
            n += 1
    except KeyboardInterrupt:
        pass
    finally:
        if f is not None:
            f.close()
    return n

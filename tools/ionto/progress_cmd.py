"""The `ionto progress` and `ionto hdss` subcommands (registered by
tools/ionto/cli.py through add_parsers), which work on the host's history
alone: no board needed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from tools.ionto import history

HDSS_HELP = ("your Hyperhidrosis Disease Severity Scale score, 1-4: my sweating is 1 never "
             "noticeable and never interferes with my daily activities, 2 tolerable but "
             "sometimes interferes, 3 barely tolerable and frequently interferes, 4 "
             "intolerable and always interferes (Solish et al. 2007)")


def _day(text: str | None, what: str) -> dt.date:
    # A day given as YYYY-MM-DD; today (the local date) when not given.
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {text!r}: a day as YYYY-MM-DD, e.g. 2026-12-06") from None


def _hdss(args: argparse.Namespace) -> int:
    if args.score not in ("1", "2", "3", "4"):
        print(f"ionto hdss: {args.score!r} is no HDSS score: give 1, 2, 3 or 4 "
              "(`ionto hdss --help` says what each means)", file=sys.stderr)
        return 2
    try:
        day = _day(args.date, "--date")
    except ValueError as e:
        print(f"ionto hdss: {e}", file=sys.stderr)
        return 2
    if day > dt.date.today():
        print(f"ionto hdss: --date {day} is in the future: record a day that has been",
              file=sys.stderr)
        return 2
    conn = history.open_db()
    try:
        old = history.set_hdss(conn, day.isoformat(), int(args.score))
    finally:
        conn.close()
    was = f" (it was {old})" if old is not None else ""
    print(f"HDSS {args.score} for {day}{was}, kept in {history.db_path()}")
    return 0


def _progress(args: argparse.Namespace) -> int:
    from tools.ionto import progress, progress_page

    try:
        today = _day(args.today, "--today")
    except ValueError as e:
        print(f"ionto progress: {e}", file=sys.stderr)
        return 2
    conn = history.open_db()
    try:
        records, scores = history.sessions(conn), history.hdss_scores(conn)
    finally:
        conn.close()
    if not records and not scores:
        print(f"ionto progress: no sessions and no HDSS kept yet in {history.db_path()}: "
              "connect the board (every ionto command that connects keeps its journal) "
              "or record your HDSS with `ionto hdss N`")
        return 0
    rep = progress.analyse(records, scores, today)
    for line in progress.text(rep):
        print(line)
    png, page = progress_page.write(rep, Path(args.out))
    print(f"wrote {png} and {page}")
    return 0


def add_parsers(sub) -> None:
    """`progress` and `hdss` on cli.py's subparsers."""
    pr = sub.add_parser("progress", help="sessions per week against the plan, charge, time, "
                        "load and HDSS over weeks, with flags; a PNG and an HTML page")
    pr.add_argument("--out", default="build/progress",
                    help="where to write progress.png and progress.html "
                    "(default build/progress)")
    pr.add_argument("--today", help="the last day of the report, YYYY-MM-DD (default today)")
    pr.set_defaults(func=_progress)
    hd = sub.add_parser("hdss", help="record your HDSS score (1-4) for a day")
    hd.add_argument("score", help=HDSS_HELP)
    hd.add_argument("--date", help="the day, YYYY-MM-DD (default today)")
    hd.set_defaults(func=_hdss)

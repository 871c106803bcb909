"""The whole treatment history on the host: a SQLite database in the person's
data folder that every connecting `ionto` command fills from the board's
journal (issue 15).

Why: the board keeps about the last 60 sessions (firmware/journal.py rotates
journal.jsonl into journal.1.jsonl, and four traces); progress over weeks and
months needs them all. The database is <data dir>/history.sqlite3, where the
data dir is platformdirs' user data folder for "ionto", or $IONTO_DATA_DIR.

Import is idempotent. A session is (board, id, start): the journal id counts up
per board and starts again at 1 when a board's journal is wiped, and the start
time (or "" when the board's clock was unknown) tells such sessions apart. A
trace is (board, id, sha256 of its bytes), since a trace carries no start. A
repeated record or trace is ignored (INSERT OR IGNORE), and a torn line (a
power cut, SR-19) is skipped as the board skips it. Each import is one
transaction: it is all in, or nothing is.

A damaged database is never repaired in place: it is moved aside whole (its
bytes untouched) as history.sqlite3.corrupt-<time>, and HistoryError says where.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA_VERSION = 1
DB_NAME = "history.sqlite3"
ENV_DIR = "IONTO_DATA_DIR"  # tests and people who keep their data elsewhere

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions (
    board TEXT NOT NULL, id INTEGER NOT NULL, start TEXT NOT NULL,
    record TEXT NOT NULL, imported_at TEXT NOT NULL,
    PRIMARY KEY (board, id, start));
CREATE TABLE traces (
    board TEXT NOT NULL, id INTEGER NOT NULL, sha256 TEXT NOT NULL,
    data BLOB NOT NULL, imported_at TEXT NOT NULL,
    PRIMARY KEY (board, id, sha256));
CREATE TABLE board_files (
    board TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (board, name));
CREATE TABLE hdss (
    day TEXT PRIMARY KEY, score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 4),
    recorded_at TEXT NOT NULL);
"""


class HistoryError(Exception):
    """The database cannot be used: one line for the person (the CLI exits 2)."""


@dataclass
class Imported:
    """What one import added and what it passed over."""

    sessions: int = 0
    traces: int = 0
    repeated: int = 0  # records or traces the database already held
    torn: list[str] = field(default_factory=list)  # "journal.jsonl line 7", "trace2.bin"


def data_dir() -> Path:
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("ionto", appauthor=False))


def db_path() -> Path:
    return data_dir() / DB_NAME


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _move_aside(path: Path) -> Path:
    # rename, not copy: the old bytes stay exactly as they were (nothing lost),
    # and the next run starts a new database in their place.
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, backup)
    journal = path.with_name(path.name + "-journal")  # SQLite's rollback journal, if any
    if journal.exists():
        os.replace(journal, backup.with_name(backup.name + "-journal"))
    return backup


def _check(conn: sqlite3.Connection) -> None:
    # Raises sqlite3.DatabaseError for a damaged file, HistoryError for one
    # written by a newer ionto (not damaged: left where it is).
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        raise sqlite3.DatabaseError("integrity check: " + "; ".join(str(r[0]) for r in rows[:3]))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return  # a new, empty file
    if "meta" not in tables:
        raise sqlite3.DatabaseError("no meta table: not an ionto history")
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        raise sqlite3.DatabaseError("no schema version in its meta table")
    if int(row[0]) > SCHEMA_VERSION:
        raise HistoryError(f"the history database {conn_path(conn)} has schema version "
                           f"{row[0]}, newer than this ionto's {SCHEMA_VERSION}: update ionto")


def conn_path(conn: sqlite3.Connection) -> str:
    return conn.execute("PRAGMA database_list").fetchone()[2]


def open_db(path: Path | None = None) -> sqlite3.Connection:
    """The history database, created if missing. A damaged one is moved aside
    and HistoryError names the backup."""
    path = path or db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = None
    try:
        conn = sqlite3.connect(path)
        _check(conn)
        if not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
            # one transaction: a new file gets its whole schema and version, or none
            conn.executescript(f"BEGIN;{_SCHEMA}INSERT INTO meta VALUES "
                               f"('schema_version', '{SCHEMA_VERSION}');COMMIT;")
        return conn
    except sqlite3.OperationalError as e:  # locked, no permission: not damaged, left as it is
        if conn is not None:
            conn.close()
        raise HistoryError(f"cannot use the history database {path}: {e}") from None
    except sqlite3.DatabaseError as e:  # not a database, malformed, failed its check
        if conn is not None:
            conn.close()
        backup = _move_aside(path)
        raise HistoryError(f"the history database {path} is damaged ({e}); it was moved aside, "
                           f"untouched, to {backup}; the next command starts a new one and "
                           "imports the board's journal again") from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def _journal_lines(name: str, text: str, out: Imported) -> list[dict]:
    records = []
    for k, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            rec = None
        if not isinstance(rec, dict) or type(rec.get("id")) is not int:
            out.torn.append(f"{name} line {k}")  # SR-19: a power cut tore it
            continue
        records.append(rec)
    return records


def import_files(conn: sqlite3.Connection, board: str, files: dict[str, bytes]) -> Imported:
    """Import a board's journal files and traces (name -> bytes, as on its
    flash), in one transaction. Returns what was new."""
    from tools.ionto import logs

    out = Imported()
    now = _now()
    with conn:
        for name in logs.JOURNAL_FILES:
            if name not in files:
                continue
            for rec in _journal_lines(name, files[name].decode("utf-8", "replace"), out):
                start = rec.get("start") if isinstance(rec.get("start"), str) else ""
                cur = conn.execute("INSERT OR IGNORE INTO sessions VALUES (?, ?, ?, ?, ?)",
                                   (board, rec["id"], start, json.dumps(rec, sort_keys=True), now))
                out.sessions += cur.rowcount
                out.repeated += 1 - cur.rowcount
        for name in logs.TRACE_FILES:
            if name not in files:
                continue
            data = files[name]
            try:
                sid = logs.parse_trace(data)["id"]
            except logs.TraceError:
                out.torn.append(name)
                continue
            cur = conn.execute("INSERT OR IGNORE INTO traces VALUES (?, ?, ?, ?, ?)",
                               (board, sid, hashlib.sha256(data).hexdigest(), data, now))
            out.traces += cur.rowcount
            out.repeated += 1 - cur.rowcount
        for name, data in files.items():
            conn.execute("INSERT OR REPLACE INTO board_files VALUES (?, ?, ?)",
                         (board, name, hashlib.sha256(data).hexdigest()))
    return out


_UNIQUE_ID = ("import machine, binascii\n"
              "print(binascii.hexlify(machine.unique_id()).decode())\n")


def board_identity(link) -> str:
    """The board's machine.unique_id() in hex (rp2: the flash's id; esp32: its
    MAC); the port's name when the board has none."""
    from tools.ionto.link import DeviceError

    try:
        got = link.exec(_UNIQUE_ID).split()
    except DeviceError:
        got = []
    return got[-1] if got else f"port:{link.port}"


def import_from_board(conn: sqlite3.Connection, link) -> Imported:
    """Fetch the journal files and traces that changed since the last import
    (their sha256 on the board, one exec) and import them."""
    from tools.ionto import logs

    board = board_identity(link)
    names = list(logs.JOURNAL_FILES + logs.TRACE_FILES)
    on_board = link.hashes(names)
    known = dict(conn.execute("SELECT name, sha256 FROM board_files WHERE board=?", (board,)))
    files = {}
    for name in names:
        if on_board[name] is not None and on_board[name] != known.get(name):
            data = link.get(name)
            if data is not None:
                files[name] = data
    return import_files(conn, board, files)


def on_connect(link, err=None) -> Imported:
    """Every connecting command calls this once (tools/ionto/cli.py _link): the
    board's new sessions into the history. Says so on stderr when there were any."""
    err = err or sys.stderr
    conn = open_db()
    try:
        got = import_from_board(conn, link)
    finally:
        conn.close()
    if got.sessions or got.traces:
        print(f"ionto: history: {got.sessions} new sessions, {got.traces} new traces "
              f"kept in {db_path()}", file=err, flush=True)
    return got


def set_hdss(conn: sqlite3.Connection, day: str, score: int) -> int | None:
    """Record the day's HDSS (1-4); returns the score it replaced, if any."""
    if score not in (1, 2, 3, 4):
        raise ValueError("the HDSS is 1, 2, 3 or 4")
    with conn:
        old = conn.execute("SELECT score FROM hdss WHERE day=?", (day,)).fetchone()
        conn.execute("INSERT OR REPLACE INTO hdss VALUES (?, ?, ?)", (day, score, _now()))
    return old[0] if old else None


def sessions(conn: sqlite3.Connection) -> list[dict]:
    """Every session record kept, with its board; oldest start first (undated last)."""
    rows = conn.execute("SELECT board, record FROM sessions ORDER BY start = '', start, id")
    return [dict(json.loads(rec), board=board) for board, rec in rows]


def hdss_scores(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return list(conn.execute("SELECT day, score FROM hdss ORDER BY day"))

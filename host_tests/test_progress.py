"""Progress over weeks (issue 15): the host's history database
(tools/ionto/history.py), `ionto hdss`, and `ionto progress`
(tools/ionto/progress.py, progress_page.py), on generated histories.

conftest.py points IONTO_DATA_DIR at a fresh folder for every test."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import sqlite3
import subprocess

import pytest
from test_host_tools import firmware_in_safe_mode, served  # noqa: F401  (the fixture)

from firmware import schedule
from tools.ionto import cli, history, logs, progress
from tools.sim import scenarios
from tools.sim.simboard import SimBoard

MONDAY = dt.date(2026, 9, 7)  # week 1 of the generated histories
TODAY = MONDAY + dt.timedelta(days=83)  # the Sunday of week 12
CHROMIUM = "/usr/bin/chromium"


def record(sid: int, day: int, hour: int = 8, on_s: int = 1200, load: int = 3000) -> dict:
    """A session record as firmware/journal.py writes it, `day` days after MONDAY."""
    start = dt.datetime.combine(MONDAY, dt.time(hour)) + dt.timedelta(days=day)
    return {"v": 1, "id": sid, "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "schedule": "none", "profile": 0, "set_ua": 15000, "planned_s": 1200,
            "on_s": on_s, "charge_ma_min": on_s * 15 // 60, "mean_ua": 15000,
            "min_ua": 14800, "max_ua": 15100, "load_start_ohm": load + 400,
            "load_end_ohm": load, "limited_s": 0, "reached_pct": 100, "pauses": 0,
            "reversals": 1, "polarity": 1, "reversed_start": 0, "end": "timer",
            "fault": "none", "overruns": 0, "guard_events": 0}


def twelve_weeks() -> list[dict]:
    """Induction (Mon, Wed, Fri) for 4 weeks, the third of them daily Mon-Sat
    (too many), then maintenance every 10 days with one 30-day gap."""
    days = [0, 2, 4, 7, 9, 11, 14, 15, 16, 17, 18, 19, 21, 23, 25, 35, 45, 75, 82]
    return [record(k + 1, d, load=3000 + 20 * d) for k, d in enumerate(days)]


def jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def store(records, scores=()) -> None:
    conn = history.open_db()
    history.import_files(conn, "board-a", {"journal.jsonl": jsonl(records)})
    for day, s in scores:
        history.set_hdss(conn, (MONDAY + dt.timedelta(days=day)).isoformat(), s)
    conn.close()


def ionto(capsys, *args):
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def rows(table: str) -> list[tuple]:
    conn = sqlite3.connect(history.db_path())
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
    finally:
        conn.close()


# ---- the database and the import ----

def test_the_database_is_in_ionto_data_dir_with_its_schema_version(tmp_path, monkeypatch):
    monkeypatch.setenv("IONTO_DATA_DIR", str(tmp_path / "d"))
    history.open_db().close()
    assert history.db_path() == tmp_path / "d" / "history.sqlite3"
    assert rows("meta") == [("schema_version", str(history.SCHEMA_VERSION))]
    monkeypatch.delenv("IONTO_DATA_DIR")
    assert history.db_path().parent.name == "ionto"  # platformdirs' user data folder


def test_importing_the_same_records_twice_changes_nothing_field_by_field():
    recs = twelve_weeks()
    conn = history.open_db()
    first = history.import_files(conn, "board-a", {"journal.jsonl": jsonl(recs)})
    before = rows("sessions")
    again = history.import_files(conn, "board-a", {"journal.jsonl": jsonl(recs)})
    conn.close()
    assert (first.sessions, first.repeated, again.sessions, again.repeated) == (19, 0, 0, 19)
    assert rows("sessions") == before
    assert [(b, i, s) for b, i, s, _, _ in before] == sorted(
        ("board-a", r["id"], r["start"]) for r in recs)
    kept = {r[1]: json.loads(r[3]) for r in before}
    for r in recs:
        for key, value in r.items():
            assert kept[r["id"]][key] == value, (r["id"], key)


def test_a_torn_last_line_is_skipped_and_its_record_comes_in_when_whole():
    recs = twelve_weeks()[:3]
    torn = jsonl(recs[:2]) + json.dumps(recs[2]).encode()[:30]  # a power cut mid-line
    conn = history.open_db()
    got = history.import_files(conn, "board-a", {"journal.jsonl": torn})
    assert (got.sessions, got.torn) == (2, ["journal.jsonl line 3"])
    assert [r[1] for r in rows("sessions")] == [1, 2]
    # The board starts the next record on a new line (firmware/journal.py append).
    got = history.import_files(conn, "board-a", {"journal.jsonl": torn + b"\n" + jsonl(recs[2:])})
    conn.close()
    assert (got.sessions, got.repeated, got.torn) == (1, 2, ["journal.jsonl line 3"])
    assert json.loads(rows("sessions")[2][3]) == recs[2]


def test_a_repeated_record_is_kept_once_but_a_wiped_journal_or_another_board_is_new():
    a, b = twelve_weeks()[:2]
    conn = history.open_db()
    got = history.import_files(conn, "board-a", {"journal.1.jsonl": jsonl([a, b]),
                                                 "journal.jsonl": jsonl([b, b])})
    assert (got.sessions, got.repeated) == (2, 2)
    wiped = dict(a, start="2026-12-01T08:00:00Z")  # id 1 again after a wipe, a new start
    got = history.import_files(conn, "board-a", {"journal.jsonl": jsonl([wiped])})
    assert got.sessions == 1
    got = history.import_files(conn, "board-b", {"journal.jsonl": jsonl([a])})
    conn.close()
    assert got.sessions == 1
    assert [(r[0], r[1], r[2]) for r in rows("sessions")] == [
        ("board-a", 1, "2026-09-07T08:00:00Z"), ("board-a", 1, "2026-12-01T08:00:00Z"),
        ("board-a", 2, "2026-09-09T08:00:00Z"), ("board-b", 1, "2026-09-07T08:00:00Z")]


def test_traces_are_kept_once_and_a_damaged_one_is_passed_over():
    trace = bytes(b"IOT1") + bytes((5, 0, 1, 2, 0, 0, 150, 196, 151, 197))
    conn = history.open_db()
    got = history.import_files(conn, "board-a", {"trace0.bin": trace, "trace1.bin": trace[:-1]})
    assert (got.traces, got.torn) == (1, ["trace1.bin"])
    got = history.import_files(conn, "board-a", {"trace1.bin": trace})  # moved up a place
    conn.close()
    assert (got.traces, got.repeated) == (0, 1)
    assert [(r[0], r[1], r[3]) for r in rows("traces")] == [("board-a", 5, trace)]


def test_an_import_that_fails_part_way_leaves_nothing(monkeypatch):
    def broken(data):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(logs, "parse_trace", broken)
    conn = history.open_db()
    with pytest.raises(RuntimeError):
        history.import_files(conn, "board-a", {"journal.jsonl": jsonl(twelve_weeks()),
                                               "trace0.bin": b"IOT1"})
    conn.close()
    assert rows("sessions") == [] and rows("board_files") == []


# ---- a damaged database ----

def _damaged_copy() -> bytes:
    store(twelve_weeks() * 1, [(0, 4)])
    conn = sqlite3.connect(history.db_path())
    with conn:  # enough rows for several pages, so that a middle page can be hit
        conn.executemany("INSERT INTO traces VALUES ('b', ?, ?, ?, 'now')",
                         [(k, str(k), b"x" * 900) for k in range(40)])
    conn.close()
    data = bytearray(history.db_path().read_bytes())
    assert len(data) > 8 * 4096
    data[3 * 4096:3 * 4096 + 300] = b"\xa5" * 300
    history.db_path().write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("damage", ["not a database", "malformed page"])
def test_a_damaged_database_is_moved_aside_untouched_with_one_clear_error(capsys, damage):
    if damage == "not a database":
        history.db_path().parent.mkdir(parents=True, exist_ok=True)
        old = b"these are not the bytes of a SQLite file\n" * 200
        history.db_path().write_bytes(old)
    else:
        old = _damaged_copy()
    rc, out, err = ionto(capsys, "progress", "--out", str(history.data_dir() / "o"))
    assert (rc, out) == (2, "")
    backups = list(history.data_dir().glob("history.sqlite3.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == old  # nothing lost
    assert not history.db_path().exists()
    assert err.count("\n") == 1 and err.startswith(
        f"ionto: the history database {history.db_path()} is damaged (")
    assert f"moved aside, untouched, to {backups[0]}" in err
    rc, out, err = ionto(capsys, "hdss", "3")  # the next command starts a new one
    assert (rc, err) == (0, "") and len(rows("hdss")) == 1


def test_a_newer_schema_is_refused_and_left_in_place():
    store(twelve_weeks()[:1])
    conn = sqlite3.connect(history.db_path())
    with conn:
        conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    conn.close()
    with pytest.raises(history.HistoryError, match="schema version 99, newer"):
        history.open_db()
    assert history.db_path().exists()
    assert list(history.data_dir().glob("*.corrupt-*")) == []


# ---- ionto hdss ----

@pytest.mark.parametrize("bad", ["0", "5", "x", "2.5", "-1"])
def test_hdss_takes_1_to_4_only(capsys, bad):
    rc, out, err = ionto(capsys, "hdss", "--", bad)
    assert (rc, out) == (2, "")
    assert err == (f"ionto hdss: {bad!r} is no HDSS score: give 1, 2, 3 or 4 "
                   "(`ionto hdss --help` says what each means)\n")
    assert not history.db_path().exists() or rows("hdss") == []


def test_hdss_for_a_day_replaces_that_days_score_and_refuses_bad_dates(capsys):
    rc, out, _ = ionto(capsys, "hdss", "3", "--date", "2026-11-01")
    assert rc == 0 and out.startswith("HDSS 3 for 2026-11-01, kept in ")
    rc, out, _ = ionto(capsys, "hdss", "2", "--date", "2026-11-01")
    assert rc == 0 and "HDSS 2 for 2026-11-01 (it was 3)" in out
    today = dt.date.today()
    rc, _, _ = ionto(capsys, "hdss", "4")
    assert rc == 0
    assert [(d, s) for d, s, _ in rows("hdss")] == [("2026-11-01", 2), (today.isoformat(), 4)]
    rc, _, err = ionto(capsys, "hdss", "3", "--date", "2026-13-01")
    assert rc == 2 and err == ("ionto hdss: --date '2026-13-01': a day as YYYY-MM-DD, "
                               "e.g. 2026-12-06\n")
    tomorrow = today + dt.timedelta(days=1)
    rc, _, err = ionto(capsys, "hdss", "3", "--date", tomorrow.isoformat())
    assert rc == 2 and "is in the future" in err
    assert len(rows("hdss")) == 2


# ---- the report ----

def test_twelve_weeks_induction_then_maintenance_against_the_plan():
    rep = progress.analyse(twelve_weeks(), [("2026-09-07", 4), ("2026-10-05", 1)], TODAY)
    assert [w.sessions for w in rep.weeks] == [3, 3, 6, 3, 0, 1, 1, 0, 0, 0, 1, 1]
    assert [w.phase for w in rep.weeks] == ["induction"] * 4 + ["maintenance"] * 8
    assert [w.hdss for w in rep.weeks][:5] == [4, None, None, None, 1]
    assert rep.weeks[0].charge == 3 * 300 and rep.weeks[0].minutes == 60
    assert [(f.kind, f.since, f.until) for f in rep.flags] == [  # no HDSS flag: 4 -> 1
        ("sr22", dt.date(2026, 9, 26), None), ("sr22", dt.date(2026, 9, 28), None),
        ("gap", dt.date(2026, 10, 22), dt.date(2026, 11, 21))]
    assert "2026-09-26 08:00 was number 6 within 7 days" in rep.flags[0].text
    assert "2026-09-28 08:00 was number 6 within 7 days" in rep.flags[1].text
    assert "a gap of 30 days without a session (2026-10-22 to 2026-11-21, maintenance" in \
        rep.flags[2].text
    first, last, slope = progress.load_trend(rep.sessions)
    assert first < last and slope == pytest.approx(20 * 7 / 1000, rel=0.01)


def test_a_second_session_within_24_hours_is_flagged_as_the_firmware_warns():
    recs = [record(1, 0, hour=8), record(2, 0, hour=20), record(3, 1, hour=21),
            record(4, 2, hour=8, on_s=schedule._COUNTS_S - 1)]  # under a minute: not counted
    rep = progress.analyse(recs, [], MONDAY + dt.timedelta(days=3))
    assert [f.text for f in rep.flags if f.kind == "sr22"] == [
        "too many sessions (SR-22): 2026-09-07 20:00 was within 24 h of another "
        "(at most one a day)"]
    assert rep.weeks[0].sessions == 3


def test_a_gap_in_induction_and_up_to_today():
    recs = [record(1, 0), record(2, 2), record(3, 17)]  # 15 days: more than 14 in induction
    rep = progress.analyse(recs, [], MONDAY + dt.timedelta(days=17 + 14))
    assert [f.text.split(" loses")[0] for f in rep.flags] == [
        "a gap of 15 days without a session (2026-09-09 to 2026-09-24, induction: more than "
        "14 days)"]
    rep = progress.analyse(recs, [], MONDAY + dt.timedelta(days=17 + 15))
    assert "(2026-09-24 to today, induction" in rep.flags[-1].text


def _regular(weeks: int) -> list[dict]:
    return [record(3 * w + k + 1, 7 * w + 2 * k) for w in range(weeks) for k in range(3)]


@pytest.mark.parametrize("scores, flagged", [
    ([(0, 3), (28, 3)], True), ([(0, 3), (21, 4), (35, 3)], True),
    ([(0, 3), (28, 2)], False), ([(0, 4), (30, 3)], False)])
def test_no_hdss_improvement_after_four_weeks_of_regular_use_says_see_a_doctor(scores, flagged):
    hdss = [((MONDAY + dt.timedelta(days=d)).isoformat(), s) for d, s in scores]
    rep = progress.analyse(_regular(6), hdss, MONDAY + dt.timedelta(days=41))
    got = [f.text for f in rep.flags if f.kind == "hdss"]
    assert bool(got) == flagged
    if flagged:
        assert got[0].startswith("no HDSS improvement after 4 weeks of regular use (HDSS 3 on "
                                 "2026-09-07, 3 on ") and got[0].endswith("see a doctor about "
                                                                          "other treatments")


def test_no_hdss_flag_before_four_regular_weeks_and_a_note_without_scores():
    rep = progress.analyse(_regular(3), [("2026-09-07", 3), ("2026-09-27", 3)],
                           MONDAY + dt.timedelta(days=20))
    assert rep.flags == [] and rep.notes == []
    rep = progress.analyse(_regular(4), [], MONDAY + dt.timedelta(days=27))
    assert rep.flags == [] and rep.notes[0].startswith("4 weeks of regular use from 2026-09-07:"
                                                       " record your HDSS")


def _progress(capsys, tmp_path):
    store(twelve_weeks(), [(0, 4), (28, 1)])
    out = tmp_path / "report"
    rc, text, err = ionto(capsys, "progress", "--out", str(out), "--today", TODAY.isoformat())
    assert (rc, err) == (0, ""), err
    return out, text


def test_ionto_progress_prints_the_weeks_and_flags_and_writes_the_png_and_the_page(
        capsys, tmp_path):
    out, text = _progress(capsys, tmp_path)
    lines = text.splitlines()
    assert lines[0] == "12 weeks to 2026-11-29, 19 sessions"
    assert re.fullmatch(r"2026-09-21 +6 +3-5 +induction +120 +1800 +-", lines[4])
    assert re.fullmatch(r"2026-10-05 +0 +1 per 1-3 wk +maintenance +0 +0 +1", lines[6])
    assert [x[:22] for x in lines if x.startswith("! ")] == [
        "! too many sessions (S", "! too many sessions (S", "! a gap of 30 days wit"]
    png, page = out / "progress.png", out / "progress.html"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000
    html = page.read_text()
    inline = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert inline and base64.b64decode(inline[0]) == png.read_bytes()
    assert not re.search(r"<script|<link|src=\"http|url\(", html)  # self-contained
    assert "Solish" in html and html.count('class="flag"') == 3


def test_progress_with_an_empty_history_says_so(capsys, tmp_path):
    rc, text, _ = ionto(capsys, "progress", "--out", str(tmp_path / "o"))
    assert rc == 0 and text.startswith("ionto progress: no sessions and no HDSS kept yet in ")
    assert not (tmp_path / "o").exists()


def test_the_page_opens_in_headless_chromium_and_shows_the_report(capsys, tmp_path):
    # Needs Debian's chromium (.ci/run installs it): no skip, a missing browser fails.
    out, _ = _progress(capsys, tmp_path)
    shot = tmp_path / "shot.png"
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--enable-logging=stderr", "--v=0",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1200,1600", (out / "progress.html").as_uri()],
        capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert not re.search(r"CONSOLE|net::ERR|Failed to load", r.stderr), r.stderr[-2000:]
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    assert img.size == (1200, 1600)
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, table and the figure
    dark = sum(n for n, (r_, g, b) in colours if r_ + g + b < 200)
    assert dark > 2000  # the page drew text, not a blank white window


# ---- through the real connect path ----

def test_a_connecting_command_keeps_the_boards_new_sessions_once(served, capsys):  # noqa: F811
    def session_then_firmware(flash):
        sim = SimBoard("pico", seed=1, flash_dir=str(flash))
        sim.run(scenarios.prepare(sim, "S7"))  # a short at minute 3 ends it
        firmware_in_safe_mode(flash)

    b, port = served(session_then_firmware)
    rc, _, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0, err
    records, traces = logs.read_folder(b.flash)
    assert f"ionto: history: {len(records)} new sessions, 1 new traces kept in " \
           f"{history.db_path()}" in err
    kept = rows("sessions")
    assert [json.loads(r[3]) for r in kept] == records
    assert kept[0][0] == "e661410403" + "2b5a2c"  # the board's machine.unique_id()
    assert rows("traces")[0][3] == (b.flash / "trace0.bin").read_bytes()
    rc, _, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    # Nothing new on the board: nothing said of the history (the clock's line alone),
    # nothing added.
    assert rc == 0 and err.count("\n") == 1 and err.startswith("ionto: board clock set"), err
    assert rows("sessions") == kept and len(rows("traces")) == 1
    assert os.path.exists(history.db_path())

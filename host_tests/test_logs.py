"""`ionto logs` reads what the firmware writes: the journal and the session
traces, written here by the firmware's own code (firmware/journal.py,
firmware/trace.py), then exported to CSV and one PNG per session."""

from __future__ import annotations

import csv

import pytest

import tools.sim.mpshim  # noqa: F401
from firmware import journal, states
from firmware.trace import Trace
from tools.ionto import cli, logs


def _session_trace(seconds: int) -> Trace:
    tr = Trace()
    plan = [(states.WAIT_CONTACT, 3, 0, 0), (states.RAMP_UP, 30, 7500, 25000),
            (states.TREAT, seconds, 15000, 49000), (states.RAMP_DOWN, 15, 7500, 24000)]
    for state, secs, i_ua, v_mv in plan:
        for _ in range(secs * 10):  # 100 ms ticks keep the test quick
            tr.add(i_ua, v_mv, state, 100000)
    return tr


def _flash(tmp_path, n_sessions=2):
    folder = tmp_path / "flash"
    folder.mkdir()
    for sid in range(1, n_sessions + 1):
        rec = {"v": 1, "id": sid, "start": None, "schedule": "none", "profile": 0,
               "set_ua": 15000, "on_s": 100 + sid, "end": "timer", "fault": "none"}
        journal.append(rec, str(folder) + "/")
        journal.save_trace(_session_trace(60 * sid), sid, str(folder) + "/")
    with open(folder / journal.FILE, "a") as f:
        f.write('{"v": 1, "id": 9, "on')  # torn by a power cut
    return folder


def test_traces_and_records_round_trip(tmp_path):
    records, traces = logs.read_folder(_flash(tmp_path))
    assert [r["id"] for r in records] == [1, 2]  # the torn line is skipped
    assert [t["id"] for t in traces] == [2, 1]  # trace0 is the newest
    tr = traces[0]
    assert tr["every_s"] == 1 and len(tr["samples"]) == 3 + 30 + 120 + 15
    assert logs.state_names(tr) == ["wait_contact", "ramp_up", "treat", "ramp_down"]
    treat = tr["samples"][40]
    assert (treat["i_ua"], treat["v_mv"], treat["load_ohm"]) == (15000, 49000, 3266)
    assert logs.state_at(tr["events"], treat["t_s"]) == states.TREAT


def test_the_set_point_steps_at_each_change_of_the_up_and_down_buttons():
    # The record times the changes in current-on seconds (firmware/session.py
    # adjust); the plot's set point steps at the trace second the on time
    # reaches them: the probe's wait and a contact-loss pause are not on time.
    events = [(0, states.WAIT_CONTACT), (3, states.RAMP_UP), (33, states.TREAT),
              (60, states.PAUSED), (90, states.RAMP_UP), (100, states.TREAT),
              (400, states.RAMP_DOWN)]
    rec = {"set_ua": 15000, "adjusts": [[10, 16000], [70, 14000], [300, 13000]]}
    assert logs.set_points(rec, events) == [(0.0, 15000), (13, 16000), (103, 14000),
                                            (333, 13000)]
    assert logs.set_points({"set_ua": 15000}, events) == [(0.0, 15000)]
    steps = logs.set_points(rec, events)
    assert [logs._set_at(steps, t) for t in (12, 13, 102, 200, 500)] == [
        15000, 16000, 16000, 14000, 13000]


def test_a_damaged_trace_is_refused_with_its_reason():
    with pytest.raises(logs.TraceError, match="IOT1"):
        logs.parse_trace(b"junk" * 4)
    good = bytes(journal.TRACE_MAGIC) + bytes((1, 0, 1, 2, 0, 0)) + bytes(4)
    assert len(logs.parse_trace(good)["samples"]) == 2
    with pytest.raises(logs.TraceError, match="header"):
        logs.parse_trace(good[:-1])


def test_ionto_logs_writes_the_csv_and_one_png_per_session(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["logs", "--from", str(_flash(tmp_path)), "--out", str(out)]) == 0
    with open(out / "journal.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ["1", "2"] and rows[1]["on_s"] == "102"
    for sid in (1, 2):
        png = out / f"session_{sid}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "2 sessions" in capsys.readouterr().out


def test_ionto_logs_says_what_is_missing(tmp_path, capsys):
    assert cli.main(["logs", "--from", str(tmp_path / "nowhere"), "--out",
                     str(tmp_path / "o")]) == 2
    assert "no such folder" in capsys.readouterr().err

"""`ionto`'s command line and plots (issue 15, item 5): checked numbers, --serve-only
options, the scenario list, --version, an empty journal, and the plots' legend, signed
current, labelled moments and the one way an open circuit's load is shown."""

from __future__ import annotations

import math
import os

import matplotlib
import pytest
import serial.tools.list_ports

from firmware import names
from firmware.version import VERSION
from tools.ionto import cli, link, logs, monitor, report
from tools.sim import scenarios

matplotlib.use("Agg")


def _refused(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as e:
        cli.main(list(argv))
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1, err
    return err


@pytest.mark.parametrize("argv, says", [
    (("simulate", "--minutes", "-5"), "argument --minutes: -5 must be above 0"),
    (("simulate", "--every", "0"), "argument --every: 0 must be above 0"),
    (("simulate", "--sample", "0"), "argument --sample: 0 must be above 0"),
    (("simulate", "--seed", "-1"), "argument --seed: -1 must be at least 0"),
    (("simulate", "--minutes", "ten"), "argument --minutes: 'ten' is not a number"),
    (("bench", "--sessions", "-3"), "argument --sessions: -3 must be at least 1"),
    (("monitor", "--every", "0"), "argument --every: 0 must be above 0"),
    (("monitor", "--count", "-1"), "argument --count: -1 must be at least 0"),
    (("calibrate", "--ohm", "-1000"), "argument --ohm: -1000 must be above 0"),
])
def test_numeric_options_are_checked_one_clear_error_exit_2(capsys, argv, says):
    assert says in _refused(capsys, *argv)


@pytest.mark.parametrize("extra", [("--fast",), ("--deploy",), ("--flash", "x"),
                                   ("--link", "x"), ("--bench-ohm", "1000")])
def test_serve_only_options_are_refused_without_serve(capsys, extra):
    assert "only with --serve" in _refused(capsys, "simulate", *extra)


def test_the_scenarios_are_listed_with_their_descriptions_and_matched_in_any_case(
        capsys, monkeypatch, tmp_path):
    with pytest.raises(SystemExit):
        cli.main(["simulate", "--help"])
    out = capsys.readouterr().out
    for name, entry in scenarios.SCENARIOS.items():
        first = " ".join(entry[0].split()[:3])
        assert f"\n  {name:<13}{first}" in out, name
    monkeypatch.chdir(tmp_path)  # the flash goes under build/ here
    assert cli.main(["simulate", "--scenario", "s13", "--every", "5"]) == 0
    assert "ionto simulate: S13 (USB power present)" in capsys.readouterr().out
    assert "unknown scenario nope; known: S1, " in _refused(capsys, "simulate", "--scenario",
                                                           "nope")


def test_version_is_the_firmwares(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out == f"ionto {VERSION}\n"


def test_logs_with_no_sessions_says_so(tmp_path, capsys):
    (tmp_path / "raw").mkdir()
    assert cli.main(["logs", "--from", str(tmp_path / "raw"), "--out",
                     str(tmp_path / "out")]) == 0
    assert "no sessions in the journal" in capsys.readouterr().out
    assert not (tmp_path / "out").exists()


def test_a_windows_com_port_is_found_by_the_device_list(monkeypatch):
    class Port:
        device, vid, pid = "COM3", 0x2E8A, 0x0005

    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: [Port()])
    assert not os.path.exists("COM3") and link.port_exists("COM3")
    assert link.find_port() == "COM3" and not link.port_exists("COM4")


# ---- plots and the open circuit ----

S = {n: k for k, n in enumerate(names.STATES)}


def _rows() -> list[dict]:
    # A session by the second: treat, a pause (hand lifted: no current), treat, a
    # reversal, treat limited by the rail, a short.
    plan = ([("ramp_up", 8000, 0)] + [("treat", 15000, 0)] * 5 + [("paused", 0, 0)] * 2
            + [("ramp_up", 8000, 0)] + [("treat", 15000, 0)] * 3 + [("reversing", 2000, 0)] * 2
            + [("ramp_up", 8000, 0)] + [("treat", 12000, 1)] * 4 + [("fault", 0, 0)] * 2)
    rows = []
    for k, (state, i_ua, limited) in enumerate(plan):
        rows.append({"t_s": 60.0 * k, "state": S[state], "i_ua": i_ua, "target_ua": i_ua,
                     "set_ua": 15000, "v_mv": i_ua * 3, "rail_mv": 58000,
                     "load_ohm": 3000 if i_ua >= 100 else 0, "reached_pct": 100,
                     "guard_pct": 100, "limited": limited,
                     "fault": names.FAULTS.index("short") if state == "fault" else 0})
    return rows


@pytest.fixture
def saved(monkeypatch):
    # The figures the plots save, kept for a look at what they hold.
    from matplotlib.figure import Figure

    figs = []
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: figs.append(self))
    return figs


def _texts(fig) -> list[str]:
    return [t.get_text().strip() for ax in fig.axes for t in ax.texts]


def test_the_load_of_an_open_circuit_is_shown_one_way():
    for ohm in (0, None, 10_000_000):  # the firmware's, monitor's and the model's open
        assert report.is_open(ohm) and report.load_text(ohm) == "open"
    assert report.load_text(3300) == " 3.30 kOhm"
    rows = _rows()
    paused = next(r for r in rows if r["state"] == S["paused"])
    assert " load open " in report.timeline([paused])[1]
    st = {"config": {"set_ua": 15000, "duration_ms": 600000}, "output_on": False,
          "i_ua": 0, "v_mv": 0, "rail_mv": 58000, "battery_mv": 7400, "usb": False,
          "trip": False, "button": False}
    assert " load open " in monitor.line(monitor.row(st, 1.0))
    st["down"] = True  # the optional down button, pressed
    assert monitor.line(monitor.row(st, 1.0)).endswith(" down")


def test_the_simulate_plot_has_a_state_legend_signed_current_and_labelled_moments(
        saved, tmp_path):
    rows = _rows()
    report.plot(rows, str(tmp_path / "p.png"), "test")
    (fig,) = saved
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["ramp_up", "treat", "paused", "reversing", "fault"]
    texts = _texts(fig)
    for label in ("pause", "reversal", "limited (SR-14)", "fault: short"):
        assert label in texts, texts
    current = fig.axes[0].lines[0].get_ydata()
    assert max(current) == 15 and min(current) == -12  # after the reversal: negative
    load = fig.axes[2].lines[0].get_ydata()
    assert math.isnan(load[6]) and load[1] == 3  # the pause: a gap, over "open"
    assert any("open" in t.get_text() for t in fig.axes[2].get_legend().get_texts())


def test_the_logs_plot_shows_the_same(saved, tmp_path):
    rows = _rows()
    events, last = [], None
    for r in rows:
        if r["state"] != last:
            events.append((int(r["t_s"]), r["state"]))
            last = r["state"]
    tr = {"id": 7, "every_s": 60, "events": events,
          "samples": [{"t_s": r["t_s"] + 60, "i_ua": r["i_ua"], "v_mv": r["v_mv"],
                       "load_ohm": r["load_ohm"]} for r in rows]}
    logs.plot_session(tr, {"id": 7, "set_ua": 15000}, tmp_path / "s.png")
    (fig,) = saved
    assert [t.get_text() for t in fig.legends[0].get_texts()][:3] == ["ramp_up", "treat",
                                                                     "paused"]
    texts = _texts(fig)
    assert "pause" in texts and "reversal" in texts and "fault" in texts, texts
    assert min(fig.axes[0].lines[0].get_ydata()) < 0
    assert any(math.isnan(x) for x in fig.axes[2].lines[0].get_ydata())

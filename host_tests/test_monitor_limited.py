"""`ionto monitor` says when the output is compliance-limited (SR-14, issue 14 D1): a status
that carries the app's `limited` and `reached_pct` (firmware/names.py STATUS) shows
"limited, N % of the set point"; a console status (the app stopped) shows the percent as
before."""

from __future__ import annotations

from tools.ionto import monitor


def _status(**extra) -> dict:
    st = {"output_on": True, "i_ua": 12450, "v_mv": 53500, "rail_mv": 56800,
          "battery_mv": 7800, "usb": False, "trip": False, "button": False,
          "config": {"set_ua": 15000, "duration_ms": 1200000}}
    st.update(extra)
    return st


def test_a_limited_status_shows_the_percent_of_the_set_point_it_reaches():
    # SR-14: the rail cannot push 15 mA through a 4 kOhm skin: about 83 %.
    r = monitor.row(_status(limited=1, reached_pct=83), 12.0)
    assert r["limited"] is True and r["reached_pct"] == 83
    assert "limited, 83 % of the set point" in monitor.line(r)
    assert set(r) == set(monitor.FIELDS)


def test_a_status_without_the_flag_shows_the_reading_over_the_set_point():
    # SR-14: console.status() at the REPL (the app stopped) has no `limited`.
    r = monitor.row(_status(), 1.0)
    assert r["limited"] is False and r["reached_pct"] == 83
    text = monitor.line(r)
    assert "limited" not in text and "   83 %" in text
    r = monitor.row(_status(limited=0, reached_pct=100, i_ua=15000), 1.0)
    assert "limited" not in monitor.line(r) and "  100 %" in monitor.line(r)


class _Link:
    # Statuses in turn, as console.status() gives them.
    def __init__(self, statuses: list[dict]):
        self.statuses = statuses

    def call(self, expr: str) -> dict:
        assert expr == "c.status()"
        return self.statuses.pop(0)


def test_the_medicated_tray_is_said_once_and_again_when_it_changes():
    # Issue 17 item 4: the board's reminder of the medicated tray (the + one),
    # as the start says it on the device, printed above the lines that follow.
    import io

    def st(reminder):
        return _status(config={"set_ua": 10000, "duration_ms": 720000, "reminder": reminder})

    a = "medication: the medicated water goes in tray (or pad) A, the + one; ..."
    b = "medication: the medicated water goes in tray (or pad) B, the + one; ..."
    out = io.StringIO()
    assert monitor.monitor(_Link([st(a), st(a), st(None), st(b)]), 0.0, 4, None, out) == 4
    lines = out.getvalue().splitlines()
    assert [x for x in lines if x.startswith("medication:")] == [a, b]
    assert lines[1] == a and lines[5] == b, lines

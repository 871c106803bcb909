"""Every connecting `ionto` command sets the board's clock from the host's UTC time
(issue 17, item 3; tools/ionto/board_clock.py), end to end on the served simulated
board (tools/sim/replboard.py), whose clock starts as the real boards' do: rp2
2021-01-01 at every power-up and hard reset, esp32 2000-01-01 at power-up.
"""

from __future__ import annotations

import calendar
import json
import re
import time

import pytest
import test_host_tools
from test_host_tools import firmware_in_safe_mode, ionto

from tools.check_device import compile_file
from tools.device_files import ROOT
from tools.ionto import board_clock, link

CLOCK = re.compile(r"ionto: board clock set to (\S+) \(it read (\S+)\)")
ISO = "%Y-%m-%dT%H:%M:%SZ"
served = test_host_tools.served  # its fixture: a served board on its own flash, its port


def seconds(iso: str) -> int:
    return calendar.timegm(time.strptime(iso, ISO))


def board_time(port: str) -> int:
    # The board's clock as the console reports it: through a plain Link, which
    # sets nothing (only the CLI's connect does).
    with link.Link(port, log=lambda m: None) as lk:
        return calendar.timegm(tuple(lk.call("c.status()")["clock"]) + (0, 0, 0))


def clock_line(err: str) -> tuple[int, str]:
    # The one line about the clock: (the time it was set to, what the board read before).
    lines = [x for x in err.splitlines() if "board clock" in x]
    assert len(lines) == 1, err
    m = CLOCK.fullmatch(lines[0])
    assert m, lines[0]
    return seconds(m[1]), m[2]


def test_a_connecting_command_sets_the_clock_to_the_hosts_utc_and_says_so_once(
        served, capsys):
    b, port = served(firmware_in_safe_mode)
    assert abs(board_time(port) - time.time()) > 86400  # the power-up's 2021: not the host's
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0, err
    set_to, was = clock_line(err)
    assert abs(set_to - time.time()) <= 2 and was.startswith("2021-01-01T00:00:")
    assert "board clock" not in out and len(out.splitlines()) == 2  # stdout: the data alone
    assert abs(board_time(port) - time.time()) <= 2
    assert b.resets == []


# The app of main.py at the REPL, as the soft reset after `ionto deploy` starts it
# (a soft reset keeps the clock; the served board's new interpreter could not be
# given these button presses): hold 2.5 s to start, hold again at 20 s to stop,
# the run ends at 60 s (SimStop, from the simulator's clock).
SESSION = """
import machine
hw = machine.hw
clock = hw.clock
def at(s, down):
    clock.at(clock.us + int(s * 1000000), lambda c: setattr(hw, 'button_down', down))
at(1, True); at(3.5, False); at(20, True); at(22.5, False)
clock.end_us = clock.us + 60000000
exec(open('main.py').read(), {'__name__': '__main__'})
"""


def run_session(port: str) -> None:
    with link.Link(port, log=lambda m: None) as lk:
        with pytest.raises(link.DeviceError, match="SimStop"):
            lk.exec(SESSION, timeout=60)


def test_a_session_after_a_connect_has_a_dated_journal_record(served, capsys):
    b, port = served(firmware_in_safe_mode, paced=False)
    rc, _, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0, err
    set_to, _ = clock_line(err)
    run_session(port)
    (rec,) = [json.loads(x) for x in (b.flash / "journal.jsonl").read_text().splitlines()]
    assert rec["end"] == "user" and 0 <= seconds(rec["start"]) - set_to <= 30, rec

    # Control: the same session on a board nobody set the clock of has no start.
    b, port = served(firmware_in_safe_mode, paced=False)
    run_session(port)
    (rec,) = [json.loads(x) for x in (b.flash / "journal.jsonl").read_text().splitlines()]
    assert rec["end"] == "user" and rec["start"] is None, rec


def test_deploy_sets_a_fresh_boards_clock_after_the_copy_and_the_soft_reset_keeps_it(
        served, capsys):
    b, port = served()  # no firmware: no console to set the clock with at connect
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 2 and err == (f"ionto: the board on {port} has no ionto firmware (no "
                               "firmware/console): run `ionto deploy`\n")  # no clock line
    rc, out, err = ionto(capsys, "deploy", "--port", port)
    assert rc == 0, err
    set_to, was = clock_line(err)
    assert abs(set_to - time.time()) <= 2 and was.startswith("2021-01-01T")
    assert b.resets == ["soft"]  # the app's boot, with the clock set before it:
    assert abs(b.state["epoch_s"] + b.state["us"] // 10**6 + 946684800 - time.time()) <= 3
    # Stopping the app takes its watchdog's reset, which sets an RP2040's clock to
    # 2021 again; the connect sets it anew.
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0 and "the app was running" in err, err
    set_to, was = clock_line(err)
    assert abs(set_to - time.time()) <= 2 and was.startswith("2021-01-01T00:00:")


def test_an_esp32_keeps_the_clock_through_deploys_soft_reset_and_the_watchdog(
        served, capsys):
    b, port = served(board="esp32_devkitc")
    rc, out, err = ionto(capsys, "deploy", "--port", port)
    assert rc == 0, err
    _, was = clock_line(err)
    assert was.startswith("2000-01-01T")  # MicroPython's epoch after a power-up
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0 and "the app was running" in err, err
    set_to, was = clock_line(err)
    assert abs(seconds(was) - time.time()) <= 3 and abs(set_to - time.time()) <= 2


def firmware_without_clock_set(flash):
    # Older firmware: a console without clock_set (compiled as deploy compiles it).
    firmware_in_safe_mode(flash)
    src = (ROOT / "firmware" / "console.py").read_text()
    assert src.count("def clock_set(") == 1
    old = flash.parent / "old_source"  # beside the board's flash, not on it
    (old / "firmware").mkdir(parents=True)
    (old / "firmware" / "console.py").write_text(
        src.replace("def clock_set(", "def _clock_set_not_yet("))
    assert compile_file("firmware/console.py", None, flash / "firmware" / "console.mpy",
                        old) is None


def test_a_board_whose_clock_set_raises_says_so_in_one_line_and_the_command_goes_on(
        served, capsys):
    b, port = served(firmware_without_clock_set)
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0 and len(out.splitlines()) == 2, err
    (line,) = err.splitlines()
    assert line.startswith("ionto: board clock not set (AttributeError: ") and "SR-22" in line


class FakeLink:
    """A board's answers to the clock's one call, and the call it got."""

    def __init__(self, fail: str | None = None):
        self.fail = fail
        self.expr = ""
        self.clock_said = False

    def call(self, expr):
        self.expr = expr
        if self.fail:
            raise link.DeviceError(self.fail)
        return [[2021, 1, 1, 0, 0, 7], [2026, 12, 6, 12, 34, 57]]


def test_the_host_time_is_read_once_and_rounded_to_the_second(capsys):
    lk = FakeLink()
    t = calendar.timegm((2026, 12, 6, 12, 34, 56, 0, 0, 0))
    assert board_clock.set_clock(lk, now=t + 0.6)  # type: ignore[arg-type]
    assert lk.expr.endswith("c.clock_set(2026, 12, 6, 12, 34, 57)]") and lk.clock_said
    assert capsys.readouterr().err == ("ionto: board clock set to 2026-12-06T12:34:57Z "
                                       "(it read 2021-01-01T00:00:07Z)\n")
    board_clock.set_clock(lk, now=t + 0.4)  # type: ignore[arg-type]
    assert lk.expr.endswith("c.clock_set(2026, 12, 6, 12, 34, 56)]")
    capsys.readouterr()
    lk = FakeLink(fail="year must be an integer 2024..2099")  # a host clock far off
    assert not board_clock.set_clock(lk, now=0.0)  # type: ignore[arg-type]
    assert capsys.readouterr().err.startswith(
        "ionto: board clock not set (year must be an integer 2024..2099): ")

"""ionto deploy, monitor and logs end to end: the real mpremote transport
(tools/ionto/link.py) against the simulated board on a pseudo-terminal
(tools/sim/replboard.py), whose firmware runs in the MicroPython unix port.

The board is reached through a stable symlink (ReplBoard link=): on rp2 a
watchdog reset moves the port, as USB re-enumeration does on the real Pico.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import serial
import serial.tools.list_ports
from doc_tables import table, text
from test_replboard import read_until, wait_for

from firmware import profiles
from firmware.version import VERSION
from tools import firmware_build
from tools.device_files import device_files
from tools.ionto import cli, deploy, link, logs
from tools.sim import scenarios
from tools.sim.replboard import ReplBoard, write_firmware
from tools.sim.simboard import SimBoard

BIN = Path(sys.executable).parent


@pytest.fixture
def served(tmp_path):
    """served(setup=None, board="pico", paced=True) -> (board, port): a board on its
    own flash folder; setup(flash) prepares the flash before power-on; paced False:
    virtual time as fast as it runs."""
    boards = []

    def make(setup=None, board="pico", paced=True):
        flash = tmp_path / f"flash{len(boards)}"
        flash.mkdir()
        if setup is not None:
            setup(flash)
        port = tmp_path / f"port{len(boards)}"
        b = ReplBoard(flash, board, paced=paced, link=port)
        boards.append(b)
        b.start()
        return b, str(port)

    yield make
    for b in boards:
        interp = b.interp
        b.stop()
        assert interp is None or interp.proc.poll() is not None


def firmware_in_safe_mode(flash):
    # The deployed firmware, with console.once: the first boot stays at the REPL.
    write_firmware(flash)
    (flash / "console.once").write_text("test\n")


def ionto(capsys, *args):
    rc = cli.main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def app_running(b):
    return b.job is not None and not b.boot_steps  # main.py runs, past boot.py


def _served_arch() -> str:
    # The served board is the unix port: the native code it loads is this
    # machine's (sys.implementation._mpy), which deploy asks for.
    from tools.check_device import arch_of
    from tools.sim.replboard import micropython_path

    mpy = subprocess.run([micropython_path(), "-c", "import sys; print(sys.implementation._mpy)"],
                         capture_output=True, text=True, check=True).stdout
    arch = arch_of(int(mpy))
    assert arch is not None
    return arch


class _Board:
    """A link that answers platform() as a board would."""

    def __init__(self, port: str, mpy: int | None):
        self.answer = (port, mpy)

    def platform(self) -> tuple[str, int | None]:
        return self.answer


def test_deploy_compiles_for_the_native_code_the_board_loads():
    # sys.implementation._mpy: version 6.3 (as mpy-cross makes) and the arch in bits 10-13.
    major, minor = deploy.mpy_version()
    v = major | minor << 8
    assert deploy.check_board(_Board("rp2", v | 4 << 10)) == "armv6m"  # a Pico
    assert deploy.check_board(_Board("esp32", v | 10 << 10)) == "xtensawin"  # an ESP32
    assert deploy.check_board(_Board("rp2", None)) == "armv6m"  # no _mpy: by its port
    assert deploy.check_board(_Board("rp2", v | 2 << 10)) == "x64"  # the served board
    with pytest.raises(link.LinkError):
        deploy.check_board(_Board("linux", v | 2 << 10))  # not a port ionto runs on


def test_deploy_copies_only_what_changed_verified_and_the_board_boots_the_app(served, capsys):
    b, port = served()  # no firmware: straight to the REPL
    arch = _served_arch()
    built = firmware_build.build(arch)
    rc, out, err = ionto(capsys, "deploy", "--port", port)
    assert rc == 0, err
    assert f"{len(device_files())} device files for {arch}, {len(built)} to copy" in out
    assert out.count("  copied ") == len(built)
    for path, data in built:
        assert (b.flash / path).read_bytes() == data, path
    assert {p for p, _ in built} >= {"boot.py", "main.py", "firmware/app.mpy"}
    assert not list(b.flash.glob("firmware/*.py")) and not list(b.flash.glob("*.tmp"))
    assert "soft reset: ionto: ready on pico" in out  # no board.txt: sys.platform chose it
    wait_for(lambda: app_running(b), timeout=10)

    # Again: the running app is stopped and its watchdog resets the board once
    # into the REPL (console.once); nothing to copy; the app runs again after.
    rc, out, err = ionto(capsys, "deploy", "--port", port)
    assert rc == 0, err
    assert "the app was running" in err and "back at the REPL" in err
    assert ", 0 to copy" in out and "  copied " not in out
    assert b.resets == ["soft", "wdt", "soft"]
    assert not (b.flash / "console.once").exists()
    wait_for(lambda: app_running(b), timeout=10)

    # One file differs on the board and a stale .py twin shadows a module.
    (b.flash / "firmware" / "limits.mpy").write_bytes(b"M\x06garbage")
    (b.flash / "firmware" / "ui.py").write_text("raise ImportError('stale')\n")
    rc, out, err = ionto(capsys, "deploy", "--port", port)
    assert rc == 0, err
    assert [x.split()[1] for x in out.splitlines() if x.startswith("  copied ")] == [
        "firmware/limits.mpy"]
    assert "(firmware that does not load (incompatible .mpy file) on the board" in out
    assert "1 stale .py removed (firmware/ui.py)" in out
    assert not (b.flash / "firmware" / "ui.py").exists()
    assert (b.flash / "firmware" / "limits.mpy").read_bytes() == dict(built)[
        "firmware/limits.mpy"]
    assert "soft reset: ionto: ready on pico" in out


def _journal(b) -> list[dict]:
    path = b.flash / "journal.jsonl"
    try:
        return [json.loads(x) for x in path.read_text().splitlines()]
    except (OSError, ValueError):  # none yet, or a line being appended
        return []


def test_the_tools_resets_are_planned_and_a_watchdog_reset_they_did_not_cause_is_not(
        served, capsys):
    # SR-4: the link marks the resets it causes (reset.planned, written when it
    # stops the app and before its soft reset); the next boot consumes the mark.
    # On rp2 reset_cause() reads WDT through the soft resets after a watchdog
    # reset: unmarked, deploy's soft reset booted the app with fault 7 and a
    # false `reset` record.
    b, port = served(write_firmware)  # the app runs from power-on, its watchdog too
    wait_for(lambda: app_running(b), timeout=10)
    rc, out, err = ionto(capsys, "deploy", "--port", port)
    assert rc == 0, err
    assert "the app was running" in err and b.resets == ["wdt", "soft"]
    assert "soft reset: ionto: ready on pico" in out  # no fault 7
    wait_for(lambda: app_running(b), timeout=10)
    assert _journal(b) == [] and not (b.flash / "reset.planned").exists()  # consumed

    # monitor stops the app (the console.once boot, which leaves the mark); a
    # person's Ctrl-D there (a soft reset: still WDT) boots the app, no fault.
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0 and "the app was running" in err, err
    assert (b.flash / "reset.planned").exists()
    with serial.Serial(port, timeout=0.1) as s:
        s.write(b"\x04")
        read_until(s, b"ionto: ready on pico\r\n", timeout=10)
        wait_for(lambda: app_running(b), timeout=10)
        assert _journal(b) == [] and not (b.flash / "reset.planned").exists()
        time.sleep(0.3)  # the loop runs: its watchdog too

        # Control: the person's Ctrl-C in a terminal (no tool, no mark): the
        # watchdog's reset is an unplanned restart, journaled and latched.
        s.write(b"\x03")
        read_until(s, b">>> ")
    wait_for(lambda: len(b.resets) == 5 and app_running(b) and _journal(b), timeout=10)
    assert b.resets == ["wdt", "soft", "wdt", "soft", "wdt"]
    (rec,) = _journal(b)
    assert (rec["end"], rec["reset"], rec["fault"]) == ("reset", "watchdog", "reset"), rec


def test_an_esp32_keeps_its_port_through_the_reset(served, capsys):
    # A USB-UART board: the watchdog reset does not take the port away; the
    # link sees the new boot's safe-mode line on the same port. (A real
    # ESP32 gets xtensawin: test_deploy_compiles_for_the_native_code_the_board_loads.)
    b, port = served(board="esp32_devkitc")
    rc, out, err = ionto(capsys, "deploy", "--port", port)
    assert rc == 0, err
    assert f" device files for {_served_arch()}, " in out
    assert "soft reset: ionto: ready on esp32_devkitc" in out
    wait_for(lambda: app_running(b), timeout=10)
    path = os.path.realpath(port)
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 0, err
    assert "the app was running" in err and len(out.splitlines()) == 2
    assert b.resets == ["soft", "wdt"] and os.path.realpath(port) == path


def test_monitor_stops_a_running_app_through_console_once_then_prints_n_lines_and_csv(
        served, capsys, tmp_path):
    b, port = served(write_firmware)  # the app runs from power-on, its watchdog too
    wait_for(lambda: app_running(b), timeout=10)
    rows_csv = tmp_path / "status.csv"
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "3", "--every", "0.2",
                         "--csv", str(rows_csv))
    assert rc == 0, err
    assert b.resets == ["wdt"]  # Ctrl-C, console.once, the watchdog reset
    assert "the app was running" in err and "back at the REPL (safe mode" in err
    lines = out.splitlines()
    assert len(lines) == 4 and lines[0].split()[:2] == ["time", "state"]
    set_ua, duration_ms = profiles.DEFAULTS[0][1], profiles.DEFAULTS[0][2]
    for line in lines[1:]:
        assert f" console      set {set_ua / 1000:6.2f} mA" in line
        assert f"{duration_ms // 60000:3d}:00" in line
    with open(rows_csv) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3
    assert {r["set_ua"] for r in rows} == {str(set_ua)}
    assert [float(r["t_s"]) for r in rows] == sorted(float(r["t_s"]) for r in rows)
    assert all(int(r["i_ua"]) < 100 for r in rows)  # output off at the REPL (SR-9)

    # Now at the REPL in safe mode: used directly, no reset; stderr has the clock alone.
    rc, out, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert (rc, len(err.splitlines()), len(out.splitlines())) == (0, 1, 2), err
    assert err.startswith("ionto: board clock set to ")
    assert b.resets == ["wdt"]


def test_no_firmware_then_version_mismatch_then_a_refused_call(served, capsys):
    b, port = served()
    rc, _, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 2
    assert err == (f"ionto: the board on {port} has no ionto firmware (no firmware/console): "
                   "run `ionto deploy`\n")
    firmware_in_safe_mode(b.flash)  # the files appear on the board's flash
    (b.flash / "firmware" / "version.py").write_text('VERSION = "0.0.1"\n')
    rc, _, err = ionto(capsys, "monitor", "--port", port, "--count", "1")
    assert rc == 2
    clock, mismatch = err.splitlines()  # its console sets the clock all the same
    assert clock.startswith("ionto: board clock set to ")
    assert mismatch == (f"ionto: version mismatch: the board runs ionto firmware 0.0.1, these "
                        f"tools are {VERSION}: run `ionto deploy` to update the board")
    with link.Link(port) as lk:
        with pytest.raises(link.DeviceError, match=r"^n must be an integer 1\.\.200$"):
            lk.call("c.journal(0)")  # the console's ValueError, its message
        assert lk.call("c.profile()")["set_ua"] == profiles.DEFAULTS[0][1]  # still usable


def test_missing_busy_and_silent_ports_are_one_line_errors(tmp_path, capsys):
    # Through the installed `ionto` script: exit code 2, one line, no traceback.
    gone = str(tmp_path / "ttyACM9")
    r = subprocess.run([str(BIN / "ionto"), "deploy", "--port", gone],
                       capture_output=True, text=True, timeout=30)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (f"ionto: no such port {gone}: is the board plugged in? "
                        "(`mpremote connect list` lists the ports)\n")
    master, slave = os.openpty()  # a serial port where nothing answers
    try:
        path = os.ttyname(slave)
        t0 = time.monotonic()
        r = subprocess.run([str(BIN / "ionto"), "--port", path, "monitor"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 2 and time.monotonic() - t0 < 15
        assert r.stderr == (f"ionto: no MicroPython REPL answered on {path}: is it the board's "
                            "port, with MicroPython on the board (docs/deploy.md)?\n")
        with serial.Serial(path, exclusive=True):  # another program holds it
            rc, _, err = ionto(capsys, "logs", "--port", path, "--out", str(tmp_path / "o"))
        assert rc == 2
        assert err.startswith(f"ionto: port {path} is busy: another program has it open")
        assert err.count("\n") == 1
    finally:
        os.close(master)
        os.close(slave)


class FakePort:
    def __init__(self, device, vid=0x2E8A, pid=0x0005):
        self.device, self.vid, self.pid = device, vid, pid

    def __lt__(self, other):
        return self.device < other.device


def test_the_port_is_found_in_mpremotes_device_list_or_asked_for(monkeypatch, capsys):
    ports: list[FakePort] = []
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: list(ports))
    rc, _, err = ionto(capsys, "deploy")
    assert (rc, err) == (2, "ionto: no board found on USB (`mpremote connect list` lists "
                         "none): plug it in, or name its port with --port\n")
    ports += [FakePort("/dev/ttyS0", None, None), FakePort("/dev/ttyACM1")]
    assert link.find_port() == "/dev/ttyACM1"  # no USB ids: not a board (as mpremote)
    ports.append(FakePort("/dev/ttyACM0"))
    rc, _, err = ionto(capsys, "monitor")
    assert (rc, err) == (2, "ionto: 2 USB serial ports found (/dev/ttyACM0, /dev/ttyACM1): "
                         "name the board's with --port\n")


def test_logs_fetches_a_simulated_sessions_journal_and_trace_and_exports_them(
        served, capsys, tmp_path):
    def session_then_firmware(flash):
        sim = SimBoard("pico", seed=1, flash_dir=str(flash))
        sim.run(scenarios.prepare(sim, "S7"))  # a short at minute 3 ends it
        firmware_in_safe_mode(flash)

    b, port = served(session_then_firmware)
    out = tmp_path / "logs"
    (out / "raw").mkdir(parents=True)
    (out / "raw" / "trace3.bin").write_bytes(b"an earlier fetch")
    rc, text, err = ionto(capsys, "logs", "--port", port, "--out", str(out))
    assert rc == 0, err
    present = [n for n in logs.JOURNAL_FILES + logs.TRACE_FILES if (b.flash / n).exists()]
    assert present == ["journal.jsonl", "trace0.bin"]
    assert sorted(p.name for p in (out / "raw").iterdir()) == present  # trace3 was not fetched
    for name in present:
        assert (out / "raw" / name).read_bytes() == (b.flash / name).read_bytes()
    records, traces = logs.read_folder(b.flash)
    with open(out / "journal.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [str(r["id"]) for r in records] and rows
    assert rows[-1]["end"] == records[-1]["end"]
    png = out / f"session_{traces[0]['id']}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"fetched journal.jsonl, trace0.bin into {out / 'raw'}" in text


def test_every_message_in_the_docs_table_is_one_the_tools_print():
    # docs/deploy.md lists the one-line errors by their words: each is in the code.
    code = "".join((Path(link.__file__).parent / f).read_text() for f in ("link.py", "deploy.py"))
    rows = table(text("docs/deploy.md"), "| the message says |")
    for said, _ in rows:
        for quoted in re.findall(r"`([^`]+)`", said):
            for part in quoted.split(" ... "):
                assert re.sub(r"^\d+ ", "", part) in code, f"no such message: {part!r}"
    assert len(rows) >= 9

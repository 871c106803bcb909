"""The simulated serial board (tools/sim/replboard.py) end to end with the real mpremote CLI.

Each test starts a board on a pseudo-terminal, its firmware in the MicroPython
unix port on the fake machine, and talks to it as a host tool talks to a real
board: `mpremote connect /dev/pts/N ...`, or byte for byte with pyserial where
the exact REPL protocol (shared/runtime/pyexec.c) is the point.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import serial

from tools.device_files import ROOT
from tools.sim.replboard import ReplBoard, write_firmware
from tools.sim.simboard import load_board

BIN = Path(sys.executable).parent
OUTPUTS = ("pin_enable", "pin_set", "pin_relay", "pin_trip_reset", "pin_buzzer", "pin_led")


@pytest.fixture
def make_board(tmp_path):
    boards = []

    def make(files=None, firmware=False):
        flash = tmp_path / f"flash{len(boards)}"
        flash.mkdir()
        if firmware:
            write_firmware(flash)
        for name, text in (files or {}).items():
            (flash / name).write_text(text)
        b = ReplBoard(flash)
        boards.append(b)
        b.start()
        return b

    yield make
    for b in boards:
        interp = b.interp
        b.stop()
        assert interp is None or interp.proc.poll() is not None  # no interpreter left behind


def mpremote(board, *args, timeout=20):
    return subprocess.run([str(BIN / "mpremote"), "connect", board.path, *args],
                          capture_output=True, text=True, timeout=timeout)


# The waits below return as soon as their condition holds; their limits are
# generous because the served board boots the firmware in an interpreter of
# its own, slower on a loaded machine (a 5 s limit failed once beside another
# test run).
WAIT_S = 20.0


def read_until(port, ending, timeout=WAIT_S):
    data = b""
    end = time.monotonic() + timeout
    while not data.endswith(ending) and time.monotonic() < end:
        data += port.read(1)
    assert data.endswith(ending), data
    return data


def read_until_quiet(port, quiet=0.3):
    # Everything until the board has said nothing for `quiet` seconds.
    data = b""
    last = time.monotonic()
    while time.monotonic() - last < quiet:
        b = port.read(100)
        if b:
            data += b
            last = time.monotonic()
    return data


def wait_for(cond, timeout=WAIT_S):
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def test_exec_prints_through_the_raw_repl(make_board):
    b = make_board()
    r = mpremote(b, "exec", "print(1+1)")
    assert (r.returncode, r.stdout, r.stderr) == (0, "2\n", "")
    assert b.resets == ["soft"]  # mpremote's automatic soft reset on entering the raw REPL


def test_fs_commands_work_on_the_flash_folder(make_board, tmp_path):
    b = make_board()
    src = tmp_path / "hello.py"
    src.write_bytes(b"print('hello')\n" * 40)  # 600 bytes: more than one 256-byte chunk
    assert mpremote(b, "fs", "cp", str(src), ":hello.py").returncode == 0
    assert (b.flash / "hello.py").read_bytes() == src.read_bytes()
    assert mpremote(b, "fs", "mkdir", ":lib").returncode == 0
    assert (b.flash / "lib").is_dir()
    ls = mpremote(b, "fs", "ls", ":/").stdout.split("\n")
    assert "         600 hello.py" in ls and "           0 lib/" in ls  # sizes as littlefs
    assert mpremote(b, "fs", "cat", ":hello.py").stdout == src.read_text()
    back = tmp_path / "back.py"
    assert mpremote(b, "fs", "cp", ":hello.py", str(back)).returncode == 0
    assert back.read_bytes() == src.read_bytes()
    assert mpremote(b, "fs", "rm", ":hello.py").returncode == 0
    assert not (b.flash / "hello.py").exists()
    # "/" is the flash, as on the board: nothing outside it is reachable by path.
    r = mpremote(b, "exec", "import os; print(os.getcwd(), os.listdir('/'))")
    assert r.stdout == "/ ['lib']\n"


def test_soft_reset_clears_the_globals_and_resume_keeps_them(make_board):
    b = make_board({"boot.py": "booted = True\n"})
    assert mpremote(b, "exec", "x = 5").returncode == 0
    r = mpremote(b, "resume", "exec", "print(x, booted)")
    assert (r.returncode, r.stdout) == (0, "5 True\n")
    assert mpremote(b, "soft-reset").returncode == 0
    r = mpremote(b, "resume", "exec", "print(booted); print(x)")
    assert r.returncode == 1
    assert r.stdout.startswith("True\nTraceback (most recent call last):\n")  # boot.py ran again
    assert "NameError: name 'x' isn't defined" in r.stdout
    assert b.resets == ["soft", "soft"]  # the first exec's, soft-reset's; none for resume


def test_an_exception_shows_the_boards_traceback_and_fails_the_command(make_board):
    b = make_board()
    r = mpremote(b, "exec", "def f():\n    raise ValueError('bad')\nprint('before')\nf()")
    assert r.returncode == 1
    assert r.stdout == ("before\nTraceback (most recent call last):\n"
                        '  File "<stdin>", line 4, in <module>\n'
                        '  File "<stdin>", line 2, in f\n'
                        "ValueError: bad\n")  # no frame of the simulator itself


def test_the_raw_repl_byte_for_byte(make_board):
    b = make_board()
    with serial.Serial(b.path, timeout=0.1) as port:
        port.write(b"\r\x03\r\x01")
        read_until(port, b"raw REPL; CTRL-B to exit\r\n>")
        port.write(b"print('out')\x04")
        assert read_until(port, b">") == b"OKout\r\n\x04\x04>"
        port.write(b"1/0\x04")
        assert read_until(port, b"\x04>") == (b"OK\x04Traceback (most recent call last):\r\n"
                                          b'  File "<stdin>", line 1, in <module>\r\n'
                                          b"ZeroDivisionError: divide by zero\r\n\x04>")
        port.write(b"def (\x04")
        assert read_until(port, b"\x04>") == (b"OK\x04Traceback (most recent call last):\r\n"
                                          b'  File "<stdin>", line 1\r\n'
                                          b"SyntaxError: invalid syntax\r\n\x04>")
        port.write(b"while True: pass\x04")
        assert read_until(port, b"OK") == b"OK"
        time.sleep(0.1)
        port.write(b"\x03")  # Ctrl-C: KeyboardInterrupt in the running code
        assert read_until(port, b"\x04>") == (b"\x04Traceback (most recent call last):\r\n"
                                          b'  File "<stdin>", line 1, in <module>\r\n'
                                          b"KeyboardInterrupt: \r\n\x04>")
        port.write(b"\x05B\x01")  # an unknown raw-paste command
        assert read_until(port, b">") == b"R\x00>"
        port.write(b"\x04")  # an empty block: soft reset, staying in the raw REPL
        assert read_until(port, b">") == b"OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>"
        port.write(b"\x02")
        assert read_until(port, b">>> ").startswith(b"\r\nMicroPython v1.29.0 on ")


def test_the_friendly_repl_echoes_continues_and_interrupts(make_board):
    b = make_board()  # no firmware: the board boots straight to the REPL
    with serial.Serial(b.path, timeout=0.1) as port:
        port.write(b"\x02")  # after the boot's banner (maybe read, maybe not), one more
        assert read_until_quiet(port).endswith(b'Type "help()" for more information.\r\n>>> ')
        port.write(b"1+1\r")
        assert read_until(port, b">>> ") == b"1+1\r\n2\r\n>>> "
        port.write(b"for i in range(2):\r")
        assert read_until(port, b"...     ") == b"for i in range(2):\r\n...     "  # auto-indent
        port.write(b"print(i)\r\b\b\b\b\r")  # a backspace takes the whole indent back
        assert read_until(port, b">>> ") == (b"print(i)\r\n...     \b\b\b\b\x1b[K\r\n"
                                             b"0\r\n1\r\n>>> ")
        port.write(b"import time\rwhile True: time.sleep_ms(5)\r\r")
        read_until(port, b"... \r\n")
        time.sleep(0.1)
        port.write(b"\x03")
        assert read_until(port, b">>> ").endswith(b"KeyboardInterrupt: \r\n>>> ")
        port.write(b"\x04")  # soft reset from the friendly REPL
        assert read_until(port, b">>> ").startswith(b"\r\nMPY: soft reboot\r\nMicroPython v")


def test_mpremote_sends_long_code_by_raw_paste(make_board, tmp_path):
    b = make_board()
    script = tmp_path / "long.py"
    lines = [f"v{k} = {k} * 3" for k in range(400)]  # about 5 KB: dozens of 128-byte windows
    script.write_text("\n".join(lines) + "\nprint(v399 + v1)\n")
    r = mpremote(b, "run", str(script))
    assert (r.returncode, r.stdout) == (0, "1200\n")
    assert b.raw_pastes == 1


def test_a_second_mpremote_interrupts_a_loop_left_running(make_board):
    b = make_board()
    loop = "import time\nn = 0\nwhile True:\n    n += 1\n    time.sleep_ms(2)\n"
    r = mpremote(b, "exec", "--no-follow", loop)
    assert r.returncode == 0
    time.sleep(0.3)
    assert b.job is not None  # still running after mpremote left
    r1 = mpremote(b, "resume", "exec", "print(n)")  # its Ctrl-C stops the loop first
    r2 = mpremote(b, "resume", "exec", "print(n)")
    assert r1.returncode == 0 and int(r1.stdout) > 10
    assert r2.stdout == r1.stdout  # stopped for good


def test_mpremote_interrupts_main_py_and_main_py_reruns_only_from_the_friendly_repl(make_board):
    main = "import time\nn = 0\nprint('main running')\nwhile True:\n    n += 1\n" \
           "    time.sleep_ms(2)\n"
    b = make_board({"boot.py": "print('boot')\n", "main.py": main})
    time.sleep(0.3)
    assert b.job is not None and b.resets == []  # main.py running since power-on
    r = mpremote(b, "resume", "exec", "print(n > 10, __file__)")
    assert (r.returncode, r.stdout) == (0, "True main.py\n")  # main.py's own globals
    r = mpremote(b, "exec", "print('n' in globals())")
    assert r.stdout == "False\n"  # the soft reset from the raw REPL ran boot.py only
    assert b.job is None
    with serial.Serial(b.path, timeout=0.1) as port:
        port.write(b"\x04")  # friendly REPL Ctrl-D: boot.py and main.py
        read_until(port, b"\r\nMPY: soft reboot\r\nboot\r\nmain running\r\n")
    assert b.job is not None


def test_the_firmware_leaves_outputs_low_on_ctrl_c_and_the_rp2_watchdog_then_resets(
        make_board):
    # SR-1 through the whole path: mpremote's Ctrl-C ends main.py, whose finally
    # drives every output low. The rp2 watchdog (1000 ms, started by app.run)
    # cannot be stopped: idle at the REPL, the board resets (platform.md).
    b = make_board(firmware=True)
    with serial.Serial(b.path, timeout=0.1) as port:
        port.write(b"\r\x02")
        read_until(port, b"ionto: ready on pico\r\n")
        time.sleep(0.2)
        t0 = time.monotonic()
        port.write(b"\x03")
        out = read_until(port, b">>> ")
        assert b"KeyboardInterrupt: \r\n" in out
        desc = load_board("pico", str(ROOT))
        for key in OUTPUTS:  # the hardware state the interpreter reported at its end
            pin = str(desc[key])
            assert b.state["mode"][pin] == "out" and b.state["level"][pin] == 0, key
        assert b.state["wdt_left_us"] is not None
        wait_for(lambda: b.resets == ["wdt"], timeout=3)
        assert 0.8 < time.monotonic() - t0 < 1.6
    wait_for(lambda: b.job is not None and not b.boot_steps)  # main.py runs again
    with serial.Serial(b.path, timeout=0.1) as port:  # the new port: the firmware runs again
        port.write(b"\x03")
        assert read_until(port, b">>> ").endswith(b"KeyboardInterrupt: \r\n" + b.banner() + b">>> ")
        port.write(b"import machine; machine.reset_cause() == machine.WDT_RESET\r")
        assert read_until(port, b"\r\n>>> ").endswith(b"\r\nTrue\r\n>>> ")


def test_ionto_simulate_serve_prints_the_port_and_stops_on_ctrl_c(tmp_path):
    flash = tmp_path / "flash"
    p = subprocess.Popen([str(BIN / "ionto"), "simulate", "--serve", "--flash", str(flash)],
                         stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None
        line = ""
        while " serving its REPL on " not in line:
            line = p.stdout.readline()
            assert line, "ionto ended"
        path = line.split(" serving its REPL on ")[1].split(",")[0]
        r = subprocess.run([str(BIN / "mpremote"), "connect", path, "exec", "print(6*7)"],
                           capture_output=True, text=True, timeout=20)
        assert r.stdout == "42\n"
        p.send_signal(signal.SIGINT)
        assert p.wait(10) == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert not [d for d in os.listdir("/proc") if d.isdigit() and _is_agent_of(d, flash)]


def _is_agent_of(pid, flash):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            args = f.read().split(b"\0")
    except OSError:
        return False
    return any(a.endswith(b"repl_agent.py") for a in args) and str(flash).encode() in args

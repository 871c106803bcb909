"""The simulated board on a serial port: a pseudo-terminal that speaks MicroPython's REPL.

The device code runs in the MicroPython unix port on the fake machine
(tools/sim/repl_agent.py, one process per boot); this CPython side plays the
port's REPL byte for byte as ports/rp2 with shared/runtime/pyexec.c does, so the
real `mpremote connect /dev/pts/N ...` (or any serial tool) can talk to it:

- friendly REPL: banner, ">>> " / "... " with echo and auto-indent, Ctrl-A raw
  REPL, Ctrl-B banner, Ctrl-C cancel, Ctrl-D soft reset, Ctrl-E paste mode;
- raw REPL: "raw REPL; CTRL-B to exit\\r\\n>", code + Ctrl-D -> "OK", stdout,
  0x04, traceback, 0x04, ">"; empty Ctrl-D = soft reset; raw paste ("\\x05A\\x01"
  -> "R\\x01", a 128-byte window, 0x01 per window consumed);
- Ctrl-C while code runs (main.py or a REPL command) = KeyboardInterrupt at
  its next fake-time or machine call (repl_agent.py); other bytes wait in the
  receive buffer for the REPL;
- soft reset: "MPY: soft reboot", a new interpreter, boot.py, main.py (the
  friendly REPL only, as on the board); pins, watchdog and the mem_backup
  registers carry through (rp2, platform.md; the watchdog is assumed to do
  so on esp32 too); print output is cooked ("\\n" -> "\\r\\n");
- a hard reset (watchdog, machine.reset()) reboots in the friendly REPL; on a
  USB board (rp2) the port also goes away and comes back at a new path (a host
  tool sees a disconnect), on a USB-UART board (esp32) the port stays;
- the real-time clock (machine.RTC, time.gmtime) keeps a time set at the REPL
  through soft resets; rp2 reads 2021-01-01 again after every hard reset and
  power-up, esp32 reads 2000-01-01 after a power-up only (RTC_AT_RESET_S).
The flash folder is the board's whole filesystem ("/"): mpremote fs works on it;
sys.platform is the board's port (rp2, esp32), as the firmware and ionto deploy ask it.
Not simulated: REPL history and tab completion, `micropython.kbd_intr()`, mpremote mount.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import tty
from pathlib import Path

from tools.sim import fakemachine
from tools.sim.simboard import load_board

ROOT = Path(__file__).resolve().parents[2]
AGENT = ROOT / "tools" / "sim" / "repl_agent.py"
# The served board's interpreter holds the simulator (the repl agent, the fake
# machine, the circuit model, a display board's panel model) beside the
# firmware: a board's heap holds the firmware alone, whose figure M8 measures by
# itself (host_tests/test_heap_budget.py). At 192K a served pico_oled (the
# display's 10 KB) ran out at boot allocating the session trace's 2.7 KB.
HEAP = "256K"
CTRL_A, CTRL_B, CTRL_C, CTRL_D, CTRL_E = 1, 2, 3, 4, 5
RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
PASTE_WINDOW = 128  # MICROPY_REPL_STDIN_BUFFER_MAX (256) / 2, as on rp2 and esp32
COMPOUND = ("if", "while", "for", "try", "with", "def", "class", "async")
START_TIMEOUT_S = 10.0
TX_WAIT_S = 0.3  # how long output waits for a reader before the unread bytes are dropped
SIGINT_AFTER_S = 0.5  # Ctrl-C unanswered this long: SIGINT to the unix port
HUNG_AFTER_S = 2.0  # and then unanswered this long: the interpreter hangs, reset
# The clock as a reset leaves it, in seconds since 2000-01-01 (the fake time's epoch,
# tools/sim/clock.py); neither board has a backup battery. rp2: MicroPython's
# ports/rp2/main.c sets 2021-01-01 at every chip reset (power-up, watchdog,
# machine.reset()), before its soft-reset loop. esp32: MicroPython's epoch at
# power-up; ESP-IDF's RTC timer runs on through the other resets (Espressif's
# system time documentation: all but the power-on reset).
RTC_AT_RESET_S = {"rp2": (7671 * 86400), "esp32": 0}  # 7671 days: 2000-01-01 to 2021-01-01


def micropython_path() -> str:
    here = Path(sys.executable).parent / "micropython"
    return str(here) if here.exists() else (shutil.which("micropython") or "micropython")


def continue_with_input(text: str) -> bool:
    # py/repl.c mp_repl_continue_with_input: compound statements, open brackets
    # and triple quotes, a trailing backslash.
    if not text:
        return False
    compound = text[0] == "@" or any(
        text.startswith(w) and (len(text) == len(w) or not (text[len(w)].isalnum()
                                                            or text[len(w)] == "_"))
        for w in COMPOUND)
    depth = 0
    quote = ""
    i = 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            if text[i:i + 3] == c * 3 and quote in ("", c * 3):
                quote = "" if quote else c * 3
                i += 2
            elif quote in ("", c):
                quote = "" if quote else c
        elif c == "\\" and i + 1 < len(text) and text[i + 1] in "'\"\\":
            if quote:
                i += 1
        elif not quote:
            depth += (c in "([{") - (c in ")]}")
        i += 1
    if len(quote) == 3:
        return True
    if depth > 0 and not quote:
        return True
    if text[-1] == "\\":
        return True
    return compound and text[-1] != "\n"


def auto_indent(text: str) -> str:
    # shared/readline/readline.c readline_auto_indent: the indent of the last
    # line, one level more after a colon; none after two blank lines.
    if len(text) < 2 or text[-1] != "\n":
        return ""
    lines = text[:-1].split("\n")
    last = lines[-1]
    if len(lines) > 1 and not last.strip(" ") and not lines[-2].strip(" "):
        return ""
    n = (len(last) - len(last.lstrip(" "))) // 4
    if last.endswith(":"):
        n += 1
    return "    " * n


class Interp:
    """One boot of the board: a unix-port process running repl_agent.py."""

    def __init__(self, flash: Path, board: str, seed: int, paced: bool, state: dict,
                 params: dict | None = None):
        cmd_r, self.cmd_w = os.pipe()
        self.rep_r, rep_w = os.pipe()
        self.proc = subprocess.Popen(
            [micropython_path(), "-X", f"heapsize={HEAP}", str(AGENT), str(ROOT), str(flash),
             str(cmd_r), str(rep_w), board, str(seed), "1" if paced else "0",
             json.dumps(params or {})],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            pass_fds=(cmd_r, rep_w), start_new_session=True)  # a terminal's ^C is not ours
        os.close(cmd_r)
        os.close(rep_w)
        assert self.proc.stdout is not None
        self.out = self.proc.stdout.fileno()
        os.set_blocking(self.out, False)
        os.set_blocking(self.rep_r, False)
        self.rep_buf = b""
        self.interrupted_at = 0.0  # when the host sent Ctrl-C for this command
        self.sigint_at = 0.0  # when it had to fall back to SIGINT
        self.seq = 0
        self.send("s", "-", json.dumps(state).encode())

    def send(self, op: str, arg: str, data: bytes = b"") -> int:
        self.interrupted_at = self.sigint_at = 0.0
        self.seq += 1
        os.write(self.cmd_w, f"{op} {self.seq} {arg} {len(data)}\n".encode() + data)
        return self.seq

    def interrupt(self) -> None:
        # Ctrl-C: the agent raises KeyboardInterrupt at its next fake-time or
        # machine call (repl_agent.py). Once per command, as more change nothing.
        if not self.interrupted_at:
            self.interrupted_at = time.monotonic()
            os.write(self.cmd_w, f"i {self.seq} - 0\n".encode())

    def hung(self) -> bool:
        # Code that makes no such call gets the unix port's SIGINT after
        # SIGINT_AFTER_S; an interpreter that still does not answer (that
        # handler can deadlock it) is hung, and the board needs a reset.
        now = time.monotonic()
        late = self.interrupted_at and now > self.interrupted_at + SIGINT_AFTER_S
        if late and not self.sigint_at:
            self.sigint_at = now
            if self.proc.poll() is None:
                os.kill(self.proc.pid, signal.SIGINT)
        return bool(self.sigint_at) and now > self.sigint_at + HUNG_AFTER_S

    def read_out(self) -> bytes:
        chunks = []
        while True:
            try:
                b = os.read(self.out, 65536)
            except BlockingIOError:
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)

    def replies(self) -> list[str] | None:
        # Complete reply lines; None once the interpreter is gone.
        try:
            b = os.read(self.rep_r, 65536)
        except BlockingIOError:
            return []
        if not b:
            return None
        self.rep_buf += b
        *lines, self.rep_buf = self.rep_buf.split(b"\n")
        return [x.decode() for x in lines]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for fd in (self.cmd_w, self.rep_r):
            os.close(fd)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class Job:
    """What the interpreter runs now, and how its end shows on the port."""

    def __init__(self, markers: bool, then: str):
        self.seq = 0  # the interpreter's number for the command
        self.markers = markers  # raw REPL: 0x04 after the output and after the traceback
        self.then = then  # raw, friendly, or boot (the next boot step)


class ReplBoard:
    """The board: call start() for the port's path, stop() at the end."""

    def __init__(self, flash: str | Path, board: str = "pico", seed: int = 1,
                 paced: bool = True, link: str | Path | None = None, log=None,
                 params: dict | None = None):
        self.flash = Path(flash).resolve()
        self.flash.mkdir(parents=True, exist_ok=True)
        self.board_name = board
        self.port = load_board(board, str(ROOT))["port"]
        self.seed = seed
        self.paced = paced
        self.params = dict(params or {})  # the circuit model's (tools/sim/circuit.py)
        self.link = Path(link) if link else None
        self.log = log or (lambda msg: None)
        self.path = ""
        self.master = self.slave = -1
        self.interp: Interp | None = None
        self.job: Job | None = None
        self.state: dict = {}
        self.version = "?"
        self.mode = "friendly"
        self.rx = bytearray()  # received, not yet read by the REPL
        self.boot_steps: list[str] = []
        self.wdt_deadline: float | None = None
        self.state_at = 0.0  # time.monotonic() when self.state came
        self.resets: list[str] = []  # what happened, for tests: soft, wdt, hard
        self.raw_pastes = 0  # raw-paste transfers accepted
        self._reset_repl()
        self._wake_r, self._wake_w = os.pipe()
        self._stop = False
        self._thread: threading.Thread | None = None

    # ---- life cycle ----
    def start(self) -> str:
        self._open_port()
        self._power_on(fakemachine.PWRON_RESET)
        self._thread = threading.Thread(target=self._loop, name="replboard", daemon=True)
        self._thread.start()
        return self.path

    def stop(self) -> None:
        # The loop thread ends first (it checks _stop every step, and a board
        # reset no longer reopens the port once stopping), then the port
        # closes: a reset's close-and-reopen racing this one closed numbers
        # the other had reused (EBADF, and a Ctrl-C that did not end ionto).
        self._stop = True
        os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(20)
        if self.interp is not None:
            self.interp.close()
            self.interp = None
        self._close_port()
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)

    def serve_forever(self) -> None:
        # Until Ctrl-C (SIGINT) or the board's loop ends. The signal only sets
        # an event the main thread waits on (the handler runs whatever the main
        # thread is doing: a KeyboardInterrupt raised inside a thread join was
        # not always seen, and ionto did not end in CI), then stop() runs here.
        if self._thread is None:
            self.start()
        interrupted = threading.Event()
        previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.set())
        try:
            while (not interrupted.is_set() and self._thread is not None
                   and self._thread.is_alive()):
                interrupted.wait(0.5)
        finally:
            signal.signal(signal.SIGINT, previous)
            self.stop()

    def _open_port(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no line editing: bytes as they are
        os.set_blocking(self.master, False)
        self.path = os.ttyname(self.slave)
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".tmp")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self.path)
            tmp.replace(self.link)
        self.log(f"port {self.path}")

    def _close_port(self) -> None:
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        self.master = self.slave = -1

    # ---- output ----
    def tx(self, data: bytes) -> None:
        # Like USB CDC: wait a little for the host to read, then drop what it
        # did not (a board never stalls on an absent terminal).
        while data:
            try:
                n = os.write(self.master, data)
                data = data[n:]
                continue
            except BlockingIOError:
                pass
            _, w, _ = select.select([], [self.master], [], TX_WAIT_S)
            if not w:
                termios.tcflush(self.slave, termios.TCIFLUSH)

    def _cooked(self, data: bytes) -> None:
        if data:
            self.tx(data.replace(b"\n", b"\r\n"))

    def banner(self) -> bytes:
        return (f"MicroPython v{self.version} on simulated; {self.board_name} "
                f"({self.port}, fake machine) with ionto replboard\r\n"
                f'Type "help()" for more information.\r\n').encode()

    # ---- resets ----
    def _start_interp(self) -> None:
        if self.interp is not None:
            self.interp.close()
        # The time the reset took passes on the board too (paced), and on its watchdog.
        now = time.monotonic()
        if self.paced and self.state_at:
            self.state["us"] = self.state.get("us", 0) + int((now - self.state_at) * 1e6)
        if self.wdt_deadline is not None:
            self.state["wdt_left_us"] = max(0, int((self.wdt_deadline - now) * 1e6))
        if "rtc_s" in self.state:  # the clock starts again, at this boot's moment
            self.state["epoch_s"] = self.state.pop("rtc_s") - self.state["us"] // 1000000
        self.interp = Interp(self.flash, self.board_name, self.seed, self.paced, self.state,
                             self.params)
        t_end = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < t_end:
            select.select([self.interp.rep_r, self.interp.out], [], [], 0.1)
            self._cooked(self.interp.read_out())
            lines = self.interp.replies()
            if lines is None:
                break
            for line in lines:
                if line.startswith("ready "):
                    self.version = line.split()[1]
                    return
        raise RuntimeError("the simulated board's interpreter did not start "
                           f"({micropython_path()} {AGENT})")

    def _power_on(self, cause: int, keep_backup: bool = False) -> None:
        old = self.state
        backup = old.get("backup") if keep_backup else None
        self.state = {"us": old.get("us", 0), "cause": cause}
        if old.get("ds3231"):  # the optional DS3231 module runs on its own coin cell
            self.state["ds3231"] = old["ds3231"]
        if backup:
            self.state["backup"] = backup
        if self.port == "esp32" and cause != fakemachine.PWRON_RESET and "epoch_s" in old:
            self.state["epoch_s"] = old["epoch_s"]
        else:
            self.state["rtc_s"] = RTC_AT_RESET_S[self.port]
        self.wdt_deadline = None
        self.mode = "friendly"
        self._reset_repl()
        self._boot()

    def _soft_reboot(self) -> None:
        self.tx(b"MPY: soft reboot\r\n")
        self.resets.append("soft")
        st = self.state
        if self.port == "esp32":  # soft reset stops PWM with the pin low (platform.md)
            for p in list(st.get("pwm", {})):
                st["mode"][p] = "out"
                st.setdefault("level", {})[p] = 0
            st["pwm"] = {}
            st["cause"] = fakemachine.SOFT_RESET
        # rp2: the pins stay as they were driven (boot.py drives them low,
        # SR-1), the watchdog keeps running, reset_cause() is unchanged.
        self._reset_repl()
        self._boot()

    def _hard_reset(self, cause: int) -> None:
        if self._stop:
            return  # stopping: stop() closes the port, nothing reopens it
        what = "wdt" if cause == fakemachine.WDT_RESET else "hard"
        self.resets.append(what)
        self.log(f"board reset ({what})")
        self.job = None
        self.rx.clear()
        if self.port == "rp2":  # USB: the host sees the port go and come back
            self._close_port()
            self._open_port()
        self._power_on(cause, keep_backup=True)

    def _boot(self) -> None:
        self._start_interp()
        self.boot_steps = ["boot.py", "main.py"] if self.mode == "friendly" else ["boot.py"]
        self._next_boot_step()

    def _next_boot_step(self) -> None:
        if self.boot_steps:
            name = self.boot_steps.pop(0)
            self._run(Job(False, "boot"), "f", name, b"")
        elif self.mode == "raw":
            self.tx(RAW_BANNER + b">")
        else:
            self.tx(self.banner() + b">>> ")

    # ---- the interpreter's commands ----
    def _run(self, job: Job, op: str, arg: str, data: bytes) -> None:
        self.job = job
        assert self.interp is not None
        job.seq = self.interp.send(op, arg, data)

    def _on_reply(self, line: str) -> None:
        job = self.job
        assert self.interp is not None
        self._cooked(self.interp.read_out())
        kbd = line.startswith("K ")
        if job is None or (kbd and int(line[2:]) != job.seq):
            return  # a late "K": that command had ended
        if job.markers:
            self.tx(b"\x04")  # end of the normal output
        status = "ok"
        if line.startswith("2 "):
            _, status, state = line.split(" ", 2)
            self.state = json.loads(state)
            self.state_at = time.monotonic()
            left = self.state.get("wdt_left_us")
            self.wdt_deadline = None if left is None else self.state_at + left / 1e6
            self._cooked(self.state.pop("tb").encode())
        if job.markers:
            self.tx(b"\x04")  # end of the error output
        self.job = None
        if status == "exit":
            self._soft_reboot()  # pyexec: SystemExit is a forced exit
        elif status.startswith("reset:"):
            cause = int(status[6:])
            if cause == fakemachine.SOFT_RESET:
                self._soft_reboot()
            else:
                self._hard_reset(cause)
        elif job.then == "boot":
            self._next_boot_step()
        elif job.then == "raw":
            self.tx(b">")
        else:
            self._prompt()

    # ---- input ----
    def _on_input(self, data: bytes) -> None:
        for c in data:
            if self.job is not None and c == CTRL_C:
                assert self.interp is not None
                self.interp.interrupt()  # the interrupt char never reaches stdin
            else:
                self.rx.append(c)
                self._pump()

    def _pump(self) -> None:
        while self.job is None and self.rx:
            c = self.rx.pop(0)
            if self.mode == "raw":
                self._raw_char(c)
            else:
                self._friendly_char(c)

    def _reset_repl(self) -> None:
        self.line = bytearray()  # raw REPL input
        self.paste: bytearray | None = None  # raw paste in progress
        self.window = PASTE_WINDOW
        self.text = ""  # friendly REPL: the lines entered so far
        self.cur = bytearray()  # the line being edited
        self.indent = 0  # spaces auto-indent put on the current line
        self.esc = b""  # an escape sequence being read (ignored)
        self.paste_mode: bytearray | None = None  # Ctrl-E paste mode

    def _raw_char(self, c: int) -> None:
        if self.paste is not None:
            self._paste_char(c)
        elif c == CTRL_A:
            if len(self.line) == 2 and self.line[0] == CTRL_E:
                self._raw_paste_start(self.line[1])
            else:
                self.tx(RAW_BANNER + b">")
            self.line = bytearray()
        elif c == CTRL_B:
            self.tx(b"\r\n")
            self.mode = "friendly"
            self._reset_repl()
            self.tx(self.banner() + b">>> ")
        elif c == CTRL_C:
            self.line = bytearray()
        elif c == CTRL_D:
            self.tx(b"OK")
            code = bytes(self.line)
            self.line = bytearray()
            if not code:
                self.tx(b"\r\n")
                self._soft_reboot()
            else:
                self._run(Job(True, "raw"), "x", "exec", code)
        else:
            self.line.append(c)

    def _raw_paste_start(self, cmd: int) -> None:
        if cmd != ord("A"):
            self.tx(b"R\x00>")
            return
        # "R\x01", the window size, and one more window free (pyexec.c).
        self.tx(b"R\x01" + struct.pack("<H", PASTE_WINDOW) + b"\x01")
        self.raw_pastes += 1
        self.paste = bytearray()
        self.window = PASTE_WINDOW

    def _paste_char(self, c: int) -> None:
        assert self.paste is not None
        if c in (CTRL_C, CTRL_D):
            code = bytes(self.paste)
            self.paste = None
            self.tx(b"\x04")  # end of data acknowledged
            if c == CTRL_C:  # the reader raises KeyboardInterrupt, no traceback lines
                self.tx(b"\x04KeyboardInterrupt: \r\n\x04>")
            else:
                self._run(Job(True, "raw"), "x", "exec", code)
            return
        self.paste.append(c)
        self.window -= 1
        if self.window == 0:
            self.tx(b"\x01")  # another window of the buffer is free
            self.window = PASTE_WINDOW

    def _prompt(self) -> None:
        self.text = ""
        self.cur = bytearray()
        self.indent = 0
        self.tx(b">>> ")

    def _friendly_char(self, c: int) -> None:
        if self.paste_mode is not None:
            self._paste_mode_char(c)
            return
        if self.esc:  # ESC [ ... final byte: arrows, home, end (no history here)
            self.esc += bytes([c])
            if len(self.esc) > 2 and 0x40 <= c <= 0x7E or len(self.esc) > 8:
                self.esc = b""
            return
        if CTRL_A <= c <= CTRL_E and not self.cur:
            self._friendly_control(c)
        elif c == CTRL_C:
            self.tx(b"\r\n")
            self._prompt()
        elif c == 13:
            self.tx(b"\r\n")
            self._friendly_line()
        elif c in (8, 127):
            if self.cur:
                n = 4 if len(self.cur) >= 4 and not self.cur.strip(b" ") else 1
                del self.cur[-n:]
                self.tx(b"\b" * n + b"\x1b[K")
        elif c == 27:
            self.esc = b"\x1b"
        elif c >= 32:
            self.cur.append(c)
            self.tx(bytes([c]))

    def _friendly_control(self, c: int) -> None:
        if self.text and c != CTRL_C:
            # On an empty continuation line readline returns the control
            # character; pyexec then runs the statement unless it is still open.
            if c != CTRL_D and continue_with_input(self.text):
                self._continuation()
            else:
                self._run(Job(False, "friendly"), "x", "single", self.text.encode())
        elif c == CTRL_A:
            self.tx(b"\r\n")
            self.mode = "raw"
            self._reset_repl()
            self.tx(RAW_BANNER + b">")
        elif c == CTRL_B:
            self.tx(b"\r\n" + self.banner())
            self._prompt()
        elif c == CTRL_C:
            self.tx(b"\r\n")
            self._prompt()
        elif c == CTRL_D:
            self.tx(b"\r\n")
            self._soft_reboot()
        elif c == CTRL_E:
            self.tx(b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ")
            self.paste_mode = bytearray()

    def _friendly_line(self) -> None:
        text = self.text + self.cur.decode("utf-8", "replace")
        self.cur = bytearray()
        if not text:
            self._prompt()
        elif continue_with_input(text):
            self.text = text + "\n"
            self._continuation()
        else:
            self._run(Job(False, "friendly"), "x", "single", text.encode())

    def _continuation(self) -> None:
        ind = auto_indent(self.text).encode()
        self.cur = bytearray(ind)
        self.tx(b"... " + ind)

    def _paste_mode_char(self, c: int) -> None:
        assert self.paste_mode is not None
        if c == CTRL_C:
            self.paste_mode = None
            self.tx(b"\r\n")
            self._prompt()
        elif c == CTRL_D:
            code = bytes(self.paste_mode)
            self.paste_mode = None
            self.tx(b"\r\n")
            self._run(Job(False, "friendly"), "x", "exec", code)
        else:
            self.paste_mode.append(c)
            self.tx(b"\r\n=== " if c == 13 else bytes([c]))

    # ---- the loop ----
    def _loop(self) -> None:
        try:
            while not self._stop:
                self._step()
        except Exception as e:  # noqa: BLE001 - a served board reports why it stopped
            self.log(f"replboard stopped: {e!r}")
            raise

    def _step(self) -> None:
        interp = self.interp
        assert interp is not None
        timeout = 0.05 if interp.interrupted_at else 0.5
        if self.job is None and self.wdt_deadline is not None:
            timeout = max(0.0, min(timeout, self.wdt_deadline - time.monotonic()))
        r, _, _ = select.select([self.master, interp.out, interp.rep_r, self._wake_r], [], [],
                                timeout)
        if self._wake_r in r:
            os.read(self._wake_r, 64)
        if interp.out in r:
            self._cooked(interp.read_out())
        if interp.rep_r in r:
            lines = interp.replies()
            if lines is None:
                self._cooked(interp.read_out())
                self.log(f"the interpreter ended (exit {interp.proc.poll()}): hard reset")
                self._hard_reset(fakemachine.HARD_RESET)
                return
            for line in lines:
                self._on_reply(line)
            self._pump()  # what came while the code ran
        if self.master in r:
            try:
                data = os.read(self.master, 4096)
            except (BlockingIOError, OSError):
                data = b""
            self._on_input(data)
        if self.job is not None and interp.hung():
            self.log("the interpreter does not answer Ctrl-C: hard reset")
            self._hard_reset(fakemachine.HARD_RESET)
        elif (self.job is None and self.wdt_deadline is not None
                and time.monotonic() >= self.wdt_deadline):
            self._hard_reset(fakemachine.WDT_RESET)  # idle at the REPL: nothing feeds it


def write_firmware(flash: str | Path, board: str = "pico", seed: int = 1) -> list[str]:
    """The flash as after `ionto deploy` and the bench calibration: boot.py,
    main.py and the modules as .mpy for the architecture this board loads
    (the unix port's, as `ionto deploy` asks it: sys.implementation._mpy),
    board.txt and calibration.json (tools/sim/simboard.py). Returns the files.

    The .mpy as on a board: from sources, the unix port compiles each module
    at its first import, and the parser's transient heap at a console call in
    safe mode (firmware/console.py, then store, hal, ...) ran the interpreter's
    192K out in about half the runs of `ionto monitor` after a stopped app."""
    from tools.check_device import arch_of
    from tools.firmware_build import build
    from tools.sim.simboard import SimBoard

    flash = Path(flash)
    # board.txt and calibration.json; what else is on the flash (a journal) stays.
    SimBoard(board, seed=seed, flash_dir=str(flash.resolve()), fresh=False)
    mpy = subprocess.run([micropython_path(), "-c",
                          "import sys; print(sys.implementation._mpy)"],
                         capture_output=True, text=True, check=True).stdout
    files = []
    arch = arch_of(int(mpy))
    built = build(arch)
    if load_board(board, str(ROOT)).get("display"):  # and its driver, as deploy sends it
        from tools import display_driver

        built += display_driver.driver_file(arch)
    for path, data in built:
        (flash / path).parent.mkdir(parents=True, exist_ok=True)
        (flash / path).write_bytes(data)
        files.append(path)
        if path.endswith(".mpy"):  # a .py twin would be imported first (as deploy removes it)
            (flash / path).with_suffix(".py").unlink(missing_ok=True)
    return files

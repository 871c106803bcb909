"""The host tools' link to a board: mpremote's serial transport, at the raw REPL.

Connecting (docs/deploy.md): open the port, Ctrl-C, raw REPL. If the app was
running (main.py's `app` exists: app.run() started the watchdog, SR-3, which
cannot be stopped), the same exec writes console.once and reset.planned at
once (SR-4: the restart is the tool's, not a fault); the watchdog then resets
the board within about a second, main.py sees the flag and that
one boot stays at the REPL (safe mode), and the link reopens the port (on
rp2, USB comes back as after a re-plug). A board in safe mode, or without the
firmware, is used as it is. Every failure is a LinkError: one line for the
person, exit code 2 in the CLI.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import time
from collections.abc import Callable

import serial
import serial.tools.list_ports
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

from firmware.version import VERSION as HOST_VERSION

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
SERIAL_TIMEOUT_S = 1.0  # a read waits this long (mpremote's raw paste reads 2 bytes at once)
RAW_WAIT_S = 2.0  # a board answers Ctrl-A at once; a port that does not is no board
QUIET_S = 0.5  # a boot's output has ended when the port has been quiet this long
BOOT_WAIT_S = 3.0  # at most this long for that (a real rp2 may have printed before we opened)
RESET_WAIT_S = 5.0  # the watchdog fires 1 s after the app's last feed
REOPEN_WAIT_S = 10.0  # USB re-enumeration after the reset
CHUNK = 512  # file transfer: bytes per raw-REPL exec (its source is up to 4x that)

# SR-4: the resets a host tool causes are planned, not faults. The marker
# firmware/startup.py after_reset reads, and removes, at the next boot of the
# app or of the button's safe mode (the console.once boot leaves it): on rp2
# reset_cause() reads WDT after the watchdog's reset and through every soft
# reset after it (and machine.reset() reads WDT too), so without it that boot
# journals an unplanned restart and latches fault 7. Written atomically (a
# temporary file renamed over it, as firmware/store.py write_atomic does);
# one line per statement: it is also run inside _FLAG_IF_APP's if.
_PLANNED = ("import os",
            "f = open('reset.planned.tmp', 'w')",
            "f.write('ionto\\n')",
            "f.close()",
            "os.rename('reset.planned.tmp', 'reset.planned')", "del f")
# One exec: stop here if the app ran (then its watchdog runs), flag the next
# boot, and mark the reset that follows (and the soft resets after it) planned.
_FLAG_IF_APP = ("if 'app' in globals():\n"
                " open('console.once', 'w').close()\n"
                + "".join(f" {x}\n" for x in _PLANNED)
                + " print('app')\n")
_HASHES = ("import hashlib, binascii\n"
           "def _h(p):\n"
           " try:\n  f = open(p, 'rb')\n except OSError:\n  return None\n"
           " h = hashlib.sha256()\n b = bytearray(256)\n m = memoryview(b)\n"
           " with f:\n  while True:\n   n = f.readinto(b)\n   if not n:\n    break\n"
           "   h.update(m[:n])\n"
           " return binascii.hexlify(h.digest()).decode()\n"
           "for p in {paths!r}:\n print(p, _h(p))\n"
           "del _h\n")


class LinkError(Exception):
    """What went wrong, in one line for the person (the CLI exits 2)."""


class DeviceError(LinkError):
    """The board refused a call: its exception's message (a console ValueError)."""


def find_port() -> str:
    """The one USB serial board in mpremote's device list (as `mpremote connect auto`)."""
    ports = sorted(p.device for p in serial.tools.list_ports.comports()
                   if p.vid is not None and p.pid is not None)
    if not ports:
        raise LinkError("no board found on USB (`mpremote connect list` lists none): "
                        "plug it in, or name its port with --port")
    if len(ports) > 1:
        raise LinkError(f"{len(ports)} USB serial ports found ({', '.join(ports)}): "
                        "name the board's with --port")
    return ports[0]


def port_exists(port: str) -> bool:
    # Linux and macOS name a port by its device file (/dev/ttyACM0, /dev/cu.usbmodem1101);
    # Windows' COM3 is no file: there the device list says.
    return os.path.exists(port) or any(p.device == port
                                       for p in serial.tools.list_ports.comports())


def open_transport(port: str) -> SerialTransport:
    if not port_exists(port):
        raise LinkError(f"no such port {port}: is the board plugged in? "
                        "(`mpremote connect list` lists the ports)")
    try:
        t = SerialTransport(port, baudrate=115200)
        t.serial.timeout = SERIAL_TIMEOUT_S  # mpremote's None blocks for ever on a silent pty
        return t
    except TransportError:
        pass
    # mpremote says only "failed to access": open it again for the reason.
    try:
        serial.Serial(port, exclusive=True).close()
    except serial.SerialException as e:
        if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
            raise LinkError(f"port {port} is busy: another program has it open "
                            "(close mpremote, Thonny or a serial terminal)") from None
        if e.errno == errno.EACCES:
            raise LinkError(f"no permission to open {port}: add yourself to its group "
                            "(dialout on most Linux systems) and log in again") from None
        raise LinkError(f"cannot open {port}: {e}") from None
    raise LinkError(f"cannot open {port} (it may have just been released: try again)")


def _last_line(text: str) -> str:
    lines = [x.strip() for x in text.strip().splitlines() if x.strip()]
    return lines[-1] if lines else "no message"


class Link:
    """A board at its raw REPL. `port` None: find_port(). Use as a context manager."""

    def __init__(self, port: str | None = None, log: Callable[[str], None] | None = None):
        self.auto = port is None
        self.port = port or find_port()
        self.log = log or (lambda m: print(f"ionto: {m}", file=sys.stderr, flush=True))
        # tools/ionto/board_clock.py: its line about the board's clock came (once a link)
        self.clock_said = False
        self.t = open_transport(self.port)
        try:
            self._connect()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Link:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- connecting ----
    def _connect(self) -> None:
        self._enter_raw()
        if self.exec(_FLAG_IF_APP).strip() != "app":
            return
        self.log(f"the app was running on {self.port}: stopped it (outputs off, SR-1); its "
                 "watchdog (SR-3) resets the board in about a second, and that boot stays at "
                 "the REPL (console.once). Waiting for it...")
        self._await_reset()
        self._enter_raw()
        if self.exec(_FLAG_IF_APP).strip() == "app":
            raise LinkError("the board started the app again after its reset: hold its button "
                            "while you plug it in (safe mode), then try again")
        self.log("the board is back at the REPL (safe mode until its next reset)")

    def _read_quiet(self, quiet: float, at_most: float) -> bytes:
        # What the board says until it has been quiet `quiet` s (at most `at_most` s).
        s = self.t.serial
        s.timeout = 0.05
        out = b""
        t0 = last = time.monotonic()
        while time.monotonic() - last < quiet and time.monotonic() - t0 < at_most:
            b = s.read(max(1, s.in_waiting))
            if b:
                out += b
                last = time.monotonic()
        s.timeout = SERIAL_TIMEOUT_S
        return out

    def _enter_raw(self) -> None:
        # Ctrl-C stops whatever runs (main.py's finally switches the outputs
        # off, SR-1); the REPL reads the Ctrl-A after it. Twice, in case the
        # first Ctrl-C landed during a boot.
        self._read_quiet(QUIET_S, BOOT_WAIT_S)
        for _ in range(2):
            self.t.serial.write(b"\r\x03")
            time.sleep(0.05)
            self.t.serial.write(b"\r\x01")
            got = self.t.read_until(1, RAW_BANNER, timeout=RAW_WAIT_S, timeout_overall=RAW_WAIT_S)
            if got.endswith(RAW_BANNER):
                self.t.in_raw_repl = True
                return
        raise LinkError(f"no MicroPython REPL answered on {self.port}: is it the board's port, "
                        "with MicroPython on the board (docs/deploy.md)?")

    def _await_reset(self) -> None:
        # rp2: the port goes away (a read fails) and comes back; a USB-UART
        # board (esp32) keeps its port and prints the new boot.
        s = self.t.serial
        s.timeout = 0.1
        seen = b""
        end = time.monotonic() + RESET_WAIT_S
        try:
            while time.monotonic() < end:
                seen += s.read(max(1, s.in_waiting))
                if b"ionto: safe mode" in seen:
                    return
        except (OSError, serial.SerialException):
            self._close_transport()
            self._reopen()
            return
        raise LinkError(f"the board on {self.port} did not reset within {RESET_WAIT_S:.0f} s "
                        "after its app stopped: unplug it, hold its button while you plug it "
                        "back in (safe mode), and try again")

    def _reopen(self) -> None:
        end = time.monotonic() + REOPEN_WAIT_S
        while True:
            try:
                if self.auto:
                    self.port = find_port()
                self.t = open_transport(self.port)
                return
            except LinkError:
                if time.monotonic() > end:
                    raise LinkError(f"the board did not come back on {self.port} within "
                                    f"{REOPEN_WAIT_S:.0f} s after its reset") from None
                time.sleep(0.1)

    # ---- the REPL ----
    def exec(self, code: str, timeout: float | None = 10.0) -> str:
        """Run code at the raw REPL: its output; DeviceError with the board's message.
        timeout: the longest silence from the board (None: a bench run says nothing
        for its whole length). Ctrl-C here interrupts the board too (SR-1: output off)."""
        try:
            out, err = self.t.exec_raw(code, timeout=timeout)
        except KeyboardInterrupt:
            self.t.serial.write(b"\x03")
            raise
        except (TransportError, OSError) as e:
            raise LinkError(f"lost the board on {self.port}: {e}") from None
        if err:
            msg = _last_line(err.decode("utf-8", "replace"))
            if msg.startswith("ValueError: "):
                msg = msg[len("ValueError: "):]
            raise DeviceError(msg)
        return out.decode("utf-8", "replace").replace("\r\n", "\n")

    def call(self, expr: str, timeout: float | None = 10.0):
        """A console call (docs/console.md) as `c.<call>`: its JSON value."""
        out = self.exec("import json\nfrom firmware import console as c\n"
                        f"print(json.dumps({expr}))\n", timeout)
        return json.loads(_last_line(out))

    def reconnect(self) -> None:
        """After a bench run: the watchdog resets the board, whose next boot stays
        at the REPL once (console.once); back at its raw REPL."""
        self._await_reset()
        self._enter_raw()


    def platform(self) -> tuple[str, int | None]:
        """sys.platform and sys.implementation._mpy (None when it has none)."""
        out = self.exec("import sys\nprint(sys.platform, "
                        "getattr(sys.implementation, '_mpy', None))\n").split()
        return out[0], None if out[1] == "None" else int(out[1])

    def firmware_version(self) -> str | None:
        """The firmware's VERSION; None when there is no firmware (no console)."""
        out = self.exec("try:\n from firmware.version import VERSION as v\n"
                        " import firmware.console\nexcept ImportError:\n v = None\n"
                        "print(repr(v))\n")
        v = _last_line(out)
        return None if v == "None" else v.strip("'")

    def require_firmware(self) -> str:
        """The board's firmware version, which must be this host's (firmware/version.py)."""
        try:
            v = self.firmware_version()
        except DeviceError as e:
            raise LinkError(f"the firmware on the board on {self.port} does not load ({e}): "
                            "run `ionto deploy`") from None
        if v is None:
            raise LinkError(f"the board on {self.port} has no ionto firmware (no "
                            "firmware/console): run `ionto deploy`")
        if v != HOST_VERSION:
            raise LinkError(f"version mismatch: the board runs ionto firmware {v}, these tools "
                            f"are {HOST_VERSION}: run `ionto deploy` to update the board")
        return v

    # ---- files ----
    def get(self, path: str) -> bytes | None:
        """A file's bytes; None when there is no such file."""
        try:
            return bytes(self.t.fs_readfile(path, chunk_size=CHUNK))
        except FileNotFoundError:
            return None
        except (TransportError, OSError) as e:
            raise LinkError(f"cannot read {path} from the board: {e}") from None

    def put(self, path: str, data: bytes) -> None:
        """Write a file: a temporary file renamed over it (a cut leaves old or new)."""
        tmp = path + ".tmp"
        try:
            self.t.fs_writefile(tmp, data, chunk_size=CHUNK)
        except (TransportError, OSError) as e:
            raise LinkError(f"cannot write {path} on the board: {e}") from None
        self.exec(f"import os\nos.rename({tmp!r}, {path!r})\n")

    def hashes(self, paths: list[str]) -> dict[str, str | None]:
        """sha256 (hex) of each file on the board, None when missing, in one exec."""
        out = self.exec(_HASHES.format(paths=list(paths)))
        got = dict(line.split(" ", 1) for line in out.splitlines() if line.strip())
        return {p: None if got.get(p, "None") == "None" else got[p] for p in paths}

    def mkdirs(self, folders: list[str]) -> None:
        """Create folders (parents first); those that exist stay."""
        if folders:
            self.exec(f"import os\nfor d in {sorted(folders)!r}:\n try:\n  os.mkdir(d)\n"
                      " except OSError:\n  pass\n")

    def remove(self, paths: list[str]) -> None:
        if paths:
            self.exec(f"import os\nfor p in {list(paths)!r}:\n os.remove(p)\n")

    # ---- the end ----
    def start_soft_reset(self):
        """The reset marked planned (SR-4), then Ctrl-D at the friendly REPL;
        returns the serial port, whose reads give the boot's output."""
        self.exec("".join(x + "\n" for x in _PLANNED))
        s = self.t.serial
        s.write(b"\r\x02")
        self.t.in_raw_repl = False
        self.t.read_until(1, b">>> ", timeout=2, timeout_overall=2)
        s.write(b"\x04")
        s.timeout = 0.1
        return s

    def soft_reset(self, wait_s: float = 10.0) -> str:
        """Ctrl-D at the friendly REPL: boot.py and main.py run (the raw REPL's
        soft reset skips main.py). Returns the boot's line that says how it went.
        The reset is marked planned first (reset.planned, SR-4): on rp2 the boot
        would read the cause of the last hard reset, often the watchdog's."""
        s = self.start_soft_reset()
        text = ""
        end = time.monotonic() + wait_s
        said = "the board said nothing after its soft reset"
        while time.monotonic() < end:
            text += s.read(max(1, s.in_waiting)).decode("utf-8", "replace")
            lines = text.split("\r\n")
            ready = [x for x in lines[:-1] if x.startswith("ionto: ")]
            if ready:
                said = ready[-1]
                break
            if "Traceback" in text and text.endswith(">>> "):  # main.py failed
                after = lines[next(k for k, x in enumerate(lines) if x.startswith("Traceback")):]
                said = "main.py failed: " + next(x for x in after[1:] if not x.startswith(" "))
                break
        self._close_transport()  # nothing more to say: the app runs now
        return said

    def _close_transport(self) -> None:
        t, self.t = self.t, None
        if t is None:
            return
        try:
            t.close()
        except OSError:
            t.serial.close()  # a port that went away (reset) refuses the DTR/RTS calls

    def close(self) -> None:
        if self.t is not None and self.t.in_raw_repl:
            try:
                self.t.exit_raw_repl()  # back to the friendly REPL, as mpremote leaves it
            except OSError:
                pass
        self._close_transport()


class Console:
    """The console by its calls' names, for tools/ionto/calibrate.py: call("status()")
    runs c.status() on the board, with no silence limit (bench runs)."""

    def __init__(self, link: Link):
        self.link = link

    def call(self, expr: str):
        return self.link.call("c." + expr, timeout=None)

    def reconnect(self) -> None:
        self.link.reconnect()

    def close(self) -> None:
        self.link.close()

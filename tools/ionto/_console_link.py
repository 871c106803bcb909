"""STAND-IN, to be replaced by tools/ionto/link.py (Link) at merge.

The smallest link `ionto calibrate` needs (tools/ionto/calibrate.py, ConsoleLink):
`call(expr)` runs `console.<expr>` on the board through mpremote's SerialTransport
and returns its JSON result; `reconnect()` waits out the reset after a bench run
(the watchdog resets the board about a second after `bench()` returns, and
console.once brings that boot back to the REPL, docs/console.md) and opens the
port again. It assumes the board already sits at the REPL (safe mode, or after
a bench run); connecting to a running app is link.py's job.
"""

from __future__ import annotations

import json
import time
from typing import Any

import serial
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

RESET_WAIT_S = 5.0  # the watchdog fires within about 1 s of the call's end
OPEN_WAIT_S = 15.0  # then the port comes back (USB re-enumerates) and boots


class BoardError(Exception):
    """The board raised an exception (its traceback's last line is the message)."""


class SerialConsole:
    def __init__(self, port: str):
        self.port = port
        self.t: SerialTransport | None = None
        self._open(OPEN_WAIT_S)

    def _open(self, wait_s: float) -> None:
        end = time.monotonic() + wait_s
        while True:
            try:
                t = SerialTransport(self.port, exclusive=False, timeout=0.1)
                try:
                    t.enter_raw_repl(soft_reset=False, timeout_overall=5)
                except Exception:
                    _close(t)
                    raise
                self.t = t
                return
            except (OSError, TransportError, serial.SerialException):
                if time.monotonic() > end:
                    raise
                time.sleep(0.2)

    def call(self, expr: str) -> Any:
        assert self.t is not None
        code = f"import json\nfrom firmware import console\nprint(json.dumps(console.{expr}))"
        try:
            # No per-character timeout: a bench run prints nothing for its whole length.
            out, err = self.t.exec_raw(code, timeout=None)
        except KeyboardInterrupt:
            self.t.serial.write(b"\x03")  # the board switches the output off first (SR-1)
            raise
        if err:
            lines = err.decode(errors="replace").strip().splitlines()
            raise BoardError(lines[-1] if lines else "error")
        lines = out.decode(errors="replace").strip().splitlines()
        return json.loads(lines[-1])

    def reconnect(self) -> None:
        # Wait for the reset (the port goes away on a USB board, or the boot
        # banner shows on a USB-UART one), then open the port again.
        t = self.t
        self.t = None
        if t is not None:
            end = time.monotonic() + RESET_WAIT_S
            seen = b""
            try:
                while time.monotonic() < end and b"MicroPython" not in seen:
                    seen = seen[-64:] + t.serial.read(256)
            except (OSError, serial.SerialException):
                pass  # the port went away: the board reset
            _close(t)
        self._open(OPEN_WAIT_S)

    def close(self) -> None:
        if self.t is not None:
            _close(self.t)
            self.t = None


def _close(t: SerialTransport) -> None:
    try:
        t.close()
    except (OSError, serial.SerialException):
        pass  # a port that is gone cannot be closed cleanly

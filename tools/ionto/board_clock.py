"""The board's real-time clock, set from the host's UTC time by every `ionto`
command that connects (issue 17, item 3; tools/ionto/cli.py _link).

Why: the journal's "start" and SR-22's schedule warnings read the board's
clock (firmware/start_gesture.py, time.gmtime()), and firmware/schedule.py takes a
year before 2025 for "unknown". Neither board keeps the time without power
(no backup battery): the RP2040 reads 2021-01-01 after a power-up and after
every hard reset, the watchdog's too (MicroPython's ports/rp2/main.c sets it
there; a soft reset keeps it), and the ESP32 reads 2000-01-01 after a
power-up. The board keeps UTC, as the journal does.

The call is the console's clock_set (firmware/console.py), which checks the
date (2024-2099) itself. One line on stderr says what happened, at most once
per connection (stdout carries the commands' data). A board without the
firmware (a fresh board before `ionto deploy`, or firmware that does not load)
gets nothing and no line: deploy sets the clock once it has copied the
firmware. A board whose clock_set raises (older firmware) gets one line and
the command goes on.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tools.ionto.link import DeviceError, Link

ISO = "%04d-%02d-%02dT%02d:%02d:%02dZ"  # as the journal's "start" (firmware/schedule.py iso)


def iso(t) -> str:
    return ISO % tuple(t[:6])


def on_connect(link: Link, err: TextIO | None = None) -> bool:
    """Right after the link opens: the clock, when the board has a console to set
    it with. True when it was set."""
    try:
        if link.firmware_version() is None:
            return False  # a fresh board: `ionto deploy` sets it after the copy
    except DeviceError:
        return False  # firmware that does not load: the command says so, or deploy replaces it
    return set_clock(link, err)


def set_clock(link: Link, err: TextIO | None = None, now: float | None = None) -> bool:
    """clock_set(...) on the board from the host's UTC time, read once (now: a Unix
    time for tests). True when it was set. Says so, or why not, in one line."""
    err = err or sys.stderr
    # To the nearest second, the RTC's resolution: the board is then within half a
    # second of the host, plus the time the call takes to reach it (not guessed at).
    t = time.gmtime(round(time.time() if now is None else now))
    args = ", ".join(str(x) for x in t[:6])
    link.clock_said = True
    try:
        # One exec: the board's time first (to show what it had), then the setting.
        before, after = link.call(f"[list(__import__('time').gmtime()[:6]), c.clock_set({args})]")
    except DeviceError as e:
        print(f"ionto: board clock not set ({e}): the journal's start stays empty and the "
              "schedule warnings (SR-22) stay off", file=err, flush=True)
        return False
    print(f"ionto: board clock set to {iso(after)} (it read {iso(before)})", file=err, flush=True)
    return True

# The interpreter of the simulated serial board (tools/sim/replboard.py), run
# in the MicroPython unix port: one process per boot, like the board's VM
# between two resets. It mounts the flash folder as "/" (so open(), os and
# imports see only the flash, as on the board), installs the fake machine and
# time, and runs the code blocks the host's REPL sends, in one persistent
# __main__ globals dict.
#   micropython -X heapsize=192K repl_agent.py ROOT FLASH CMD_FD REPLY_FD BOARD SEED PACED PARAMS
# (PARAMS: the circuit model's parameters as JSON, tools/sim/circuit.py; {} = defaults;
# also "person": fakemachine.Hardware.person, and "faults": {name: argument} of
# tools/sim/faults.py, applied at every boot)
# Commands (host -> CMD_FD), "OP SEQ ARG N\n" + N bytes: "s 0 - N" + the JSON
# hardware state to start from (first), "x SEQ KIND N" + source (KIND: exec =
# raw REPL or paste, single = one friendly-REPL statement), "f SEQ NAME 0" (run
# a file if it exists: boot.py, main.py), and while code runs "i SEQ - 0": Ctrl-C.
# Code prints to stdout (fd 1).
# Replies (-> REPLY_FD), one line each: "ready VERSION", then per command
# "2 STATUS STATE" (STATUS: ok, exc, exit = SystemExit, reset:CAUSE; STATE:
# JSON: the hardware state to carry through a reset, and "tb" the traceback,
# which the raw REPL shows apart from the output), or "K SEQ" when a Ctrl-C
# (SIGINT, the host's fallback) landed outside the code of command SEQ.
#
# Ctrl-C is cooperative: the fake clock looks for "i" every virtual
# millisecond, so it lands in the next sleep or machine call, as the board's
# pending KeyboardInterrupt lands at the next bytecode. The unix port's own
# SIGINT can leave it deadlocked (a lock held across the handler's jump) or
# dead, so the host sends SIGINT only to code that makes no such call.
import os
import sys

ROOT = sys.argv[1]
FLASH = sys.argv[2]
sys.path[:] = [ROOT]

import io  # noqa: E402
import json  # noqa: E402
import select  # noqa: E402
import time as rtime  # noqa: E402  (the real time, kept for pacing)

from tools.sim import fakemachine  # noqa: E402
from tools.sim.circuit import Circuit  # noqa: E402
from tools.sim.clock import BoardReset, Clock, FakeTime  # noqa: E402
from tools.sim.simboard import load_board  # noqa: E402

# Frames of these files are the simulator (the "hardware"): tracebacks skip them.
_HIDE = ('File "' + ROOT + "/tools/", 'File "' + __file__ + '"')


class PacedClock(Clock):
    # Virtual time held to the wall clock (paced): sleeps wait for real, and the
    # time spent idle at the REPL passes on the board too (ticks, the watchdog).
    # Code slower than real time does not catch up later (no bursts).
    def __init__(self, paced, interrupted):
        Clock.__init__(self)
        self.paced = paced
        self.interrupted = interrupted  # () -> True when the host sent Ctrl-C
        self._check = 0
        self.rebase()

    def rebase(self):
        self._t0 = rtime.ticks_ms()
        self._us0 = self.us

    def advance(self, dt):
        Clock.advance(self, dt)
        if self.us < self._check:
            return
        self._check = self.us + 1000
        while True:
            if self.interrupted():
                raise KeyboardInterrupt
            if not self.paced:
                return
            ahead = (self.us - self._us0) // 1000 - rtime.ticks_diff(rtime.ticks_ms(), self._t0)
            if ahead < -50:
                self.rebase()
            if ahead <= 1:
                return
            rtime.sleep_ms(min(ahead, 20))  # a long sleep in slices: Ctrl-C stays quick

    def catch_up(self):
        # At the start of each command: the real time since the last one.
        if self.paced:
            idle = rtime.ticks_diff(rtime.ticks_ms(), self._t0) - (self.us - self._us0) // 1000
            if idle > 0:
                Clock.advance(self, idle * 1000)
            self.rebase()


class BoardOs:
    # `os` as on the board: rp2's littlefs lists (name, type, inode, size),
    # the unix port's VfsPosix (name, type, inode); mpremote fs ls shows sizes.
    def __getattr__(self, name):
        return getattr(os, name)

    def ilistdir(self, path=""):
        for e in os.ilistdir(path):
            size = 0
            if e[1] == 0x8000:
                size = os.stat((path.rstrip("/") + "/" if path else "") + e[0])[6]
            yield (e[0], e[1], e[2], size)


def _pin_key(p):
    # A pin in the saved state: a GPIO number, or a radio pin's name (picow.py).
    return p if p.startswith("WL_") or p == "LED" else int(p)


class BoardImplementation:
    # sys.implementation with another _mpy: the native architecture a board
    # reports (ionto deploy reads it), for a served board standing in for
    # another chip. Its .mpy of that architecture would not load here.
    def __init__(self, mpy):
        self._mpy = mpy

    def __getattr__(self, name):
        return getattr(sys.implementation, name)


class BoardSys:
    # `sys` as on the board: sys.platform names the port (rp2, esp32), which
    # the firmware (no board.txt: firmware/boards) and ionto deploy (the .mpy
    # architecture) ask for; the unix port says "linux".
    def __init__(self, port, mpy=None):
        self.platform = port
        if mpy is not None:
            self.implementation = BoardImplementation(mpy)

    def __getattr__(self, name):
        return getattr(sys, name)


def read_exact(f, n):
    buf = b""
    while len(buf) < n:
        chunk = f.read(n - len(buf))
        if not chunk:
            raise OSError("host closed the command pipe")
        buf += chunk
    return buf


class Agent:
    def __init__(self, cmd, reply, board_name, seed, paced, params):
        self.cmd = cmd
        self.reply = reply
        board = load_board(board_name, ROOT)
        self.port = board["port"]
        params = dict(params or {})
        self.mpy = params.pop("reported_mpy", None)  # ReplBoard's reported_mpy
        self.poller = select.poll()
        self.poller.register(cmd, select.POLLIN)
        self.clock = PacedClock(paced, self.interrupted)
        person = params.pop("person", None)  # the person at a bring-up (fakemachine)
        faults = params.pop("faults", {})  # tools/sim/faults.py by name: argument
        self.hw = fakemachine.Hardware(board, self.clock, Circuit(board, seed, params))
        self.hw.person = person
        self.circuit = self.hw.circuit
        if faults:
            from tools.sim import faults as f

            for name in faults:
                getattr(f, name)(self, faults[name])
        if board.get("rtc") is not None:  # the optional DS3231 module (pico_rtc.py)
            from tools.sim.ds3231 import DS3231

            self.hw.rtc_module = DS3231(self.clock)
        if board.get("display"):  # the display's panel and bus (pico_oled.py), loaded
            # now: the board's sys.path is its flash (the driver: lib/, as deployed)
            import tools.sim.oled  # noqa: F401
        self.g = {"__name__": "__main__"}
        self.seq = "0"

    def interrupted(self):
        # Only "i" can come while code runs; one for an ended command is dropped.
        for _, ev in self.poller.poll(0):
            if ev & select.POLLIN:
                head = self.cmd.readline().split()
                return head[0] == b"i" and head[1].decode() == self.seq
        return False

    def send(self, line):
        self.reply.write(line.encode() + b"\n")

    def load_state(self, st):
        # What a reset leaves of the hardware (replboard.py decides what that is).
        hw = self.hw
        clock = self.clock
        clock.us = st.get("us", 0)
        clock.epoch_s = st.get("epoch_s", 0)  # the RTC (machine.RTC, time.gmtime)
        if hw.rtc_module is not None and st.get("ds3231"):  # on its own cell: kept
            hw.rtc_module.base_s, hw.rtc_module.osf = st["ds3231"]
        hw.reset_cause = st.get("cause", fakemachine.PWRON_RESET)
        for k, v in enumerate(st.get("backup", ())):
            hw.backup[k] = v
        for p, m in st.get("mode", {}).items():
            hw.mode[_pin_key(p)] = m
        for p, v in st.get("level", {}).items():
            hw.level[_pin_key(p)] = v
        for p, v in st.get("pwm", {}).items():
            hw.pwm[int(p)] = v
        if st.get("wdt_left_us") is not None:
            hw.wdt_timeout_ms = st["wdt_ms"]
            clock.wdt_cause = fakemachine.WDT_RESET
            clock.wdt_deadline = clock.us + st["wdt_left_us"]
        hw.circuit.t = clock.us / 1e6
        hw.sync()
        clock.rebase()

    def state(self):
        hw = self.hw
        clock = self.clock
        left = None
        if clock.wdt_deadline is not None:
            left = clock.wdt_deadline - clock.us
        m = hw.rtc_module
        return {"us": clock.us, "epoch_s": clock.epoch_s, "cause": hw.reset_cause,
                "ds3231": [m.base_s, m.osf] if m is not None else None,
                "backup": list(hw.backup),
                "mode": {str(p): hw.mode[p] for p in hw.mode},
                "level": {str(p): hw.level[p] for p in hw.level},
                "pwm": {str(p): hw.pwm[p] for p in hw.pwm},
                "wdt_left_us": left, "wdt_ms": hw.wdt_timeout_ms}

    def install(self):
        fakemachine.hw = self.hw
        sys.modules["machine"] = fakemachine
        sys.modules["time"] = FakeTime(self.clock)
        sys.modules["os"] = BoardOs()
        sys.modules["sys"] = BoardSys(self.port, self.mpy)
        # The flash is the whole filesystem, "/" the current folder (as on rp2).
        os.umount("/")
        os.mount(os.VfsPosix(FLASH), "/")
        os.chdir("/")
        sys.path[:] = ["", ".frozen", "/lib"]

    def run(self, kind, name, src):
        status = "ok"
        err = None
        try:
            self.clock.catch_up()
            if kind == "f":
                try:
                    os.stat(name)
                except OSError:
                    name = None  # no such file: like an empty one (pyexec_file_if_exists)
                if name is not None:
                    with open(name) as f:
                        src = f.read()
                    self.g["__file__"] = name
                    exec(compile(src, name, "exec"), self.g)
            else:
                exec(compile(src, "<stdin>", kind), self.g)
        except SystemExit:
            status = "exit"  # pyexec: a forced exit, the board soft-resets
        except BoardReset as r:
            status = "reset:" + str(r.cause)
        except BaseException as e:  # noqa: BLE001 - the REPL reports every exception
            status = "exc"
            err = e
        self.clock.rebase()
        st = self.state()
        st["tb"] = "" if err is None else traceback(err)
        self.send("2 " + status + " " + json.dumps(st))

    def serve(self):
        while True:
            try:
                head = self.cmd.readline()
                if not head:
                    return
                op, seq, arg, n = head.decode().split()
                if op == "i":
                    continue  # Ctrl-C for a command that has ended
                self.seq = seq
                data = read_exact(self.cmd, int(n))
                if op == "s":
                    self.load_state(json.loads(data))
                    self.install()
                    v = sys.implementation.version
                    self.send("ready %d.%d.%d" % (v[0], v[1], v[2]))
                elif op == "f":
                    self.run("f", arg, None)
                else:
                    self.run(arg, None, data)
            except KeyboardInterrupt:
                # A Ctrl-C that came as the code ended: the host closes the block.
                self.send("K " + self.seq)


def traceback(e):
    s = io.StringIO()
    sys.print_exception(e, s)
    out = ""
    for line in s.getvalue().split("\n"):
        if line and not _hidden(line):
            out += line + "\n"
    return out


def _hidden(line):
    for h in _HIDE:
        if line.startswith("  " + h):
            return True
    return False


def main():
    cmd = open("/dev/fd/" + sys.argv[3], "rb")
    reply = open("/dev/fd/" + sys.argv[4], "wb")
    params = json.loads(sys.argv[8]) if len(sys.argv) > 8 else None
    Agent(cmd, reply, sys.argv[5], int(sys.argv[6]), sys.argv[7] == "1", params).serve()


main()

# The simulated board: the unchanged device code (boot.py, main.py, firmware/)
# running on the fake machine and the fake time, in CPython or in the
# MicroPython unix port. A watchdog expiry or machine.reset() resets the board
# (outputs undriven, reset_cause set) and boot.py and main.py run again; the
# person in the water (the circuit) carries on.
import gc
import json
import os
import sys

from tools.sim import fakemachine, tickcost
from tools.sim.circuit import Circuit
from tools.sim.clock import BoardReset, Clock, FakeTime, SimStop
from tools.sim.files import mkdirs, wipe
from tools.sim.heap import dismantle
from tools.sim.prng import Prng

_PURGE = ("boot", "main", "firmware", "lib", "ssd1306")


def _purged(name):
    # The device's modules: imported afresh at each boot.
    for p in _PURGE:
        if name == p or name.startswith(p + "."):
            return True
    return False


def _repo_root():
    here = __file__.replace("\\", "/").rsplit("/", 3)
    return here[0] if len(here) == 4 else "."


def _abspath(p):
    if p.startswith("/"):
        return p
    return os.getcwd() + "/" + p


def load_board(name, root):
    # Read a board description without leaving firmware modules imported:
    # those a description made from another imports (pico2.py: pico.py) go
    # again (a served board's flash brings its own, tools/sim/repl_agent.py).
    before = set(sys.modules)
    g = {}
    with open(root + "/firmware/boards/" + name + ".py") as f:
        exec(f.read(), g)
    for mod in [m for m in sys.modules if m not in before and m.split(".")[0] == "firmware"]:
        sys.modules.pop(mod)
    return g["BOARD"]


def _device_root():
    # Where the board's files come from: the sources, or the same compiled to
    # .mpy as a board loads them (tools/run_device_tests.py sets it for the
    # unix port, where compiling at each import needs heap a board does not).
    return os.getenv("IONTO_SIM_ROOT") or _repo_root()


class SimBoard:
    def __init__(self, board_name="pico", seed=1, params=None, flash_dir=None,
                 device_root=None, calibrated=True, log_hw=False, fresh=True, tick_cost=None):
        # tick_cost: the firmware's CPU time per control tick (tools/sim/tickcost.py):
        # None (free, only sleeps and hardware calls move the clock), us per tick,
        # or a cost model's name ("e72854b": measured per state on the RP2040).
        self.root = _abspath(device_root or _device_root())
        self.board = load_board(board_name, _abspath(device_root or _repo_root()))
        self.seed = seed
        self.clock = Clock()
        self.circuit = Circuit(self.board, seed, params)
        self.hw = fakemachine.Hardware(self.board, self.clock, self.circuit)
        if self.board.get("rtc") is not None:  # the optional DS3231 module (pico_rtc.py)
            from tools.sim.ds3231 import DS3231

            self.hw.rtc_module = DS3231(self.clock)  # new: its time not set (OSF)
        if log_hw:
            self.hw.log = []
        self.tick_cost = tickcost.check(tick_cost)
        self.hw.tick_cost = tickcost.make(tick_cost, seed, self._tick_state)
        self.flash = _abspath(flash_dir or ("build/sim_flash/" + board_name + "_" + str(seed)))
        mkdirs(self.flash)
        if fresh:
            # A new board: nothing left on this folder from an earlier run (a
            # journal, config, a running session's marker), only what follows.
            wipe(self.flash)
        self.write_file("board.txt", board_name + "\n")
        if calibrated:
            self.write_file("calibration.json", json.dumps(self.bench_calibration()))
        self.boots = 0
        self.resets = []  # (t_us, cause)
        self.crashes = []  # exceptions that escaped main.py
        # (t_us, tick) of the first sign of an injected fault that no reading
        # shows (tools/sim/faults.py raise_in: M5 counts from it), else None.
        self.evidence = None
        # Heap in use (bytes) as each boot starts, in the unix port: a test
        # that ran out of heap shows whether the last boot's objects stayed.
        self.heap_at_boot = []
        self.trace = []
        self.stopped = False
        self._status = None
        self._main = None  # the running main.py module (see _forget_main)
        self._booted_us = 0

    # ---- the flash ----
    def write_file(self, name, text):
        with open(self.flash + "/" + name, "w") as f:
            f.write(text)

    def read_file(self, name):
        try:
            with open(self.flash + "/" + name) as f:
                return f.read()
        except OSError:
            return None

    def read_bytes(self, name):
        try:
            with open(self.flash + "/" + name, "rb") as f:
                return f.read()
        except OSError:
            return None

    def bench_calibration(self):
        # What the calibration procedure finds on this simulated board: the
        # inverse of the model's ADC gain and offset, measured with a 0.2 %
        # multimeter (seeded). Stands in for `ionto calibrate` until it exists.
        rng = Prng(self.seed + 1000)
        cal = {"version": 1, "set": {"offset": 0, "gain_ppm": 1000000}}
        c = self.circuit
        for ch in ("current", "voltage", "rail", "battery"):
            meter = 1.0 + (rng.uniform() * 2 - 1) * 0.002
            cal[ch] = {"offset": c.adc_offset[ch], "gain_ppm": int(1e6 / c.adc_gain[ch] * meter)}
        return cal

    # ---- the person, the world ----
    def at(self, t_s, fn):
        # Schedule fn(board) at virtual time t_s.
        self.clock.at(int(t_s * 1000000), lambda clock: fn(self))

    def snapshot_at(self, t_s):
        # A dict that will hold sample() taken at t_s, once the run got there.
        out = {}
        self.at(t_s, lambda b: out.update(b.sample()))
        return out

    def press_button(self, t_s, hold_s, which="button"):
        # which: "button", or the optional "up" and "down" buttons.
        flag = which + "_down"
        self.at(t_s, lambda b: setattr(b.hw, flag, True))
        self.at(t_s + hold_s, lambda b: setattr(b.hw, flag, False))

    # ---- observation ----
    def status(self):
        mod = sys.modules.get("firmware.app")
        return mod.status if mod is not None else self._status

    def _tick_state(self):
        # The state a tick starts in, for a per-state cost model: the status
        # the last tick wrote (status[0], firmware/names.py STATUS), None
        # before the app's first.
        st = self.status()
        return st[0] if st is not None else None

    def sample(self):
        c = self.circuit
        c.update(self.clock.us / 1e6)
        row = {"t_s": self.clock.us / 1e6, "true_i_ua": int(c.i_ua),
               "true_i_avg_ua": int(c.i_avg_ua), "true_v_mv": int(c.electrode_mv()),
               "true_load_ohm": int(min(c.load_ohm(), 1e7)), "true_rail_mv": int(c.rail_mv()),
               "true_density_ua": int(c.density_ua()),
               "gate": c.gate, "tripped": c.tripped, "boots": self.boots}
        st = self.status()
        if st is not None:
            from firmware import names as firmware_names

            names = firmware_names.STATUS
            for k in range(len(names)):
                row[names[k]] = st[k]
        return row

    def record_every(self, every_s):
        self.clock.sample_us = int(every_s * 1000000)
        self.clock.next_sample = self.clock.us
        self.clock.observer = lambda: self.trace.append(self.sample())

    # ---- running ----
    def _install(self):
        self._saved = {}
        # The test's own firmware modules (imported before the run): never
        # taken apart at a reset (see _forget_last_boot).
        self._own = [m for name, m in sys.modules.items() if _purged(name)]
        for name in ("machine", "time"):
            self._saved[name] = sys.modules.get(name)
        import tools.sim.mpshim  # noqa: F401  (CPython: `micropython`)
        fakemachine.hw = self.hw
        sys.modules["machine"] = fakemachine
        sys.modules["time"] = FakeTime(self.clock)
        if self.root not in sys.path:
            sys.path.insert(0, self.root)
        if self.board.get("display"):  # its driver, where a board has it
            from tools.sim import oled

            oled.load_driver()

    def _uninstall(self, ended=False):
        # Keep the status array readable, then let the firmware's modules go:
        # a device-sized heap cannot hold two copies of them. A run that
        # ended is taken apart as at a reset (nothing of it runs again); a
        # call() is not (the caller may use what it returned).
        mod = sys.modules.get("firmware.app")
        if mod is not None:
            self._status = mod.status  # the array alone, not the app's module
        if ended:
            self._forget_last_boot()
        else:
            self._forget_main()
            self._purge()
        fakemachine.hw = None
        for name in self._saved:
            if self._saved[name] is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = self._saved[name]

    def _purge(self):
        for name in list(sys.modules):
            if _purged(name):
                del sys.modules[name]

    def _forget_last_boot(self):
        # At a reset: the last boot's modules and app are taken apart
        # (tools/sim/heap.py), then purged.
        app = None if self._main is None else self._main.__dict__.get("app")
        mods = [m for name, m in sys.modules.items()
                if _purged(name) and not any(m is own for own in self._own)]
        self._forget_main()
        dismantle(mods, [app])
        self._purge()

    def _catch_main(self, clock):
        # main.py is in sys.modules while it runs (the app's loop is inside its
        # import); boot.py's first pin calls come before it: look again.
        m = sys.modules.get("main")
        if m is not None:
            self._main = m
        elif clock.us < self._booted_us + 1000000:  # (main.py may fail before it runs)
            clock.at(clock.us + 1, self._catch_main)

    def _forget_main(self):
        # A reset or the end unwinds main.py's import; the unix port then
        # still holds its globals (and through `app` the whole firmware) for
        # a while: a device-sized heap cannot hold two. Let them go now.
        if self._main is not None:
            self._main.__dict__.clear()
            self._main = None

    def _boot_once(self):
        self.boots += 1
        self._forget_last_boot()  # (at the first boot: only the test's own modules, kept)
        # A real reset starts with an empty heap; here the last boot's objects
        # are garbage: collect them before the new boot allocates (the unix
        # port's 192K heap also holds the model). CPython frees them by
        # reference counting; a full collection there scans every object of
        # the process (tens of ms in a test run) for nothing.
        if hasattr(gc, "mem_alloc"):  # MicroPython
            gc.collect()
            self.heap_at_boot.append(gc.mem_alloc())
        __import__("boot")
        self._booted_us = self.clock.us
        self.clock.at(self.clock.us, self._catch_main)
        __import__("main")  # runs the app; returns only in safe mode

    def call(self, fn):
        # Run fn() with the fake machine and time installed, in the flash dir
        # (for tests that drive device modules directly).
        cwd = os.getcwd()
        self._install()
        # Firmware modules imported before (through a relative path, say)
        # would be looked up from the wrong folder once in the flash dir.
        self._purge()
        os.chdir(self.flash)
        try:
            return fn()
        finally:
            os.chdir(cwd)
            self._uninstall()

    def boot_only(self):
        # Run boot.py alone, as after a reset (tests of SR-1).
        def go():
            self._purge()
            __import__("boot")
        self.call(go)

    def run(self, seconds):
        # Run until virtual time `seconds` (from the start of the simulation).
        # Once: the stop unwinds the firmware's stack, which cannot be resumed;
        # look inside a run with at() events or record_every().
        if self.stopped:
            raise RuntimeError("a simulated board runs once: schedule checks with at()")
        self.clock.end_us = int(seconds * 1000000)
        cwd = os.getcwd()
        self._install()
        os.chdir(self.flash)
        try:
            self._loop()
        finally:
            os.chdir(cwd)
            self._uninstall(ended=True)
        return self

    def _loop(self):
        fresh = True
        while True:
            try:
                if fresh:
                    self._boot_once()
                fresh = True
                while True:  # main.py returned (safe mode) or crashed: the REPL
                    self.clock.advance(1000)
            except BoardReset as r:
                self.resets.append((self.clock.us, r.cause))
                self.hw.power_on()
                self.hw.reset_cause = r.cause
            except SimStop:
                self.stopped = True
                return
            except Exception as e:  # noqa: BLE001 - the firmware crashed to the REPL
                self.crashes.append(e)
                if isinstance(e, MemoryError):  # the test's output says how full it was
                    print("sim: MemoryError; heap in use as each boot started:",
                          self.heap_at_boot)
                fresh = False
                try:
                    while True:  # at the REPL; on rp2 a running WDT resets it
                        self.clock.advance(1000)
                except BoardReset as r:
                    self.resets.append((self.clock.us, r.cause))
                    self.hw.power_on()
                    self.hw.reset_cause = r.cause
                    fresh = True
                except SimStop:
                    self.stopped = True
                    return

# Fault injection on the simulated board: what can go wrong in the circuit, the
# sensors, the relay, the power, the loop's timing and the firmware's own code.
# Each injector is fn(board, arg) and acts at once; the fault matrix
# (host_tests/device/fault_matrix.py) says when. Runs in CPython and in the
# MicroPython unix port.
import sys

from tools.sim import fakemachine
from tools.sim.clock import BoardReset


def stuck(b, arg):
    # A sensor channel reads one code whatever flows (arg: (channel, code),
    # 12-bit codes: 4095 = pinned at full scale, 0 = pinned at zero).
    ch, code = arg
    b.circuit.stuck[ch] = code


def frozen(b, ch):
    # A channel repeats its next reading for ever (a hung ADC mux, a broken
    # sample and hold).
    b.circuit.frozen[ch] = None


def sink_extra(b, ua):
    # The sink passes this many uA more than it is set to (a failing transistor,
    # a drifting op-amp): an overcurrent or a surge, as large as given.
    b.circuit.sink_extra_ua = float(ua)


def load(b, ohm):
    # The load becomes this many Ohm from now (large wet feet, a damp towel
    # across the trays: a low load that is no short yet, SR-13).
    p = b.circuit.p
    p["skin_start_ohm"] = p["skin_end_ohm"] = float(ohm) - p["series_ohm"]


def leak(b, ua):
    # Current that flows with the output switch off (a leaking switch).
    b.circuit.leak_ua = float(ua)


def contact(b, what):
    # The person: "lift", "reimmerse", "press", "short" (measures.md events).
    c = b.circuit
    if what == "press":
        c.press(30.0)
    else:
        getattr(c, what)()


def trip(b, stuck_latch):
    # The comparator's latch trips; stuck_latch: its reset pulse does nothing.
    b.circuit.force_trip = True
    b.circuit.trip_stuck = stuck_latch


def relay(b, mode):
    # The relay's contacts: "stuck" (do not follow the coil), "open" (open the
    # circuit at the next switch).
    b.circuit.relay_fault = mode


def battery(b, arg):
    # The pack drops to mv and then sags by sag_mv_s per second.
    mv, sag_mv_s = arg
    b.circuit.battery_mv = float(mv)
    b.circuit.battery_sag_mv_per_s = float(sag_mv_s)


def usb(b, present):
    b.hw.usb_present = present


def button(b, down):
    b.hw.button_down = down


def press(b, seconds):
    # The person presses the button from now for this long (50 ms - 1 s: pause
    # or resume; 2 s: stop, acknowledge).
    b.press_button(b.clock.us / 1e6, seconds)


def corrupt_files(b, _):
    # S15: a calibration cut short and a config of garbage.
    b.write_file("calibration.json", '{"version": 1, "current": {"offset": 3')
    b.write_file("config.json", "\x00\x01garbage")


def slow_ticks(b, arg):
    # The next n ticks each take extra_us longer (a slow flash, a long GC).
    n, extra_us = arg
    cls = sys.modules["firmware.app"].App
    real = cls.tick
    count = [0]

    def tick(self, now_us):
        due = real(self, now_us)  # 1: a slow job after it (App.job)
        if count[0] < n:
            count[0] += 1
            sys.modules["time"].sleep_us(extra_us)
        else:
            cls.tick = real
        return due

    cls.tick = tick


def hang(b, seconds):
    # The loop hangs in its next sleep (S11) for this long; only the watchdog
    # can end it.
    b.clock.hang = True
    b.clock.hang_us = b.clock.us
    b.at(b.clock.us / 1e6 + seconds, lambda b: setattr(b.clock, "hang", False))


def _module(name):
    m = sys.modules.get(name)
    if m is None:
        # Loaded on demand by the firmware (firmware/journal.py, startup code):
        # load it now; the firmware's own import then finds this one.
        __import__(name)
        m = sys.modules[name]
    return m


def _place(path):
    # "firmware.session:Session.step" -> (object holding it, attribute name)
    module, name = path.split(":")
    obj = _module(module)
    parts = name.split(".")
    for p in parts[:-1]:
        obj = getattr(obj, p)
    return obj, parts[-1]


def replace(path, fn):
    # The named function becomes fn; the running app binds its every-tick
    # calls again (App.bind: it holds them bound, not looked up by name).
    obj, name = _place(path)
    setattr(obj, name, fn)
    app = getattr(sys.modules.get("main"), "app", None)
    if app is not None:
        app.bind()


class Injected(Exception):
    pass


def raise_in(b, path):
    # The named function raises from its next call on (until the board
    # resets: a reboot imports the firmware afresh). The first raise is the
    # first evidence of the fault (M5 counts from it: a function of a slow
    # job is called every few ticks, not in the tick after the injection).
    def boom(*args, **kwargs):
        if b.evidence is None:
            b.evidence = (b.clock.us, b.hw.current_reads)
        raise Injected("injected into " + path)

    replace(path, boom)


def hang_in(b, path):
    # The named function never returns from its next call on (an endless
    # loop, a deadlock, a flash write that never completes): it spins on the
    # fake clock, so only the watchdog ends it. A reboot imports the firmware
    # afresh, without it.
    clock = b.clock

    def spin(*args, **kwargs):
        clock.hang_us = clock.us
        while True:
            clock.advance(1000)

    replace(path, spin)


def power_cut_in(b, path):
    # S16: the power goes while the named file-writing function writes: it
    # writes the first half of what it would have written, then the board
    # loses power (every output undriven, RAM lost) and boots again.
    import json

    def cut(*args):
        if path.endswith("append"):  # journal.append(record, folder)
            folder = args[1] if len(args) > 1 else ""
            line = json.dumps(args[0]) + "\n"
            with open(folder + "journal.jsonl", "a") as f:
                f.write(line[: len(line) // 2])
        else:  # journal.save_trace(trace, session_id, folder)
            folder = args[2] if len(args) > 2 else ""
            with open(folder + "trace0.bin.tmp", "wb") as f:
                f.write(b"IOT1\x01")
        raise BoardReset(fakemachine.PWRON_RESET)

    replace(path, cut)

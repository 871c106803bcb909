# M6 and M7 of measures.md for one firmware tree, inside the MicroPython unix
# port, with the real firmware/hal.py on tools/sim/benchmachine.py (so the
# hal's own cost is measured, as on the chip). Run from the repository root:
#   micropython -X heapsize=192K tools/sim/bench_tick.py TREE FLASH N M6_TICKS REVERSE
# TREE: a folder with the tree's firmware/ as .mpy (tools/ionto/m7.py builds it);
# FLASH: an empty folder, the board's flash root (calibration, config, journal);
# N: ticks per timed round (5 rounds per state, between reference ticks);
# M6_TICKS: ticks of the allocation count per state; REVERSE: 1 to reach the
# midway reversal (about 300,000 ticks more), 0 to leave it out.
# Prints one JSON line: per state the app tick and the reference tick (us in
# this port), their ratio, the slowest class of ticks, the bytes allocated (M6);
# and the period's work: the tick and the slow job after it (App.job, which
# e72854b has not: its tick ran everything), their ratio, its slowest class.
import gc
import json
import os
import sys
import time
from array import array

import micropython

_ROOT = os.getcwd()
sys.path.insert(0, _ROOT)
from tools.sim import benchmachine as bm  # noqa: E402

N = 1  # ticks per timed round, M6's ticks, the reversal: main() sets them
M6_TICKS = 0
REVERSE = False


def setup(tree, flash):
    # The tree's firmware on the real hal over benchmachine, the board's flash
    # root in `flash` (tools/sim/tick_instr.py imports this module and calls it).
    sys.modules["machine"] = bm  # e72854b's firmware/hal.py imports machine
    sys.path.insert(0, tree if tree.startswith("/") else _ROOT + "/" + tree)
    os.chdir(flash)

HAND = 3300  # Ohm: 15 mA at 49.5 V, inside the 58 V rail's compliance
PERIOD_US = 1000
ROUNDS = 5
REF_TIMES = 10  # reference ticks per app tick in a round (about as long)
WARM = 16  # untimed ticks before each timed round
LEFT_TICKS = 32  # ticks with the collector off (M6's garbage: 192K heap)
# A window this long was the host interrupting (another process, the kernel),
# not the code in it: left out, and counted. The reference tick takes under
# 1 us here; the app's cut is CUT_TIMES x the round's median tick + CUT_US, a
# job's CUT_TIMES x the fastest of its class (its slot) + CUT_US (a collection
# on the 192K heap, tens of us, is cut too: M6's m6_left_bytes shows garbage
# instead).
CUT_REF_US = 20
CUT_TIMES = 4
CUT_US = 5
SLOW_MOD = 32  # slow jobs come every 16th or 32nd tick (e72854b: 4th, 8th)
# The session's own states (firmware/states.py), in the order the run meets them.
IDLE, RAMP_UP, TREAT, PAUSED, REVERSING = 0, 2, 3, 4, 5


def _flash():
    # A calibrated board (as tools/sim/bench_device.py writes it) and the
    # shortest session (10 min), so the midway reversal comes after 5 min.
    cal = {"version": 1}
    for ch in ("current", "voltage", "rail", "battery", "set"):
        cal[ch] = {"offset": 0, "gain_ppm": 1000000}
    with open("calibration.json", "w") as f:
        f.write(json.dumps(cal))
    with open("config.json", "w") as f:
        f.write(json.dumps({"profile": 0, "duration_ms": 600000}))


def _nop_now(now):
    pass


def _nop():
    pass


def _run(tick, n, now, api_now, settle, job=None):
    # Ticks at 1 kHz of synthetic time, each with the slow job after it (job:
    # App.job, None for e72854b or an empty tick), the bath settling between
    # them. Allocates nothing per tick (M6 counts the same loop with a no-op
    # tick and subtracts).
    ta = time.ticks_add
    if job is not None:
        for _ in range(n):
            if tick(now):  # as App.run: the job only after a tick that says so
                job()
            settle()
            now = ta(now, PERIOD_US)
    elif api_now:
        for _ in range(n):
            tick(now)
            settle()
            now = ta(now, PERIOD_US)
    else:
        for _ in range(n):
            tick()
            settle()
            now = ta(now, PERIOD_US)
    return now


def _time_now(tick, n, now, buf, settle, job, jbuf):
    # One duration per tick, the tick alone inside the window (the bath is not);
    # then the job after it in a window of its own (jbuf).
    tu = time.ticks_us
    td = time.ticks_diff
    ta = time.ticks_add
    for j in range(n):
        t0 = tu()
        due = tick(now)
        t1 = tu()
        if due:
            job()
        jbuf[j] = td(tu(), t1)
        buf[j] = td(t1, t0)
        settle()
        now = ta(now, PERIOD_US)
    return now


def _time_old(tick, n, now, buf, settle):
    # e72854b's API: tick() without the time (the same loop otherwise).
    tu = time.ticks_us
    td = time.ticks_diff
    ta = time.ticks_add
    for j in range(n):
        t0 = tu()
        tick()
        buf[j] = td(tu(), t0)
        settle()
        now = ta(now, PERIOD_US)
    return now


def _count_now(tick, n, now, settle, job=_nop):
    # M6: the bytes allocated inside the windows of the ticks and their jobs,
    # summed (no allocation of its own: mem_total and the sums are small integers).
    mt = micropython.mem_total
    ta = time.ticks_add
    total = 0
    for _ in range(n):
        m0 = mt()
        if tick(now):
            job()
        total += mt() - m0
        settle()
        now = ta(now, PERIOD_US)
    return total, now


def _count_old(tick, n, now, settle):
    mt = micropython.mem_total
    ta = time.ticks_add
    total = 0
    for _ in range(n):
        m0 = mt()
        tick()
        total += mt() - m0
        settle()
        now = ta(now, PERIOD_US)
    return total, now


def _time_total(tick, n, now, cut):
    # The same window, summed (the reference tick), less the windows the host
    # interrupted (cut us or longer); returns (total us, windows kept).
    tu = time.ticks_us
    td = time.ticks_diff
    total = 0
    kept = 0
    for _ in range(n):
        t0 = tu()
        tick(now)
        d = td(tu(), t0)
        if d < cut:
            total += d
            kept += 1
    return total, kept


# The tick's parts, each timed alone in treatment (docs/testing.md's budget):
# name, the object (app, hal, sup, reg, ind: the LED and buzzer), the method, its arguments. A tree
# without a part (e72854b) leaves it out. Each is timed beyond an empty
# function's call with as many arguments (the harness's loop and the call
# itself). Every dt is 0: the same code runs, and no window moves (the
# readings do not change between these calls: a frozen-reading window that
# moved would latch).
PARTS = (
    ("hal.sense", "hal", "sense", ()),
    ("sup.check", "sup", "check", (15000, 49500, 15000, 0)),
    ("reg.target_ua", "reg", "target_ua", ()),
    ("reg.step", "reg", "step", (15000, 6000, 0)),
    ("sup.drive", "sup", "drive", (3, 1, 15000)),
    ("press (every 16)", "app", "_press", (0,)),
    ("decide (every 16)", "app", "_decide", (0,)),
    ("guard (every 16)", "app", "_guard_step", (0,)),
    ("adjust (every 16)", "app", "_adjust", (0,)),
    ("observe (every 16)", "app", "_observe", (0,)),
    ("indicate (every 32)", "ind", "led", (0,)),
    ("record (every 32)", "app", "_record", (0,)),
    ("buzzer (every 32)", "ind", "buzzer", ()),
    ("report (every 32)", "app", "_report", ()),
)
PART_CALLS = 1000


def _nop0():
    pass


def _nop1(a):
    pass


def _nop3(a, b, c):
    pass


def _nop4(a, b, c, d):
    pass


_NOPS = {0: _nop0, 1: _nop1, 3: _nop3, 4: _nop4}


def _time_calls(f, args, n):
    # n calls of f(*args), us in all (the arguments unpacked once: no tuple
    # is built per call).
    tu = time.ticks_us
    t0 = tu()
    if len(args) == 0:
        for _ in range(n):
            f()
    elif len(args) == 1:
        a = args[0]
        for _ in range(n):
            f(a)
    elif len(args) == 3:
        a, b, c = args
        for _ in range(n):
            f(a, b, c)
    else:
        a, b, c, d = args
        for _ in range(n):
            f(a, b, c, d)
    return time.ticks_diff(tu(), t0)


def _median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


class Bench:
    def __init__(self):
        import firmware
        from firmware.boards import load

        _flash()
        board = load("pico")
        self.board = board
        bm.bath.setup(board, HAND)
        if hasattr(firmware, "job"):  # as main.py does: the loop's modules first
            import firmware.app
            import firmware.hal

            # the real hal, on benchmachine
            self.app = firmware.job("startup", "board_app", bm, board, False)
        else:  # an older tree (e72854b): startup released by hand
            from firmware import startup

            self.app = startup.board_app(board, False)
            del startup
            if hasattr(firmware, "release"):
                firmware.release("startup")
        self.app.sup.start_watchdog()
        self.settle = bm.bath.settle
        self.now = time.ticks_us()
        # The API, once: tick(now_us) (the rework) or tick() (e72854b). A tick
        # that takes no argument raises TypeError before its body runs.
        try:
            self.app.tick(self.now)
            self.api_now = True
        except TypeError:
            self.app.tick()
            self.api_now = False
        # The slow job after each tick (App.job); e72854b's tick ran its own.
        self.job = getattr(self.app, "job", None)
        if self.job is not None:
            self.job()  # (it runs once a tick, and only in a job's slot)
        self.count = 1  # ticks run (the firmware's own tick count)
        self.settle()
        self.now = time.ticks_add(self.now, PERIOD_US)
        b = board
        self.ref = bm.RefTick(bm.adc(b["pin_adc_current"]), bm.adc(b["pin_adc_voltage"]),
                           bm.pwm(b["pin_set"]), bm.wdt())
        self.set_pwm = bm.pwm(b["pin_set"])
        self.buf = array("i", [0] * N)  # this round's ticks, us
        # The jobs after them, us (0: e72854b); a copy, not a list of N (192K heap).
        self.jbuf = array("i", self.buf)
        # For the round's median tick, sorted in place: a list of N made once (a
        # new one each round failed to find 8 KB in the fragmented 192K heap).
        self.scratch = [0] * N
        self.jmin = array("i", [0] * SLOW_MOD)  # each job class's fastest in a round
        duty = self.set_pwm.duty_u16()
        _time_total(self.ref.tick, 20 * N, 0, CUT_REF_US)  # the host's CPU up to speed
        self.set_pwm.duty_u16(duty)

    def state(self):
        return self.app.status[0]  # firmware/names.py STATUS: the state first

    def ticks(self, n):
        self.now = _run(self.app.tick, n, self.now, self.api_now, self.settle, self.job)
        self.count += n

    def until(self, state, limit):
        done = 0
        while self.state() != state and done < limit:
            self.ticks(100)
            done += 100
        return self.state() == state

    def measure(self, state):
        # gc.collect() first, as the firmware does before its loop (platform.md).
        # ROUNDS rounds, each the app's N ticks between two halves of REF_TIMES x N
        # reference ticks (about as long): a host that slows down for a while
        # slows both, and the round's ratio stands. The median round counts.
        # The tick (M7) and the period's work (the tick and its job) each.
        gc.collect()
        app_tick = self.app.tick
        ref_tick = self.ref.tick
        buf = self.buf
        jbuf = self.jbuf
        m = REF_TIMES * N // 2
        # Per tick count modulo SLOW_MOD: a periodic slow tick (the slow
        # readings every 16th tick) shows in its class's mean. (A single tick
        # cannot be timed: the clock counts whole us, a fast tick is ~2 us here.)
        cls_sum = [0] * SLOW_MOD
        cls_n = [0] * SLOW_MOD
        work_sum = [0] * SLOW_MOD
        work_n = [0] * SLOW_MOD
        interrupted = 0
        stayed = True  # in the state throughout
        apps = []
        refs = []
        ratios = []
        work_ratios = []
        for _ in range(ROUNDS):
            # The window's own cost (two clock reads), taken off both.
            t, k = _time_total(_nop_now, N, 0, CUT_REF_US)
            w = t / k
            duty = self.set_pwm.duty_u16()  # the reference drives the same PWM
            t, k = _time_total(ref_tick, m, 0, CUT_REF_US)
            self.set_pwm.duty_u16(duty)
            self.ticks(WARM)  # the first tick after the reference finds cold caches
            c0 = self.count
            if self.api_now:
                self.now = _time_now(app_tick, N, self.now, buf, self.settle,
                                     self.job or _nop, jbuf)
            else:
                self.now = _time_old(app_tick, N, self.now, buf, self.settle)
            self.count += N
            duty = self.set_pwm.duty_u16()
            t2, k2 = _time_total(ref_tick, m, 0, CUT_REF_US)
            self.set_pwm.duty_u16(duty)
            interrupted += 2 * m - k - k2
            ref = (t + t2) / (k + k2) - w
            stayed = stayed and self.state() == state
            scratch = self.scratch
            for j in range(N):
                scratch[j] = buf[j]
            scratch.sort()
            cut = CUT_TIMES * scratch[N // 2] + CUT_US
            # A job's cut by its class (each class runs one kind of job): a
            # window over CUT_TIMES x the class's fastest was interrupted.
            jmin = self.jmin
            for c in range(SLOW_MOD):
                jmin[c] = 1 << 30
            for j in range(N):
                c = (c0 + j) % SLOW_MOD
                if jbuf[j] < jmin[c]:
                    jmin[c] = jbuf[j]
            jw = w if self.job is not None else 0  # a job window's own cost
            total = 0
            n = 0
            work = 0
            nw = 0
            for j in range(N):
                d = buf[j]
                c = (c0 + j) % SLOW_MOD
                if d < cut:
                    total += d
                    n += 1
                    cls_sum[c] += d
                    cls_n[c] += 1
                    if jbuf[j] < CUT_TIMES * jmin[c] + CUT_US:
                        work += d + jbuf[j] - jw
                        nw += 1
                        work_sum[c] += d + jbuf[j] - jw
                        work_n[c] += 1
            interrupted += N - nw
            app = total / n - w
            apps.append(app)
            refs.append(ref)
            ratios.append(app / ref)
            work_ratios.append((work / nw - w) / ref)
        mean = sum(cls_sum) / sum(cls_n)
        slowest = max(cls_sum[c] / cls_n[c] for c in range(SLOW_MOD) if cls_n[c])
        wmean = sum(work_sum) / sum(work_n)
        wslowest = max(work_sum[c] / work_n[c] for c in range(SLOW_MOD) if work_n[c])
        out = {"state": self.state(), "app_us": _median(apps), "ref_us": _median(refs),
               "ratio": _median(ratios), "ratio_rounds": ratios, "window_us": w,
               "slow_class_pct": 100 * (slowest - mean) / (mean - w), "interrupted": interrupted,
               "work_ratio": _median(work_ratios),
               "work_slow_class_pct": 100 * (wslowest - wmean) / (wmean - w)}
        out["m6_bytes"] = self.alloc(M6_TICKS)
        out["m6_ticks"] = M6_TICKS
        out["m6_left_bytes"] = self.left(LEFT_TICKS)
        out["m6_left_ticks"] = LEFT_TICKS
        out["stayed"] = stayed and self.state() == state
        return out

    def parts(self):
        # Each part's cost in reference ticks (median of ROUNDS rounds), less
        # an empty function's call with as many arguments.
        app = self.app
        objs = {"app": app, "hal": app.hal, "sup": app.sup, "reg": app.reg,
                "ind": getattr(app, "ind", None)}
        out = {}
        for name, obj, meth, args in PARTS:
            f = getattr(objs[obj], meth, None)
            if f is None:
                continue
            ratios = []
            for _ in range(ROUNDS):
                gc.collect()
                t, k = _time_total(self.ref.tick, PART_CALLS, 0, CUT_REF_US)
                ref = t / k
                base = _time_calls(_NOPS[len(args)], args, PART_CALLS)
                used = _time_calls(f, args, PART_CALLS)
                ratios.append((used - base) / PART_CALLS / ref)
            out[name] = _median(ratios)
        self.ticks(100)  # back to ticking before the next state
        return out

    def alloc(self, n):
        # M6 with frames: every byte allocated inside n ticks (the unix port's
        # micropython.mem_total counts a heap frame freed on return too), less
        # what the same loop counts around a tick that does nothing. The bath
        # is outside the count (its own frames are the harness's, not the tick's).
        gc.collect()
        if self.api_now:
            base = _count_now(_nop_now, n, self.now, self.settle)[0]
            used, self.now = _count_now(self.app.tick, n, self.now, self.settle,
                                        self.job or _nop)
        else:
            base = _count_old(_nop, n, self.now, self.settle)[0]
            used, self.now = _count_old(self.app.tick, n, self.now, self.settle)
        self.count += n
        return used - base

    def left(self, n):
        # Of it, what stays on the heap until a collection (not a frame freed
        # on return): a collection in the loop costs ms on the chip.
        # A few ticks only: the collector is off meanwhile.
        tick = self.app.tick
        gc.collect()
        gc.disable()
        try:
            a0 = gc.mem_alloc()
            self.now = _run(tick, n, self.now, self.api_now, self.settle, self.job)
            return gc.mem_alloc() - a0
        except MemoryError:
            return -1
        finally:
            gc.enable()
            self.count += n


def to_ramp(b):
    # From idle: the start gesture (hold 2.1 s, release), the checks (200 ms),
    # contact (100 ms), then 1 s into the ramp (0.5 mA/s: 30 s to 15 mA).
    bm.pin(b.board["pin_button"]).val = 0  # pressed (to GND)
    b.ticks(2100)
    bm.pin(b.board["pin_button"]).val = 1  # released: the start
    ok = b.until(RAMP_UP, 5000)
    b.ticks(1000)
    return ok


def to_treat(b):
    ok = b.until(TREAT, 60000)
    b.ticks(1000)
    return ok


def to_paused(b):
    bm.bath.load_ohm = 0  # the hand lifted: contact lost after 50 ms
    ok = b.until(PAUSED, 5000)
    b.ticks(1000)
    return ok


def reach(b, state):
    # A fresh Bench to `state` (idle, ramp up, treatment, paused) as main()
    # goes through them; True when it is there.
    b.ticks(1000)  # the button is armed after 500 ms released
    steps = {IDLE: (), RAMP_UP: (to_ramp,), TREAT: (to_ramp, to_treat),
             PAUSED: (to_ramp, to_treat, to_paused)}[state]
    for step in steps:
        if not step(b):
            return False
    return b.state() == state


def main():
    b = Bench()
    out = {"api": "tick(now_us)" if b.api_now else "tick()", "n": N, "rounds": ROUNDS,
           "states": {}, "reached": {}}
    states = out["states"]
    b.ticks(1000)  # the button is armed after 500 ms released
    states["idle"] = b.measure(IDLE)
    out["reached"]["ramp_up"] = to_ramp(b)
    states["ramp_up"] = b.measure(RAMP_UP)
    out["reached"]["treat"] = to_treat(b)
    states["treat"] = b.measure(TREAT)
    if b.api_now:
        out["parts_treat"] = b.parts()
    if REVERSE:
        # Midway: half the 10 min of current-on time, then 15 s down to zero.
        out["reached"]["reversing"] = b.until(REVERSING, 400000)
        if out["reached"]["reversing"]:
            b.ticks(200)
            states["reversing"] = b.measure(REVERSING)
            b.until(RAMP_UP, 30000)
    out["reached"]["paused"] = to_paused(b)
    states["paused"] = b.measure(PAUSED)
    gc.collect()
    out["heap_used"] = gc.mem_alloc()
    print(json.dumps(out))


if __name__ == "__main__":
    N, M6_TICKS, REVERSE = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
    setup(sys.argv[1], sys.argv[2])
    main()

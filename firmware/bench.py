# Bench mode, for the console (calibration and checks): current into a bench
# resistor through the app's own loop, so every rule of a session holds: the
# pre-session checks (SR-9 zero reading, SR-16 battery, rail), the supervisor
# alone switches the output on (SR-2) with the watchdog running (SR-3) and
# every check on every tick, the ramps (SR-8), and the button stops it.
# Two differences from a treatment, both reported in the result: USB power is
# allowed (SR-17: "calibration into a bench resistor is allowed, marked as
# such") and an uncalibrated board may run (a calibration needs current).
# Records go to bench_journal.jsonl and bench_trace0-3.bin, never to the
# treatment journal. Loaded by firmware/console.py only, never at boot (M8).
import time

from micropython import const

from firmware import limits, names, states
from firmware.app import App
from firmware.journal import BENCH_PREFIX
from firmware.session import END_NO_CONTACT, END_TIMER, POLARITY_NONE

_CHUNK = const(10)  # ticks run between two samples (times come from the clock)
_SETTLE_MS = const(1000)
_CONTACT_WAIT_MS = const(5000)  # no resistor connected: give up after this
_ENDED = (states.IDLE, states.DONE, states.FAULT)  # refused, over, or faulted: output off


def run(hal, board, calibrated, set_ua, seconds):
    # set_ua and seconds are checked by the caller (firmware/console.py). Runs
    # for a bounded time (ramp up, `seconds` at the set point, ramp down) and
    # returns the means over the hold. The output is off when it returns, and
    # off if anything escapes (Ctrl-C included, SR-1).
    app = _start(hal, board, set_ua, seconds)
    try:
        sums = _hold(app, set_ua, seconds)
    finally:
        hal.output_off()
    return _result(app, calibrated, set_ua, seconds, sums)


def _start(hal, board, set_ua, seconds):
    # The app, in the CHECKS state, as on the release of a 2 s hold.
    import gc

    gc.collect()  # the trace's 2.7 KB come in one piece: collect before
    b = dict(board)
    b["usb_treatment"] = True  # SR-17: allowed on the bench, reported as "usb"
    app = App(hal, b, True, journal_dir=BENCH_PREFIX)
    app.ses.configure(set_ua, (seconds + 60) * 1000, POLARITY_NONE)  # the bench ends it first
    app.reg.set_rates(limits.RAMP_UP_MAX_UA_S, limits.RAMP_DOWN_UA_S)  # SR-8's fastest
    hal.set_pulsed(0, 50)  # DC
    app.sup.new_session()
    app.ses.begin(None, 0)  # no start time, no SR-22 warning: a bench run
    app.trace.start()
    return app


def _hold(app, set_ua, seconds):
    # The app's loop until the session ends: the sums of the readings over the
    # hold (after _SETTLE_MS at the set point) and how long it was held.
    hal = app.hal
    ses = app.ses
    hold_ms = seconds * 1000
    # Bounds: the contact wait, the ramp up, the hold, then the ramp down.
    stop_ms = _CONTACT_WAIT_MS + set_ua * 1000 // limits.RAMP_UP_MAX_UA_S + hold_ms + 1000
    end_ms = stop_ms + set_ua * 1000 // limits.RAMP_DOWN_UA_S + 1000
    s = app.status
    # The status fields by name (firmware/names.py STATUS is their order).
    i_at, v_at, duty_at = (names.STATUS.index("i_ua"), names.STATUS.index("v_mv"),
                           names.STATUS.index("duty"))
    t = held = n = si = sv = sci = scv = sd = 0
    stopped = False
    t0 = last = time.ticks_ms()
    while True:
        app.run(_CHUNK)
        now = time.ticks_ms()
        step = time.ticks_diff(now, last)
        last = now
        t = time.ticks_diff(now, t0)
        state = ses.state
        if state in _ENDED:
            if not ses.unjournaled or t >= end_ms:
                break  # journaled by the app's record job (every 32 ticks)
            continue
        if state == states.TREAT:
            held += step
            if held > _SETTLE_MS:
                n += 1
                si += s[i_at]
                sv += s[v_at]
                sci += hal.code_i
                scv += hal.code_v
                sd += s[duty_at]
        if stopped:
            if t >= end_ms:
                break  # the hard bound: run()'s finally switches off
        elif held >= hold_ms or t >= stop_ms:
            ses.stop(END_TIMER)
            stopped = True
        elif state == states.WAIT_CONTACT and t >= _CONTACT_WAIT_MS:
            ses.stop(END_NO_CONTACT)
            stopped = True
    return held, n, si, sv, sci, scv, sd


def _result(app, calibrated, set_ua, seconds, sums):
    held, n, si, sv, sci, scv, sd = sums
    ses = app.ses
    i = si // n if n else 0
    v = sv // n if n else 0
    return {"bench": True, "set_ua": set_ua, "seconds": seconds, "held_ms": held,
            "n": n, "i_ua": i, "v_mv": v, "load_ohm": v * 1000 // i if i >= 100 else 0,
            "code_i_sum": sci, "code_v_sum": scv, "duty": sd // n if n else 0,
            "charge_mas": ses.charge_mas, "state": names.STATES[ses.state],
            "end": names.ENDS[ses.end_reason], "fault": names.FAULTS[app.sup.fault],
            "refusal": names.REFUSALS[ses.refusal], "calibrated": calibrated,
            "usb": app.hal.usb_present(), "overruns": app.status[names.STATUS.index("overruns")]}

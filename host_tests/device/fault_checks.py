# The checks of each outcome of the fault matrix (fault_matrix.py explains
# them), on a finished run of fault_support.py: loaded after the run, so that
# the unix port's 192K heap holds the simulated board without them.
import json

from fault_support import (
    _FAULT,
    _IN_SESSION,
    _OVERRUNS,
    _STATE,
    DONE,
    FAULT,
    IDLE,
    PAUSED,
    RAMP_UP,
    REVERSING,
    SET_UA,
)

from firmware import names


def check(r):
    # The checks of the run's outcome (fault_support.run).
    globals()["check_" + r.outcome](r, r.b)


def journal(b):
    # (valid records, torn lines) of journal.jsonl on the sim flash.
    recs = []
    torn = 0
    for line in (b.read_file("journal.jsonl") or "").split("\n"):
        if line:
            try:
                recs.append(json.loads(line))
            except ValueError:
                torn += 1
    return recs, torn


def blinks(edges, t_end, slot_on):
    # The LED's groups of blinks, from its edges [(t_us, level)], the first the
    # level at the start: the sizes of the groups seen whole (dark for 1.5 s on
    # both sides), and the length of each blink in them, in ms.
    slot, on = slot_on
    runs = []
    t_on = None
    for t, level in edges[1:]:
        if level:
            t_on = t
        elif t_on is not None:
            runs.append((t_on, t))
            t_on = None
    sizes = []
    lengths = []
    k = 0
    dark = 1500000
    while k < len(runs):
        j = k
        while j + 1 < len(runs) and runs[j + 1][0] - runs[j][1] < 1000000:
            j += 1
        before = runs[k][0] - (runs[k - 1][1] if k else edges[0][0])
        after = (runs[j + 1][0] if j + 1 < len(runs) else t_end) - runs[j][1]
        if before >= dark and after >= dark:
            sizes.append(j - k + 1)
            for r in runs[k:j + 1]:
                lengths.append((r[1] - r[0]) // 1000)
        k = j + 1
    return sizes, lengths


def _off_now(b):
    b.circuit.update(b.clock.us / 1e6)
    assert b.circuit.i_ua == 0 and b.hw.level.get(b.board["pin_enable"], 0) == 0, _board_id(b)


def _board_id(b):
    return b.flash.split("/")[-1]


def _led_code(r, n):
    sizes, lengths = blinks(r.led_edges, r.led_end, r.blink)
    assert sizes and all(x == n for x in sizes), (r.id, "LED groups", sizes, n)
    on = r.blink[1]
    assert all(on - 30 <= x <= on + 30 for x in lengths), (r.id, "LED blinks", lengths)


def _no_reset(r, b):
    assert not b.crashes and not b.resets, (r.id, b.crashes, b.resets)


def check_latch(r, b):
    _no_reset(r, b)
    want = names.FAULTS.index(r.code)
    assert r.fault == want, (r.id, "fault", r.fault, want)
    if r.bound is None:
        assert not r.was_on and not r.enabled_after(r.t_inj), (r.id, "output was on")
    else:
        assert r.was_on, (r.id, "the output was off at the injection")
        lat = r.latency()
        assert lat is not None and lat <= r.bound, (r.id, "ticks to off", lat, r.bound)
    _off_now(b)
    _led_code(r, want)
    recs, torn = journal(b)
    assert len(recs) == 1 and torn == 0, (r.id, recs)
    if r.state_at_inj in _IN_SESSION:
        assert (recs[0]["fault"], recs[0]["end"]) == (r.code, "fault"), (r.id, recs[0])
    else:  # no session under way: a record of the fault alone (issue 14)
        assert (recs[0]["fault"], recs[0]["end"]) == (r.code, "no_session"), (r.id, recs[0])
    if r.code == "trip":
        # SR-15: the long press acknowledges; a latch that stays asserted stays a fault.
        stuck = b.circuit.trip_stuck
        assert r.final[_STATE] == (FAULT if stuck else IDLE), (r.id, r.final[_STATE])
        assert r.final[_FAULT] == (want if stuck else 0), (r.id, r.final[_FAULT])
    else:
        assert r.final[_STATE] == FAULT and r.final[_FAULT] == want, (r.id, r.final[_STATE])


def check_stop(r, b):
    _no_reset(r, b)
    assert r.fault == 0 and r._seen(DONE), (r.id, r.fault, r.states)
    # SR-16/SR-17: once the output is off (at the end of the ramp down, or at
    # once when it was off), it stays off.
    t_off = r.t_inj
    if r.was_on:
        offs = [t for t, _ in b.hw.off_log if t > r.t_inj]
        assert offs, (r.id, "never off")
        t_off = offs[0]
    assert not r.enabled_after(t_off), (r.id, "switched on again", r.enabled_after(t_off))
    recs, torn = journal(b)
    assert len(recs) == 1 and torn == 0, (r.id, recs)
    assert (recs[0]["end"], recs[0]["fault"]) == (r.code[0], "none"), (r.id, recs[0])
    _off_now(b)
    if r.code[1] is not None:
        want = names.REFUSALS.index(r.code[1])
        assert r.refusal == want, (r.id, "refusal", r.refusal, want)
        _led_code(r, want)


def check_pause(r, b):
    _no_reset(r, b)
    assert r.fault == 0, (r.id, r.fault)
    k = [s for _, s, _ in r.states]
    assert PAUSED in k and RAMP_UP in k[k.index(PAUSED):], (r.id, k)
    # SR-10: back along the ramp from zero, never a jump (M4: 0.2 mA; + sampling).
    assert r.t_back is not None and r.env_ua <= 300, (r.id, "above the ramp", r.env_ua)
    recs, torn = journal(b)
    assert len(recs) == 1 and torn == 0, (r.id, recs)
    rec = recs[0]
    assert (rec["end"], rec["fault"]) == ("user", "none") and rec["pauses"] >= 1, (r.id, rec)
    _off_now(b)


def check_go_on(r, b):
    _no_reset(r, b)
    assert r.fault == 0 and r.final[_FAULT] == 0, (r.id, r.fault)
    assert r.final[_STATE] in _IN_SESSION, (r.id, r.final[_STATE])
    assert r.over_ua <= 0, (r.id, "current above set point + margin", r.over_ua)
    if r.injector == "relay":
        k = [s for _, s, _ in r.states]
        assert b.circuit.relay_switches == 0, (r.id, b.circuit.relay_switches)
        assert REVERSING in k and RAMP_UP in k[k.index(REVERSING):], (r.id, k)
    if r.injector == "slow_ticks":
        assert r.final[_OVERRUNS] >= r.arg[0], (r.id, r.final[_OVERRUNS])


def check_crash(r, b):
    assert len(b.crashes) == 1, (r.id, b.crashes)
    assert type(b.crashes[0]).__name__ == "Injected", (r.id, b.crashes)
    if r.bound is not None:
        assert r.was_on, r.id
        lat = r.latency()
        assert lat is not None and lat <= r.bound, (r.id, "ticks to off", lat, r.bound)
    else:
        # The journal runs with the output off: it stays off.
        assert not r.enabled_after(r.t_inj), (r.id, "switched on again")
    _after_reset(r, b, r.t_crash)


def _after_reset(r, b, since_us):
    # SR-3: the watchdog resets the board within its timeout; SR-4: it boots
    # with the RESET fault latched (output off, code 7) and does not resume by
    # itself; the journal records the cut session ("interrupted") or the
    # reset alone, with the cause.
    assert len(b.resets) == 1, (r.id, b.resets)
    t_reset, cause = b.resets[0]
    assert cause == 3, (r.id, "reset cause", cause)  # WDT_RESET
    assert t_reset - since_us <= b.board["wdt_timeout_ms"] * 1000 + 10000, (r.id, t_reset)
    reset = names.FAULTS.index("reset")
    assert b.boots == 2 and (r.final[_STATE], r.final[_FAULT]) == (FAULT, reset), (
        r.id, b.boots, r.final[_STATE], r.final[_FAULT])
    assert not r.enabled_after(t_reset), (r.id, "switched on after the reset")
    assert r.i_after_reset == 0, (r.id, "current after the reset", r.i_after_reset)
    _off_now(b)
    recs, torn = journal(b)
    assert torn == 0 and len(recs) >= 1, (r.id, recs)
    last = recs[-1]
    assert (last["reset"], last["fault"]) == ("watchdog", "reset"), (r.id, last)
    assert last["end"] in ("interrupted", "reset"), (r.id, last)


def check_reset(r, b):
    # A hang (the loop's sleep, or a function that never returns): the
    # timeout counts from when it began; the LED shows code 7; the record is
    # the running session's ("interrupted", with what its marker knew) or,
    # with none running, the reset's alone; no other record says either.
    assert not b.crashes, (r.id, b.crashes)
    hung = b.clock.hang_us
    assert hung is not None and hung >= r.t_inj, (r.id, "never hung", hung)
    _after_reset(r, b, hung)
    _led_code(r, names.FAULTS.index("reset"))
    recs, _ = journal(b)
    last = recs[-1]
    assert last["end"] == r.code, (r.id, "journal end", last, r.code)
    if r.code == "interrupted":
        assert (last["set_ua"], last["planned_s"]) == (SET_UA, 60), (r.id, last)
    assert all(x["end"] not in ("interrupted", "reset") for x in recs[:-1]), (r.id, recs)


def check_repl(r, b):
    assert len(b.crashes) == 1 and not b.resets, (r.id, b.crashes, b.resets)
    assert b.circuit.max_i_ua == 0 and not b.hw.on_log, r.id
    _off_now(b)


def check_refuse(r, b):
    _no_reset(r, b)
    want = names.REFUSALS.index(r.code)
    assert r.refusal == want and r.final[_STATE] == IDLE, (r.id, r.refusal, want)
    assert b.circuit.max_i_ua == 0 and not b.hw.on_log, r.id
    assert journal(b) == ([], 0), r.id
    _led_code(r, want)


def check_safe(r, b):
    _no_reset(r, b)
    assert r.final is None, r.id  # no app: no status
    assert b.circuit.max_i_ua == 0 and not b.hw.on_log, r.id


def check_safe_reset(r, b):
    # SR-4 through safe mode (SR-20): the loop hung in a session, the button
    # held on through the watchdog's reset. Safe mode (no app, no current)
    # shows the reset as the app would (code 7) and journals the cut session
    # once, at that boot; the marker goes, so the power-up after (button
    # released) starts the app at rest, no fault latched, no second record.
    assert not b.crashes, (r.id, b.crashes)
    hung = b.clock.hang_us
    assert hung is not None and hung >= r.t_inj, (r.id, "never hung", hung)
    assert [c for _, c in b.resets] == [3, 1], (r.id, b.resets)  # WDT_RESET, then PWRON_RESET
    t_reset = b.resets[0][0]
    assert t_reset - hung <= b.board["wdt_timeout_ms"] * 1000 + 10000, (r.id, t_reset)
    assert b.boots == 3 and r.safe_files is not None, (r.id, b.boots)
    # No current after the reset: not in safe mode, not at the later boot.
    assert not r.enabled_after(t_reset), (r.id, "switched on after the reset")
    assert r.i_after_reset == 0, (r.id, "current after the reset", r.i_after_reset)
    _off_now(b)
    # Safe mode: no app (no status seen at that boot), the LED blinks code 7.
    assert all(bt != 2 for _, _, bt in r.states), (r.id, "an app ran in safe mode", r.states)
    _led_code(r, names.FAULTS.index("reset"))
    # Journaled in safe mode, the marker gone ...
    text, marker = r.safe_files
    assert marker is None, (r.id, "marker left by safe mode", marker)
    recs = [json.loads(x) for x in (text or "").split("\n") if x]
    assert len(recs) == 1, (r.id, "records after safe mode", recs)
    rec = recs[0]
    assert (rec["end"], rec["reset"], rec["fault"]) == (r.code, "watchdog", "reset"), (r.id, rec)
    assert (rec["id"], rec["set_ua"], rec["planned_s"]) == (1, SET_UA, 60), (r.id, rec)
    # ... and once: the later boot of the app writes nothing and latches nothing.
    assert journal(b) == (recs, 0), (r.id, journal(b), recs)
    assert b.read_file("session.run") is None, r.id
    assert (r.final[_STATE], r.final[_FAULT]) == (IDLE, 0), (r.id, r.final[_STATE], r.final[_FAULT])
    assert [s for _, s, bt in r.states if bt == 3] == [IDLE], (r.id, r.states)


def check_cut(r, b):
    assert not b.crashes and len(b.resets) == 1 and b.resets[0][1] == 1, (r.id, b.resets)
    recs, torn = journal(b)
    ids = [rec["id"] for rec in recs]
    if r.arg[0][1].endswith("append"):
        # The torn record alone is lost (SR-19); at the boot the session is
        # journaled as interrupted from its marker (SR-4), and the next is whole.
        assert ids == [7, 8, 9] and torn == 1, (r.id, ids, torn)
        assert (recs[1]["end"], recs[1]["reset"]) == ("interrupted", "restart"), (r.id, recs)
    else:
        # The journal line was written before the trace: both sessions are in.
        assert ids == [7, 8, 9] and torn == 0, (r.id, ids, torn)
        assert (b.read_bytes("trace0.bin") or b"")[:4] == b"IOT1", r.id
        assert b.read_bytes("trace0.bin.tmp") is None, r.id
    assert recs[-1]["end"] == "user" and recs[-1]["fault"] == "none", (r.id, recs[-1])
    _off_now(b)

# The session journal on the board's flash: one JSON line per session.
# Appending one line is memory-light; a power cut can tear at most the line
# being written, and read() skips a torn line (SR-19: at most the record being
# written is lost). When the file passes MAX_BYTES it is renamed (atomically)
# to journal.1.jsonl, which drops the one before: the oldest records go first.
# Written only with the output off (SR-18): the app calls append() after the
# session has ended and the supervisor has switched the output off.
import json
import os

from firmware import names

FILE = "journal.jsonl"
OLD = "journal.1.jsonl"
MAX_BYTES = 8192  # two files: about 60 sessions on a few KB of flash
TRACE_KEEP = 4  # trace files kept: the last four sessions (trace0.bin the newest)
TRACE_MAGIC = b"IOT1"
BENCH_PREFIX = "bench_"  # bench runs (firmware/bench.py): bench_journal.jsonl, bench_trace0.bin


RUNNING = "session.run"  # SR-4: the marker of a session under way (firmware/start_gesture.py)


def run(app, session_id, overruns):
    # app.py's job after a session, output off (SR-18): its record and trace,
    # then the running marker goes (the session is journaled). overruns: the
    # session's late ticks.
    try:
        ses = app.ses
        append(record(ses, ses.profile, app.sup.fault, session_id, ses.start, ses.warning,
                      overruns, app.guard.events),
               app.journal_dir)
        save_trace(app.trace, session_id, app.journal_dir)
    except OSError as e:
        print("journal not written:", e)
    unmark(app.journal_dir)


def mark(info, folder=""):
    # At the start gesture, output off: what the record of an interrupted
    # session will say. Written whole, then renamed (SR-19).
    path = folder + RUNNING
    with open(path + ".tmp", "w") as f:
        f.write(json.dumps(info))
    os.rename(path + ".tmp", path)


def unmark(folder=""):
    try:
        os.remove(folder + RUNNING)
    except OSError:
        pass  # none: no session was marked


def running(folder=""):
    # The marker a session left when a reset or a power cut stopped it: its
    # info, {} when unreadable, None when there is none.
    try:
        with open(folder + RUNNING) as f:
            info = json.loads(f.readline())
    except OSError:
        return None
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def record(ses, profile, fault, session_id, start=None, warning=0, overruns=0, guard_events=0):
    # The record of the session that just ended (here, not in session.py: this
    # module is loaded only to write it, so the loop's heap stays small, M8).
    # start: ISO UTC time of the start gesture, None when the clock is unknown;
    # warning: SR-22 (firmware/schedule.py), shown at the start, never a block;
    # overruns: the loop's late ticks during the session (app.py run);
    # guard_events: the times SR-23's density guard engaged (firmware/guard.py).
    on_s = ses.on_ms // 1000
    # SR-14 (issue 14 D1): the highest current of the treatment as percent of
    # the set point at the end (after any up and down steps), rounded (14,999
    # uA of 15 mA, the trim's last uA, is the set point reached), at most 100
    # (a reading's noise above the set point is not more than it reached).
    reached = (ses.max_ua * 100 + ses.set_ua // 2) // ses.set_ua if ses.set_ua > 0 else 0
    # The up and down buttons' changes (on_s, set_ua), as many as the session kept.
    pairs = ses.adjusts
    n = min(ses.adjust_n, len(pairs) // 2) if ses.adjust_n else 0
    return {"v": 1, "id": session_id, "start": start, "schedule": names.WARNINGS[warning],
            "profile": profile, "set_ua": ses.planned_ua,
            "adjusts": [[pairs[2 * k], pairs[2 * k + 1]] for k in range(n)],
            "adjust_n": ses.adjust_n,
            "planned_s": ses.duration_ms // 1000, "on_s": on_s,
            "charge_ma_min": ses.charge_mas // 60,
            "mean_ua": ses.charge_mas * 1000 // on_s if on_s else 0,
            "min_ua": ses.min_ua, "max_ua": ses.max_ua,
            "load_start_ohm": ses.load_start_ohm, "load_end_ohm": ses.load_end_ohm,
            "limited_s": ses.limited_ms // 1000, "reached_pct": reached if reached < 100 else 100,
            "pauses": ses.pauses, "reversals": ses.reversals,
            "polarity": ses.polarity, "reversed_start": 1 if ses.start_reversed else 0,
            "end": names.ENDS[ses.end_reason], "fault": names.FAULTS[fault],
            "overruns": overruns, "guard_events": guard_events}


def _size(path):
    try:
        return os.stat(path)[6]
    except OSError:
        return 0


def append(record, folder=""):
    # folder: "" on the board (the flash root), or "dir/" (tests).
    path = folder + FILE
    line = json.dumps(record) + "\n"
    size = _size(path)
    if size + len(line) > MAX_BYTES:
        os.rename(path, folder + OLD)  # replaces the older file atomically
    elif size:
        # A power cut tore the last line: start on a new one, or this record
        # would join the torn line and be skipped with it (SR-19: at most the
        # record being written is lost). No new function: each new name is a
        # qstr, which stays on the heap after this module is released (M8).
        with open(path, "rb") as f:
            f.seek(size - 1)
            if f.read(1) != b"\n":
                line = "\n" + line
    with open(path, "a") as f:
        f.write(line)


def records(path):
    # The valid records of one file, oldest first; a torn or corrupt line is
    # skipped, never fatal. A generator: one line in memory at a time.
    try:
        f = open(path)
    except OSError:
        return
    with f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                yield rec


def read(folder=""):
    # Every record, oldest first.
    out = []
    for name in (OLD, FILE):
        for rec in records(folder + name):
            out.append(rec)
    return out


def last(folder=""):
    # The newest record, or None: what the app needs at startup (the polarity
    # of the last session, SR-11 "alternate").
    for name in (FILE, OLD):
        found = None
        for rec in records(folder + name):
            found = rec
        if found is not None:
            return found
    return None


def trace_name(k, folder=""):
    return folder + "trace" + str(k) + ".bin"


def save_trace(trace, session_id, folder=""):
    # The session's per-second trace (firmware/trace.py), after the session,
    # output off (SR-18). The older files move up and the oldest goes (bounded);
    # written to a temporary file and renamed: a power cut leaves whole files
    # (at most the newest is lost, SR-19). Layout: magic, id (2 bytes LE),
    # seconds per sample, sample count (2 bytes LE), event count, then the
    # samples (0.1 mA, 0.25 V) and the events (second, 2 bytes LE; state).
    tmp = trace_name(0, folder) + ".tmp"
    n = trace.n
    k = trace.n_events
    with open(tmp, "wb") as f:
        f.write(TRACE_MAGIC)
        f.write(bytes((session_id & 255, (session_id >> 8) & 255, trace.every_s,
                       n & 255, n >> 8, k)))
        f.write(memoryview(trace.buf)[:2 * n])
        f.write(memoryview(trace.events)[:3 * k])
    for j in range(TRACE_KEEP - 1, 0, -1):
        try:
            os.rename(trace_name(j - 1, folder), trace_name(j, folder))
        except OSError:
            pass  # fewer sessions than files so far
    os.rename(tmp, trace_name(0, folder))


def decode_trace(data):
    # A trace file back to (session id, seconds per sample, currents in uA,
    # voltages in mV, events as (second, state)): the one decoder of
    # save_trace's layout, for the console and the host tools (ionto logs).
    # ValueError when the bytes are not a whole trace.
    n = k = every = 0
    if len(data) >= 10 and data[:4] == TRACE_MAGIC:
        every = data[6]
        n = data[7] | data[8] << 8
        k = data[9]
    if not every or len(data) != 10 + 2 * n + 3 * k:
        raise ValueError("not a whole trace (an IOT1 header, then the bytes it says)")
    from firmware.trace import I_STEP_UA, V_STEP_MV

    ev = 10 + 2 * n
    return (data[4] | data[5] << 8, every,
            [data[10 + 2 * x] * I_STEP_UA for x in range(n)],
            [data[11 + 2 * x] * V_STEP_MV for x in range(n)],
            [(data[ev + 3 * x] | data[ev + 3 * x + 1] << 8, data[ev + 3 * x + 2])
             for x in range(k)])

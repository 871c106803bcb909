# S16 / SR-19: a power cut at every write step of every writer of the
# firmware's files. A Flash object stands in for `open` and `os` inside the
# writer's module (module globals shadow the builtins in CPython and in
# MicroPython alike), so the firmware runs unchanged. Every byte written, every
# file opened for writing, every rename and remove is one step; the power goes
# before step `cut_at`: the bytes before it stay on the flash (the worst case:
# littlefs would keep the old file whole), nothing after happens. Then the
# "reboot": the loaders read what is left with the real open and os, and must
# give the old or the new content, never a torn one. Plain code: runs in
# CPython (pytest, `ionto bench`) and in the MicroPython unix port.
import json
import os

from firmware import journal, picker, store
from tools.sim.files import mkdirs, wipe

_open = open
FOLDER = "build/powercut"


class PowerCut(BaseException):
    # Not an Exception: no handler in the firmware may catch a power cut.
    pass


class Flash:
    def __init__(self, cut_at=-1):
        self.cut_at = cut_at  # the step at which the power goes; -1: never
        self.steps = 0

    def allow(self, n):
        # How many of the next n steps happen before the cut.
        if self.cut_at >= 0:
            left = self.cut_at - self.steps
            n = n if n <= left else (left if left > 0 else 0)
        self.steps += n
        return n

    def step(self):
        if self.allow(1) < 1:
            raise PowerCut()

    # `open` for the module under test
    def open(self, path, mode="r"):
        if "w" not in mode and "a" not in mode:
            return _open(path, mode)
        self.step()  # creating or truncating the file
        return _File(_open(path, mode), self)

    # `os` for the module under test
    def rename(self, a, b):
        self.step()
        os.rename(a, b)

    def remove(self, path):
        self.step()
        os.remove(path)

    def stat(self, path):
        return os.stat(path)


class _File:
    def __init__(self, f, flash):
        self._f = f
        self._flash = flash

    def write(self, data):
        n = len(data)
        k = self._flash.allow(n)
        if k < n:
            self._f.write(data[:k])
            self._f.close()  # what reached the flash stays there
            raise PowerCut()
        return self._f.write(data)

    def close(self):
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def _write(name, data):
    with _open(name, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def _read(name):
    try:
        with _open(name, "rb") as f:
            return f.read()
    except OSError:
        return None


def _cut_run(write, state, cut_at, modules):
    # write(state) with the power cut at step cut_at; returns the steps taken.
    flash = Flash(cut_at)
    for m in modules:
        m.open = flash.open
        m.os = flash
    try:
        write(state)
    except PowerCut:
        pass
    finally:
        for m in modules:
            del m.open
            m.os = os
    return flash.steps


def every_cut(writer):
    # Run the writer once whole, then once with the power cut at each of its
    # steps, each time from the same old files, and check what a reboot reads.
    # Returns (cut points, [(cut_at, what was wrong)]).
    prepare, write, check, modules = writer
    cwd = os.getcwd()
    mkdirs(FOLDER)
    os.chdir(FOLDER)
    torn = []
    try:
        total = None
        cut_at = -1
        while total is None or cut_at < total:
            wipe(".")
            state = prepare()
            steps = _cut_run(write, state, cut_at, modules)
            if total is None:
                total = steps
            try:
                check(state, cut_at >= 0)
            except AssertionError as e:
                torn.append((cut_at, str(e)))
            cut_at += 1
    finally:
        wipe(".")
        os.chdir(cwd)
    return total, torn


def _same(got, want, what):
    assert got == want, what + ": " + repr(got) + " (want " + repr(want) + ")"


# ---- the writers: (prepare, write(state), check(state, cut), modules) ----

_CFG_OLD = {"profile": 4, "set_ua": 9000, "duration_ms": 900000, "pulse_hz": 0,
            "polarity": 2, "ramp_up_ua_s": 300}
_CFG_NEW = {"profile": 1, "set_ua": 17000}


def _config_prepare(old):
    def prepare():
        if old is not None:
            _write(store.CONFIG_FILE, json.dumps(old))
        return old
    return prepare


def _config_check(old, new):
    def check(state, cut):
        settings, warning = store.load_config()
        _same(warning, None, "config warning")
        allowed = [store.check_config(new)]
        if cut:
            allowed.append(store.check_config(old if old is not None else {}))
        assert settings in allowed, "config torn: " + repr(settings)
    return check


def _cal(offset):
    cal = store.nominal_calibration()
    for ch in store.CAL_CHANNELS:
        cal[ch] = {"offset": offset, "gain_ppm": 1000000 + 1000 * offset}
    return cal


def _cal_check(old, new):
    def check(state, cut):
        got = store.load_calibration()
        allowed = [(new, None)]
        if cut:
            allowed.append((old, None) if old is not None else (None, "no calibration"))
        assert got in allowed, "calibration torn: " + repr(got)
    return check


def _cal_prepare(old):
    def prepare():
        if old is not None:
            _write(store.CAL_FILE, json.dumps(old))
    return prepare


def _rec(n):
    return {"v": 1, "id": n, "profile": 0, "set_ua": 15000, "on_s": 1215, "end": "timer",
            "fault": "none"}


def _journal_prepare(rotate):
    def prepare():
        for n in (1, 2):
            journal.append(_rec(n))
        # rotate: the new record does not fit, the file moves to journal.1.jsonl first.
        line = len(json.dumps(_rec(3))) + 1
        journal.MAX_BYTES = os.stat(journal.FILE)[6] + line - (1 if rotate else 0)
        return None
    return prepare


def _journal_check(state, cut):
    journal.MAX_BYTES = _MAX_BYTES
    got = [r["id"] for r in journal.read()]
    allowed = ([1, 2], [1, 2, 3]) if cut else ([1, 2, 3],)
    assert got in allowed, "journal: " + repr(got)
    last = journal.last()
    _same(last["id"] if last else None, got[-1], "journal.last")
    # The next session's record is not lost to what the cut left (SR-19: at
    # most the record being written).
    journal.append(_rec(4))
    _same([r["id"] for r in journal.read()], got + [4], "journal after the next append")


_MAX_BYTES = journal.MAX_BYTES


class _Trace:
    # What journal.save_trace reads of firmware/trace.py's Trace: small.
    def __init__(self, sid):
        self.every_s = 1
        self.n = 3
        self.n_events = 2
        self.buf = bytearray((sid, 10, sid + 1, 20, sid + 2, 30))
        self.events = bytearray((0, 0, 1, 5, 0, 3))


def _trace_bytes(sid):
    t = _Trace(sid)
    return (journal.TRACE_MAGIC + bytes((sid, 0, 1, 3, 0, 2)) + bytes(t.buf) + bytes(t.events))


def _trace_prepare():
    for k, sid in ((0, 3), (1, 2), (2, 1)):  # three sessions so far, the newest first
        _write(journal.trace_name(k), _trace_bytes(sid))


def _trace_check(state, cut):
    whole = {}
    for sid in (1, 2, 3, 4):
        whole[_trace_bytes(sid)] = sid
    ids = []
    for k in range(journal.TRACE_KEEP):
        data = _read(journal.trace_name(k))
        if data is not None:
            assert data in whole, "trace" + str(k) + ".bin torn: " + repr(data)
            ids.append(whole[data])
    if cut:  # the old ones whole, only the new one may be lost (SR-19)
        _same(sorted(i for i in ids if i != 4), [1, 2, 3], "traces kept")
    else:
        _same(ids, [4, 3, 2, 1], "traces, the newest first")
    # The next session's trace is written whole over whatever the cut left.
    journal.save_trace(_Trace(5), 5)
    _same(_read(journal.trace_name(0)), _trace_bytes(5), "the next trace")


_INFO = {"id": 7, "start": None, "profile": 1, "set_ua": 18000}


def _mark_check(state, cut):
    got = journal.running()
    allowed = (None, _INFO) if cut else (_INFO,)
    assert got in allowed, "running marker torn: " + repr(got)


class _Recorded:
    # picker.run's apply, recorded instead of applied to an app.
    applied = None

    @staticmethod
    def apply(app, settings):
        _Recorded.applied = settings


def _pick(index):
    def write(state):
        real = picker.profiles.apply
        picker.profiles.apply = _Recorded.apply
        try:
            picker.run(None, index)
        finally:
            picker.profiles.apply = real
    return write


WRITERS = {
    "save_config": (_config_prepare(_CFG_OLD), lambda s: store.save_config(_CFG_NEW),
                    _config_check(_CFG_OLD, _CFG_NEW), (store,)),
    "save_config first": (_config_prepare(None), lambda s: store.save_config(_CFG_NEW),
                          _config_check(None, _CFG_NEW), (store,)),
    "save_calibration": (_cal_prepare(_cal(3)), lambda s: store.save_calibration(_cal(-5)),
                         _cal_check(_cal(3), _cal(-5)), (store,)),
    "save_calibration first": (_cal_prepare(None), lambda s: store.save_calibration(_cal(-5)),
                               _cal_check(None, _cal(-5)), (store,)),
    "journal.append": (_journal_prepare(False), lambda s: journal.append(_rec(3)),
                       _journal_check, (journal,)),
    "journal.append rotating": (_journal_prepare(True), lambda s: journal.append(_rec(3)),
                                _journal_check, (journal,)),
    "journal.save_trace": (_trace_prepare, lambda s: journal.save_trace(_Trace(4), 4),
                           _trace_check, (journal,)),
    "journal.mark": (lambda: None, lambda s: journal.mark(_INFO), _mark_check, (journal,)),
    # The profile gesture's save (firmware/picker.py): custom settings kept.
    "picker": (_config_prepare(_CFG_OLD), _pick(0),
               _config_check(_CFG_OLD, picker.settings_for(0, _CFG_OLD)), (store,)),
}


def run_all():
    # Every writer at every cut: {"cuts": total cut points, "torn": [...]}.
    cuts = 0
    torn = []
    for name in WRITERS:
        n, bad = every_cut(WRITERS[name])
        cuts += n
        for b in bad:
            torn.append((name,) + b)
    return {"cuts": cuts, "torn": torn}

# The per-second session trace (firmware/trace.py): 1 Hz means of current and
# voltage with the state changes, a bounded buffer that halves its rate when
# full, and the files journal.save_trace keeps (the last four, SR-18/SR-19).
import os

from support import _build_dir

from firmware import journal, states
from firmware.trace import SAMPLES, Trace


def _feed(t, seconds, i_ua, v_mv, state, tick_us=1000):
    for _ in range(seconds * 1000000 // tick_us):
        t.add(i_ua, v_mv, state, tick_us)


def test_one_sample_per_second_of_the_means():
    t = Trace()
    _feed(t, 10, 15000, 49500, states.TREAT)
    assert t.n == 10 and t.every_s == 1
    assert t.buf[0] == 150 and t.buf[1] == 198  # 15.0 mA, 49.5 V in 0.25 V steps


def test_a_second_of_half_current_reads_as_its_mean():
    t = Trace()
    for k in range(1000):
        t.add(10000 if k < 500 else 0, 0, states.TREAT, 1000)
    assert t.n == 1 and t.buf[0] == 50


def test_state_changes_are_events_with_their_second():
    t = Trace()
    _feed(t, 3, 200, 100, states.WAIT_CONTACT)
    _feed(t, 5, 5000, 16000, states.RAMP_UP)
    _feed(t, 2, 15000, 49000, states.TREAT)
    assert t.n_events == 3
    e = t.events
    assert (e[0] | e[1] << 8, e[2]) == (0, states.WAIT_CONTACT)
    assert (e[3] | e[4] << 8, e[5]) == (3, states.RAMP_UP)
    assert (e[6] | e[7] << 8, e[8]) == (8, states.TREAT)


def test_a_45_minute_session_fits_by_halving_the_rate():
    # SR-18: preallocated RAM holds a whole session until the output is off.
    t = Trace()
    _feed(t, 45 * 60, 12000, 30000, states.TREAT, tick_us=100000)  # 10 Hz: quick
    assert t.every_s == 2 and t.n == 45 * 60 // 2 and t.n <= SAMPLES
    assert t.buf[0] == 120 and t.buf[2 * (t.n - 1)] == 120


def _clean(folder):
    for k in range(journal.TRACE_KEEP + 1):
        for suffix in ("", ".tmp"):
            try:
                os.remove(journal.trace_name(k, folder) + suffix)
            except OSError:
                pass


def test_the_last_four_traces_are_kept_newest_first():
    folder = _build_dir("build/fake_flash/trace") + "/"
    _clean(folder)
    t = Trace()
    for sid in range(1, 7):
        t.start()
        _feed(t, sid, 1000 * sid, 0, states.TREAT)
        journal.save_trace(t, sid, folder)
    names = [journal.trace_name(k, folder) for k in range(journal.TRACE_KEEP + 1)]
    for k in range(journal.TRACE_KEEP):
        with open(names[k], "rb") as f:
            data = f.read()
        sid = 6 - k
        assert data[:4] == journal.TRACE_MAGIC
        assert data[4] | data[5] << 8 == sid and data[6] == 1
        n = data[7] | data[8] << 8
        assert n == sid and data[9] == 1  # one sample a second, one state event
        assert data[10] == 10 * sid  # sid mA in 0.1 mA steps
        assert len(data) == 10 + 2 * n + 3
    try:
        os.stat(names[journal.TRACE_KEEP])
    except OSError:
        return
    raise AssertionError("a fifth trace was kept")


def test_the_decoder_reads_back_what_save_trace_wrote_and_refuses_the_rest():
    # journal.decode_trace: the one reading of the layout (the console's
    # trace(), the host's ionto logs); the test above checks the bytes.
    folder = _build_dir("build/fake_flash/trace_decode") + "/"
    _clean(folder)
    t = Trace()
    _feed(t, 3, 12000, 40000, states.RAMP_UP)
    _feed(t, 2, 15000, 49500, states.TREAT)
    journal.save_trace(t, 300, folder)
    with open(journal.trace_name(0, folder), "rb") as f:
        data = f.read()
    sid, every, i_ua, v_mv, events = journal.decode_trace(data)
    assert (sid, every) == (300, 1)
    assert i_ua == [12000, 12000, 12000, 15000, 15000]
    assert v_mv == [40000, 40000, 40000, 49500, 49500]
    assert events == [(0, states.RAMP_UP), (3, states.TREAT)]
    for bad in (data[:-1], data + b"\0", b"IOT2" + data[4:], data[:9],
                data[:6] + b"\0" + data[7:]):  # torn, too long, magic, header, 0 s a sample
        try:
            journal.decode_trace(bad)
        except ValueError:
            continue
        raise AssertionError("decoded a trace that is not one: %r" % bad[:12])

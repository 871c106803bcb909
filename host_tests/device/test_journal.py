# The session journal: records field by field (SR-21 charge, SR-11 reversals),
# written only with the output off (SR-18), torn lines skipped and the files
# bounded (SR-19).
import os

from support import HAND, _build_dir, make_app, press, run_ticks

from firmware import journal, states


def _fresh(folder):
    d = _build_dir(folder) + "/"
    for name in (journal.FILE, journal.OLD):
        try:
            os.remove(d + name)
        except OSError:
            pass
    return d


def test_torn_last_line_is_skipped():
    # SR-19: a power cut tears at most the line being written.
    d = _fresh("build/test_journal/torn")
    journal.append({"v": 1, "n": 1}, d)
    with open(d + journal.FILE, "a") as f:
        f.write('{"v": 1, "n": 2, "set_')  # a power cut in the middle of a write
    assert [r["n"] for r in journal.read(d)] == [1]
    # The next record starts a line of its own: only the torn one is lost (SR-19, S16).
    journal.append({"v": 1, "n": 3}, d)
    assert [r["n"] for r in journal.read(d)] == [1, 3]


def test_files_stay_bounded_and_the_oldest_go_first():
    d = _fresh("build/test_journal/bounded")
    for n in range(200):
        journal.append({"v": 1, "n": n, "pad": "x" * 100}, d)
    assert os.stat(d + journal.FILE)[6] <= journal.MAX_BYTES
    assert os.stat(d + journal.OLD)[6] <= journal.MAX_BYTES
    ns = [r["n"] for r in journal.read(d)]
    assert ns[-1] == 199 and ns == sorted(ns) and 0 not in ns


def test_session_record_field_by_field_written_with_the_output_off():
    app, hal = make_app()
    app.journal_dir = _fresh("build/test_journal/session")
    app.ses.configure(15000, 120000, 1)
    seen = []
    import firmware  # the package app.py uses (a simulated board's reset may replace it)

    real = firmware.job

    def spy(module, fn, *args):
        if module == "journal":
            seen.append(hal.output_is_on)  # SR-18: never while current flows
        return real(module, fn, *args)

    firmware.job = spy
    try:
        run_ticks(app, 1000, HAND)
        press(app, 2100, HAND)
        run_ticks(app, 150000, HAND)
    finally:
        firmware.job = real
    assert app.ses.state == states.DONE
    assert seen == [False]
    (rec,) = journal.read(app.journal_dir)
    assert rec["v"] == 1 and rec["profile"] == 0 and rec["set_ua"] == 15000
    assert rec["planned_s"] == 120 and rec["end"] == "timer" and rec["fault"] == "none"
    assert 120 <= rec["on_s"] <= 140  # the timer, plus the ramp down
    assert rec["reversals"] == 1 and rec["pauses"] == 0
    assert rec["min_ua"] >= 14900 and rec["max_ua"] <= 15100
    assert abs(rec["load_start_ohm"] - HAND) <= 2 and abs(rec["load_end_ohm"] - HAND) <= 2
    # Ramps up 2 x 30 s and down 2 x 15 s at half of 15 mA, and 45 s at 15 mA:
    # 225 + 112 + 225 + 112 + 675 = 1349 mA*s = 22.5 mA*min over 135 s of current.
    assert rec["charge_ma_min"] == 22, rec
    assert 9900 <= rec["mean_ua"] <= 10100, rec

# SR-19 / S16: a power cut at every write step of every writer of the
# firmware's files (tools/sim/powercut.py: a byte at a time, and before and
# after each open, rename and remove). After each cut the "reboot" reads the
# old or the new content, never a torn one; the journal loses at most the
# record being written. Runs in CPython and in the MicroPython unix port.
from tools.sim import powercut


def _every_cut(name, least):
    cuts, torn = powercut.every_cut(powercut.WRITERS[name])
    assert not torn, (name, torn[:3])
    assert cuts >= least, (name, cuts)  # each byte of the data is a cut point


def test_save_config():
    _every_cut("save_config", 20)
    _every_cut("save_config first", 20)


def test_save_calibration():
    _every_cut("save_calibration", 200)
    _every_cut("save_calibration first", 200)


def test_journal_append():
    _every_cut("journal.append", 60)


def test_journal_append_while_rotating():
    _every_cut("journal.append rotating", 60)


def test_journal_save_trace():
    _every_cut("journal.save_trace", 22)


def test_journal_mark():
    _every_cut("journal.mark", 40)


def test_profile_gesture_save():
    _every_cut("picker", 15)


def test_a_cut_is_seen_by_the_checks():
    # The harness itself can fail: a writer that writes in place (no temporary
    # file) leaves a torn config at some cut, and the check reports it.
    w = powercut.WRITERS["save_config"]
    store = w[3][0]  # the module the harness patches (an earlier test may have reloaded it)

    def in_place(state):
        with store.open(store.CONFIG_FILE, "w") as f:
            f.write('{"profile": 1, "set_ua": 17000}')

    cuts, torn = powercut.every_cut((w[0], in_place, w[2], w[3]))
    assert cuts > 20 and len(torn) >= 20, (cuts, len(torn))

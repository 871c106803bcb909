# SR-4, no silent restart, through the whole firmware on the simulated board:
# after the watchdog's reset or a power cut during a session, the board boots
# with the output off and the RESET fault (LED code 7) latched until a 2 s
# hold, the interrupted session is journaled with the cause, and treatment
# never resumes by itself; a refused start leaves no marker; a planned reset
# (reset.planned) is not a fault.
# device-tests: one interpreter per test (a simulated board each)
import gc
import json

from support import treating_board

from tools.sim import fakemachine, faults
from tools.sim.clock import BoardReset

# The tick's end (the output, the watchdog's feed) does nothing from here: the
# loop runs on unfed (the app binds it: faults.replace).
_END_TICK = "firmware.supervisor:Supervisor.drive"


def _records(b):
    return [json.loads(x) for x in (b.read_file("journal.jsonl") or "").splitlines()]


def _unfed(self, state, want_on, cmd_ua):
    pass


def _power_cut(b):
    raise BoardReset(fakemachine.PWRON_RESET)


def test_a_watchdog_reset_in_treatment_is_journaled_latched_and_acknowledged():
    # SR-4: no silent restart.
    b, seen = treating_board(61, 40)
    b.at(40.0, lambda b: faults.replace(_END_TICK, _unfed))
    latched = b.snapshot_at(50.0)
    b.press_button(52.0, 2.5)  # the acknowledgement (a hold)
    acked = b.snapshot_at(56.0)
    b.press_button(57.0, 2.5)  # a new start: the session runs again
    again = b.snapshot_at(80.0)
    b.run(80.5)
    assert seen["state"] == 3 and not b.crashes, b.crashes
    assert [c for _, c in b.resets] == [fakemachine.WDT_RESET]
    assert (latched["state"], latched["fault"], latched["true_i_ua"]) == (8, 7, 0), latched
    assert (acked["state"], acked["fault"], acked["gate"]) == (0, 0, 0.0), acked
    assert again["state"] in (2, 3) and again["fault"] == 0, again
    (rec,) = _records(b)
    assert rec["end"] == "interrupted" and rec["reset"] == "watchdog" and rec["fault"] == "reset"
    assert (rec["id"], rec["profile"], rec["set_ua"], rec["planned_s"]) == (1, 0, 15000, 1200)
    assert rec["start"] is None and rec["reversed_start"] == 0  # the clock was never set
    assert b.read_file("session.run") is not None  # the new session's marker


def test_a_power_cut_in_treatment_is_journaled_and_never_resumes():
    # SR-4: no silent restart.
    b, seen = treating_board(62, 40)
    b.at(40.0, _power_cut)
    after = b.snapshot_at(70.0)
    b.run(70.5)
    assert seen["state"] == 3 and not b.crashes, b.crashes
    assert [c for _, c in b.resets] == [fakemachine.PWRON_RESET]
    assert (after["state"], after["fault"], after["true_i_ua"]) == (8, 7, 0), after
    assert b.circuit.max_i_ua < 15500  # nothing after the cut: the output never came back
    (rec,) = _records(b)
    assert (rec["end"], rec["reset"], rec["id"]) == ("interrupted", "restart", 1), rec
    assert b.read_file("session.run") is None
    b = seen = after = None
    gc.collect()


def test_an_idle_watchdog_reset_is_journaled_and_a_planned_one_is_not():
    # SR-4: no silent restart.
    b, _ = treating_board(63, 1)
    b.circuit.lift()  # no hands: the session waits, is stopped by a hold at 10 s
    b.press_button(10.0, 2.5)
    b.at(20.0, lambda b: faults.replace(_END_TICK, _unfed))
    after = b.snapshot_at(30.0)
    b.run(30.5)
    recs = _records(b)
    assert [r["end"] for r in recs] == ["user", "reset"], recs
    assert recs[1]["id"] == 2 and recs[1]["reset"] == "watchdog"
    assert (after["state"], after["fault"]) == (8, 7), after
    b = None
    gc.collect()
    b, _ = treating_board(64, 1)
    b.circuit.lift()
    b.press_button(10.0, 2.5)

    def planned(b):
        b.write_file("reset.planned", "")
        raise BoardReset(fakemachine.WDT_RESET)

    b.at(20.0, planned)
    after = b.snapshot_at(30.0)
    b.run(30.5)
    assert [r["end"] for r in _records(b)] == ["user"]
    assert (after["state"], after["fault"]) == (0, 0), after
    assert b.read_file("reset.planned") is None  # honoured once


def test_a_refused_start_leaves_no_marker():
    # SR-4: no silent restart.
    b, _ = treating_board(65, 1)
    b.write_file("calibration.json", "{}")  # uncalibrated: refusal 1
    b.at(6.0, _power_cut)
    after = b.snapshot_at(9.0)
    b.run(9.5)
    assert _records(b) == [] and b.read_file("session.run") is None
    assert (after["state"], after["fault"]) == (0, 0), after


def test_a_planned_mark_goes_at_the_next_boot_and_never_excuses_a_later_watchdog_reset():
    # SR-4: reset.planned is consumed once, at the next boot whatever its
    # cause. Here the planned reset never came (the host tool's link marked it,
    # then the board was unplugged: a power-up); a later hang's watchdog reset
    # is still an unplanned restart, journaled and latched.
    b, _ = treating_board(66, 1)
    b.circuit.lift()  # no hands: the session waits, is stopped by a hold at 10 s
    b.press_button(10.0, 2.5)

    def marked_then_unplugged(b):
        b.write_file("reset.planned", "ionto\n")
        raise BoardReset(fakemachine.PWRON_RESET)

    b.at(16.0, marked_then_unplugged)
    b.at(18.0, lambda b: faults.replace(_END_TICK, _unfed))  # the loop hangs
    after = b.snapshot_at(30.0)
    b.run(30.5)
    assert [c for _, c in b.resets] == [fakemachine.PWRON_RESET, fakemachine.WDT_RESET]
    recs = _records(b)
    assert [r["end"] for r in recs] == ["user", "reset"], recs
    assert (recs[1]["reset"], recs[1]["fault"]) == ("watchdog", "reset"), recs
    assert (after["state"], after["fault"]) == (8, 7), after
    assert b.read_file("reset.planned") is None

# The whole firmware on the simulated board (CPython and unix port): SR-3 an
# unfed watchdog or a hung loop resets the board; SR-4 no resume by itself.
# One file per group: each device test file gets its own unix-port interpreter
# and heap, which here holds the simulator's model too.
# device-tests: one interpreter per test (a simulated board each)

from support import treating_board

from tools.sim import fakemachine, faults


def test_an_unfed_watchdog_resets_the_board_and_treatment_does_not_resume():
    # SR-3: a loop that stops feeding is reset within the timeout (1000 ms);
    # SR-4: after it, the board boots safe and does not start by itself.
    b, seen = treating_board(20, 40)

    def unfed(sup, state, want_on, cmd_ua):
        pass  # the tick's end neither drives nor feeds

    def stop_feeding(b):
        faults.replace("firmware.supervisor:Supervisor.drive", unfed)

    b.at(40.0, stop_feeding)
    later = b.snapshot_at(60.0)
    b.run(60.5)
    assert seen["state"] == 3
    assert not b.crashes, b.crashes
    assert len(b.resets) == 1, b.resets
    t_us, cause = b.resets[0]
    assert cause == fakemachine.WDT_RESET
    assert 40000000 < t_us <= 41001000 + 2000, t_us
    assert b.boots == 2 and b.hw.reset_cause == fakemachine.WDT_RESET
    # SR-4: the RESET fault (code 7) with the output off, until a 2 s hold.
    assert (later["state"], later["fault"]) == (8, 7), later
    assert later["gate"] == 0.0 and later["true_i_ua"] == 0


def test_a_hung_loop_is_reset_by_the_watchdog():
    # S11: the loop hangs in a sleep; only the watchdog ends it.
    b, seen = treating_board(21, 40)
    b.at(40.0, lambda b: setattr(b.clock, "hang", True))
    b.at(41.5, lambda b: setattr(b.clock, "hang", False))
    after = b.snapshot_at(44.0)
    b.run(45.0)
    assert seen["state"] == 3
    assert not b.crashes, b.crashes
    assert len(b.resets) == 1 and b.resets[0][1] == fakemachine.WDT_RESET
    assert b.resets[0][0] <= 41002000
    assert after["gate"] == 0.0 and (after["state"], after["fault"]) == (8, 7), after

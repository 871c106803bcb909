# Supervisor: one way on (SR-2), watchdog feed (SR-3), SR-5, SR-12 leak, SR-15.
from support import FakeHal

from firmware import faults, states
from firmware.supervisor import Supervisor


def _sup():
    hal = FakeHal()
    sup = Supervisor(hal, hal.board)
    sup.start_watchdog()
    return sup, hal


def _on(sup, hal, i_ua=15000):
    sup.check(i_ua, 50000)
    sup.drive(states.TREAT, True, 15000)
    sup.end_tick()


def test_drive_switches_on_only_in_treatment_with_checks_done():
    sup, hal = _sup()
    sup.drive(states.TREAT, True, 15000)  # no check() this tick
    assert not hal.output_is_on
    for s in (states.IDLE, states.DONE, states.FAULT, states.SAFE_MODE):
        sup.check(0, 0)
        sup.drive(s, True, 15000)
        sup.end_tick()
        assert not hal.output_is_on, s
    sup.check(0, 0)
    sup.drive(states.TREAT, False, 15000)  # the session does not want it
    assert not hal.output_is_on
    _on(sup, hal)
    assert hal.output_is_on and hal.set_ua == 15000


def test_watchdog_fed_only_after_a_checked_tick():
    sup, hal = _sup()
    sup.end_tick()
    assert hal.feeds == 0
    sup.check(0, 0)
    sup.end_tick()
    sup.end_tick()
    assert hal.feeds == 1


def test_overcurrent_two_ticks_latches_one_does_not():
    # SR-5: above 30 mA on 2 consecutive ticks.
    sup, hal = _sup()
    _on(sup, hal)
    _on(sup, hal, 30001)
    assert sup.fault == faults.NONE and hal.output_is_on
    _on(sup, hal, 15000)
    _on(sup, hal, 30001)
    assert sup.fault == faults.NONE
    sup.check(30001, 50000)
    assert sup.fault == faults.OVERCURRENT and not hal.output_is_on
    sup.drive(states.TREAT, True, 15000)
    sup.end_tick()
    assert not hal.output_is_on  # latched: stays off


def test_trip_input_latches():
    # SR-15
    sup, hal = _sup()
    _on(sup, hal)
    hal.trip = True
    sup.check(15000, 50000)
    assert sup.fault == faults.TRIP and not hal.output_is_on


def test_acknowledge_resets_trip_only_with_output_off():
    sup, hal = _sup()
    _on(sup, hal)
    hal.trip = True
    sup.check(15000, 50000)
    sup.acknowledge()
    assert hal.trip_resets == 1 and sup.fault == faults.NONE and not hal.output_is_on


def test_current_with_output_off_latches_after_settling():
    # SR-12 / SR-9: above 0.1 mA with the output off.
    sup, hal = _sup()
    for _ in range(5):
        sup.check(150, 0)  # the sense RC still settling after a cut
        sup.end_tick()
    assert sup.fault == faults.NONE
    for _ in range(30):
        sup.check(150, 0)
        sup.end_tick()
    assert sup.fault == faults.LEAK


def test_small_reading_with_output_off_is_not_a_fault():
    sup, hal = _sup()
    for _ in range(100):
        sup.check(100, 0)
        sup.end_tick()
    assert sup.fault == faults.NONE

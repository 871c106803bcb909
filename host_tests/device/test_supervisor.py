# Supervisor: one way on (SR-2), watchdog feed (SR-3), SR-5, SR-12 leak, SR-15.
from support import FakeHal

from firmware import faults, states
from firmware.supervisor import (
    CUT,
    OK,
    REFUSE_BATTERY,
    REFUSE_NONE,
    STOP,
    STOP_BATTERY,
    STOP_USB,
    Supervisor,
)


def _check(sup, i_ua, v_mv=50000, target_ua=15000, rail_mv=58000, battery_mv=3900,
           dt_us=1000):
    # One tick of both: the slow checks (every 16 ms in the app) every tick here. The
    # battery: the pico's (FakeHal's board) one cell at 3.9 V (tools/sim/circuit.py).
    slow = sup.check_slow(rail_mv, battery_mv, dt_us)
    fast = sup.check(i_ua, v_mv, target_ua, dt_us)
    return fast if fast != OK else slow


class _Probe:
    # The regulator's probe (SR-12, at an RP2040 widened code): what was asked.
    def __init__(self):
        self.calls = []

    def __call__(self, on):
        self.calls.append(on)


def _sup():
    hal = FakeHal()
    sup = Supervisor(hal, hal.board, _Probe(), True)
    sup.start_watchdog()
    return sup, hal


def _on(sup, hal, i_ua=15000, v_mv=50000):
    r = _check(sup, i_ua, v_mv)
    sup.drive(states.TREAT, True, 15000)
    return r


def test_drive_switches_on_only_in_treatment_with_checks_done():
    sup, hal = _sup()
    sup.drive(states.TREAT, True, 15000)  # no check() this tick
    assert not hal.output_is_on
    for s in (states.IDLE, states.DONE, states.FAULT, states.SAFE_MODE):
        _check(sup, 0, 0)
        sup.drive(s, True, 15000)
        assert not hal.output_is_on, s
    _check(sup, 0, 0)
    sup.drive(states.TREAT, False, 15000)  # the session does not want it
    assert not hal.output_is_on
    _on(sup, hal)
    assert hal.output_is_on and hal.set_ua == 15000


def test_watchdog_fed_only_after_a_checked_tick():
    # SR-3: drive() ends the tick; it feeds only when check() ran in it.
    sup, hal = _sup()
    sup.drive(states.IDLE, False, 0)
    assert hal.feeds == 0
    _check(sup, 0, 0)
    sup.drive(states.IDLE, False, 0)
    sup.drive(states.IDLE, False, 0)
    assert hal.feeds == 1
    _check(sup, 15000)
    sup.drive(states.TREAT, True, 15000)  # on as off: fed once
    assert hal.feeds == 2 and hal.output_is_on


def test_overcurrent_two_ticks_latches_one_does_not():
    # SR-5: above 30 mA on 2 consecutive ticks.
    sup, hal = _sup()
    _on(sup, hal)
    _on(sup, hal, 30001)
    assert sup.fault == faults.NONE and hal.output_is_on
    _on(sup, hal, 15000)
    _on(sup, hal, 30001)
    assert sup.fault == faults.NONE
    _check(sup, 30001)
    assert sup.fault == faults.OVERCURRENT and not hal.output_is_on
    sup.drive(states.TREAT, True, 15000)
    assert not hal.output_is_on  # latched: stays off


def test_trip_input_latches():
    # SR-15
    sup, hal = _sup()
    _on(sup, hal)
    hal.trip = True
    _check(sup, 15000)
    assert sup.fault == faults.TRIP and not hal.output_is_on


def test_acknowledge_resets_trip_only_with_output_off():
    sup, hal = _sup()
    _on(sup, hal)
    hal.trip = True
    _check(sup, 15000)
    sup.acknowledge()
    assert hal.trip_resets == 1 and sup.fault == faults.NONE and not hal.output_is_on


def test_current_with_output_off_latches_after_settling():
    # SR-12 / SR-9: above 0.1 mA with the output off.
    sup, hal = _sup()
    for _ in range(5):
        _check(sup, 150, 0)  # the sense RC still settling after a cut
        sup.drive(states.IDLE, False, 0)  # the tick's end, output off
    assert sup.fault == faults.NONE
    for _ in range(30):
        _check(sup, 150, 0)
        sup.drive(states.IDLE, False, 0)  # the tick's end, output off
    assert sup.fault == faults.LEAK


def test_small_reading_with_output_off_is_not_a_fault():
    sup, hal = _sup()
    for _ in range(100):
        _check(sup, 100, 0)
        sup.drive(states.IDLE, False, 0)  # the tick's end, output off
    assert sup.fault == faults.NONE


def test_surge_20_ms_cuts_and_third_latches():
    # SR-6: above set point + max(1 mA, 10 %) for 20 ms.
    sup, hal = _sup()
    _on(sup, hal)
    for _ in range(19):
        assert _on(sup, hal, 16600) == OK  # 15 mA + 1.6 mA: above 10 %
    assert _on(sup, hal, 16600) == CUT and sup.surges == 1
    _on(sup, hal, 16400)  # below the margin: not a surge
    for _ in range(40):
        assert _on(sup, hal, 16400) == OK
    for _ in range(20):
        _on(sup, hal, 16600)
    assert sup.surges == 2 and sup.fault == faults.NONE
    for _ in range(20):
        _on(sup, hal, 16600)
    assert sup.fault == faults.SURGE and not hal.output_is_on


def test_surge_margin_is_at_least_1_ma():
    sup, hal = _sup()
    for _ in range(50):
        _check(sup, 1150, 3000, 200)  # probe 0.2 mA, reading 1.15 mA: < 1 mA over
        sup.drive(states.WAIT_CONTACT, True, 200)
    assert sup.surges == 0


def test_short_latches_its_own_code():
    # SR-13: below 250 Ohm at 2 mA or more, 2 ticks.
    sup, hal = _sup()
    _on(sup, hal)
    _on(sup, hal, 15000, 3000)  # 200 Ohm
    assert sup.fault == faults.NONE
    _on(sup, hal, 15000, 3000)
    assert sup.fault == faults.SHORT and not hal.output_is_on


def test_low_load_at_small_current_is_not_a_short():
    sup, hal = _sup()
    for _ in range(10):
        _on(sup, hal, 1900, 300)  # 158 Ohm but below 2 mA
    assert sup.fault == faults.NONE


def test_pinned_reading_latches_sensor_fault():
    # SR-12: a reading pinned at the top of the ADC range.
    sup, hal = _sup()
    _on(sup, hal)
    hal.hold_codes = True
    hal.code_v = 4095
    _on(sup, hal)
    _on(sup, hal)
    assert sup.fault == faults.SENSOR


def test_voltage_above_rail_latches_sensor_fault():
    sup, hal = _sup()
    _on(sup, hal)
    _on(sup, hal, 15000, 61000)  # rail 58 V: 61 V is more than 5 % above
    assert sup.fault == faults.SENSOR


def test_rail_reading_above_63_v_with_the_output_on_latches_sensor_fault():
    # SR-12: the boost never makes more than 60 V (+ 5 %): a pinned rail channel
    # (66 V at full scale) would hide the check above. At rest it is the start
    # check's (REFUSE_RAIL), not a latch.
    sup, hal = _sup()
    _check(sup, 0, 0, 0, 66000)
    assert sup.fault == faults.NONE
    _on(sup, hal)
    _check(sup, 15000, 50000, 15000, 63000)
    assert sup.fault == faults.NONE
    _check(sup, 15000, 50000, 15000, 63001)
    assert sup.fault == faults.SENSOR and not hal.output_is_on


def test_usb_power_in_the_off_time_of_a_session_still_asks_the_stop():
    # SR-17, SR-16: with the output off (a reversal's off time, a pause) too:
    # the session then ends without switching the output on again.
    sup, hal = _sup()
    hal.usb = True
    assert _check(sup, 0, 0) == STOP and sup.stop_reason == STOP_USB


def _on_ticks(sup, hal, n, i_ua=12000, v_mv=50000, target_ua=15000, cmd=12000,
              state=states.TREAT, codes=None, vcodes=None):
    # n ticks of 1 ms with the output on in `state` at cmd; codes, vcodes: the
    # current and voltage codes to cycle through (a live or dead channel); else
    # they stay as the test set them (hold_codes: frozen). Returns the tick that
    # latched a fault (1: the first), or None.
    for k in range(n):
        if codes:
            hal.code_i = codes[k % len(codes)]
        if vcodes:
            hal.code_v = vcodes[k % len(vcodes)]
        _check(sup, i_ua, v_mv, target_ua)
        sup.drive(state, True, cmd)
        if sup.fault:
            return k + 1
    return None


def test_frozen_current_at_a_steady_set_point_latches_within_500_ms():
    # SR-12 (issue 14 D2): the current code identical while the output is on,
    # the command steady: FROZEN after 400 ms of readings, not before; the
    # output is off in the same tick.
    sup, hal = _sup()
    hal.hold_codes = True
    hal.code_i = 1489  # 12 mA through 100 Ohm, not a widened code
    hal.code_v = 2000
    _on_ticks(sup, hal, 1)  # the first reading of the code
    for k in range(399):  # 399 ms later: the same code still
        hal.code_v = 2000 + (k & 1)  # the voltage lives
        _on_ticks(sup, hal, 1)
    assert sup.fault == faults.NONE and hal.output_is_on
    _on_ticks(sup, hal, 1)
    assert sup.fault == faults.FROZEN and not hal.output_is_on


def test_frozen_voltage_latches_within_500_ms():
    # SR-12 (issue 14 D2): the electrode voltage's code identical, output on.
    sup, hal = _sup()
    hal.hold_codes = True
    hal.code_v = 2000
    for k in range(402):
        hal.code_i = 1489 + (k & 1)  # the current lives
        _on_ticks(sup, hal, 1)
    assert sup.fault == faults.FROZEN and not hal.output_is_on


def test_frozen_at_a_widened_code_probes_then_latches_within_500_ms():
    # SR-12 (issue 14 D2): at an RP2040 widened code (1536) a live reading may
    # rest: after 100 ms the supervisor has the regulator probe (its target
    # goes down until the code moves); a code that still holds at 400 ms is
    # frozen, as anywhere else, the set point steady.
    sup, hal = _sup()
    probe = sup._probe
    hal.hold_codes = True
    hal.code_i = 1536
    hal.code_v = 2000
    for k in range(400):
        hal.code_v = 2000 + (k & 1)  # the voltage lives
        _on_ticks(sup, hal, 1)
        if k == 99:
            assert probe.calls == [], k  # 99 ms: not yet
        if k == 101:
            assert probe.calls == [1], probe.calls
    assert sup.fault == faults.NONE and hal.output_is_on
    _on_ticks(sup, hal, 1)
    assert sup.fault == faults.FROZEN and not hal.output_is_on
    _on_ticks(sup, hal, 1)  # the output off: the probe ends
    assert probe.calls == [1, 0]


def test_a_live_reading_at_a_widened_code_ends_the_probe_when_it_moves():
    # SR-12: the probe ends as soon as the probed channel's code moves (both channels
    # probed: when the last one moves), and no fault is latched.
    sup, hal = _sup()
    probe = sup._probe
    hal.hold_codes = True
    hal.code_i = 1536
    hal.code_v = 2560
    _on_ticks(sup, hal, 150)
    assert probe.calls == [1]
    hal.code_i = 1530  # the current left its widened code; the voltage not yet
    _on_ticks(sup, hal, 5)
    assert probe.calls == [1]
    hal.code_v = 2549
    _on_ticks(sup, hal, 1)
    assert probe.calls == [1, 0] and sup.fault == faults.NONE


def test_frozen_rail_or_battery_with_the_output_on_latches_after_10_s():
    # SR-12 (issue 14): the slow readings identical for 10 s with the output on.
    for field in ("code_rail", "code_bat"):
        sup, hal = _sup()
        hal.hold_codes = True
        setattr(hal, field, 3000)
        other = "code_bat" if field == "code_rail" else "code_rail"
        for k in range(10001):
            hal.code_i = 1489 + (k & 1)
            hal.code_v = 2000 + (k & 1)
            setattr(hal, other, 2500 + (k & 1))
            _on_ticks(sup, hal, 1)
            if k == 9990:
                assert sup.fault == faults.NONE, field
        assert sup.fault == faults.FROZEN, field


def test_battery_reading_pinned_high_latches():
    # SR-12 (issue 14): a battery code at full scale is a sensor fault (a full
    # pack reads below it on both boards: docs/wiring.md).
    sup, hal = _sup()
    hal.hold_codes = True
    hal.code_i = 1489
    hal.code_bat = 4095
    _check(sup, 0, 0)
    assert sup.fault == faults.SENSOR


def test_battery_reading_pinned_at_zero_with_the_output_on_latches():
    # SR-12 (issue 14, F11): the pack powers the board while the output is on
    # (SR-17: no treatment on USB power), so a battery reading under a quarter
    # of its cut-off then (0 V, or the ESP32 ADC's floor) is a sensor fault,
    # not a flat pack. Controls: a quarter of it; the same reading with the
    # output off (an ESP32 on USB with no pack: the start is refused, SR-16);
    # a board whose description allows treatment on USB power.
    sup, hal = _sup()  # the pico: one cell, cut-off 3000 mV
    for _ in range(3):
        _check(sup, 0, 0, battery_mv=0)
    assert sup.fault == faults.NONE  # the output off
    _on(sup, hal)
    for _ in range(3):
        _check(sup, 15000, 50000, battery_mv=750)
        sup.drive(states.TREAT, True, 15000)
    assert sup.fault == faults.NONE and hal.output_is_on
    _check(sup, 15000, 50000, battery_mv=749)
    assert sup.fault == faults.SENSOR and not hal.output_is_on
    hal = FakeHal()
    hal.board = dict(hal.board, usb_treatment=True)
    sup = Supervisor(hal, hal.board, _Probe(), True)
    sup.start_watchdog()
    _on(sup, hal)
    for _ in range(3):
        _check(sup, 15000, 50000, battery_mv=0)
        sup.drive(states.TREAT, True, 15000)
    assert sup.fault == faults.NONE and hal.output_is_on


def test_the_honest_zero_of_a_lifted_hand_is_not_frozen():
    # The floor while the contact probe's current (0.2 mA) flows into an empty
    # tray: no sensor fault (SR-12, SR-10).
    sup, hal = _sup()
    hal.hold_codes = True
    hal.code_i = 0
    cmd = 0
    for _ in range(3000):
        _check(sup, 0, 58000, 200)
        sup.drive(states.PAUSED, True, cmd)
        cmd += 1
    assert sup.fault == faults.NONE


def test_battery_low_for_one_second_asks_a_controlled_stop():
    # SR-16: ramp down and end, not a latch.
    sup, hal = _sup()
    _on(sup, hal)
    r = OK
    for _ in range(999):
        r = _check(sup, 15000, 50000, 15000, 58000, 2900)
        sup.drive(states.TREAT, True, 15000)
        assert r == OK
    r = _check(sup, 15000, 50000, 15000, 58000, 2900)
    assert r == STOP and sup.stop_reason == STOP_BATTERY and sup.fault == faults.NONE


def test_battery_start_check():
    # SR-16 at the start (the other refusals: test_session, test_start_checks).
    sup, hal = _sup()
    assert sup.start_refusal(0, 3200) == REFUSE_BATTERY  # pico: 3000 mV min, start needs 3300
    assert sup.start_refusal(0, 3300) == REFUSE_NONE


def test_usb_power_during_session_asks_a_stop():
    # SR-17
    sup, hal = _sup()
    _on(sup, hal)
    hal.usb = True
    assert _on(sup, hal) == STOP and sup.stop_reason == STOP_USB


def test_current_reading_dead_while_the_load_conducts_latches():
    # SR-12 / S8: the current channel reads 0 although 49 V stand across a hand.
    sup, hal = _sup()
    _on(sup, hal)
    _on(sup, hal, 0, 49000)
    assert sup.fault == faults.NONE
    _on(sup, hal, 0, 49000)
    assert sup.fault == faults.SENSOR and not hal.output_is_on


def test_lifted_hand_is_not_a_dead_sensor():
    # Open load: no current and the electrodes at the rail (contact loss, SR-10).
    sup, hal = _sup()
    _on(sup, hal)
    for _ in range(100):
        _on(sup, hal, 0, 57000)
    assert sup.fault == faults.NONE


def _probe_ticks(sup, hal, n, i_ua, v_mv, target_ua=200, codes=None, vcodes=None):
    # _on_ticks at the contact probe (SR-9: 0.2 mA asked, and commanded).
    return _on_ticks(sup, hal, n, i_ua, v_mv, target_ua, target_ua, states.WAIT_CONTACT,
                     codes, vcodes)


def test_current_frozen_at_the_floor_at_the_probe_latches_frozen_after_100_ms():
    # SR-12 / SR-9 (F81, issue 14 D2): the probe asks 0.2 mA, the electrodes
    # show a hand (0.9 V, far below the rail), the current reads the floor's
    # code all along: frozen after 100 ms of readings, not one before, and the
    # output off in the same tick (the regulator's trim would push more and more).
    sup, hal = _sup()
    _probe_ticks(sup, hal, 1, 200, 900)  # on, the probe read
    hal.code_i = 1
    assert _probe_ticks(sup, hal, 99, 9, 900) is None
    assert hal.output_is_on
    assert _probe_ticks(sup, hal, 1, 9, 900) == 1
    assert sup.fault == faults.FROZEN and not hal.output_is_on


def test_a_dead_current_channel_at_the_probe_latches_sensor():
    # SR-12: the same with a floor that moves (a dead channel's noise): fault 3.
    sup, hal = _sup()
    _probe_ticks(sup, hal, 1, 200, 900)  # on, the probe read
    assert _probe_ticks(sup, hal, 500, 9, 900, codes=(0, 1, 2, 1)) == 100
    assert sup.fault == faults.SENSOR and not hal.output_is_on


def test_a_live_probe_an_empty_tray_or_a_short_at_the_probe_is_not_a_dead_channel():
    # SR-12, controls of the check above: the probe's current read (even 0.1 mA
    # short of the target, a worst offset), the electrodes at the rail (an
    # empty tray: SR-10's honest zero), and a load under 250 Ohm at the target
    # (a short's few codes: SR-13's, from 2 mA): no fault over 3 s each. And
    # the ramp from zero up to the probe with the current following it.
    for i_ua, v_mv in ((200, 900), (101, 900), (0, 58000), (0, 45)):
        sup, hal = _sup()
        hal.code_i = 1
        assert _probe_ticks(sup, hal, 3000, i_ua, v_mv) is None, (i_ua, v_mv)
    sup, hal = _sup()
    for target in range(0, 201):
        hal.code_i = target // 10
        assert _probe_ticks(sup, hal, 2, target * 6 // 10, 900, target) is None, target
    assert sup.fault == faults.NONE


_FLOOR = (0, 1, 0, 2, 1)  # a live voltage code at the floor: it moves with the noise


def test_a_short_at_the_probe_latches_the_short_fault_after_100_ms():
    # SR-13 under its 2 mA (issue 14, F86): the probe's 0.2 mA flows and the
    # electrodes show 10 mV (50 Ohm), their code moving at the floor: the
    # short fault after 100 ms of readings, not one before.
    sup, hal = _sup()
    _probe_ticks(sup, hal, 1, 200, 900)  # on, a hand
    assert _probe_ticks(sup, hal, 99, 200, 10, vcodes=_FLOOR) is None and hal.output_is_on
    assert _probe_ticks(sup, hal, 1, 200, 10, vcodes=_FLOOR) == 1
    assert sup.fault == faults.SHORT and not hal.output_is_on


def test_a_voltage_frozen_at_the_floor_at_the_probe_latches_frozen():
    # SR-12 (issue 14 D2, F85), SR-13: the same readings with a voltage code that
    # never moves: fault 8, at the same 100 ms.
    sup, hal = _sup()
    _probe_ticks(sup, hal, 1, 200, 900)
    hal.code_v = 1
    assert _probe_ticks(sup, hal, 99, 200, 10) is None and hal.output_is_on
    assert _probe_ticks(sup, hal, 1, 200, 10) == 1
    assert sup.fault == faults.FROZEN and not hal.output_is_on


def test_a_noisy_short_at_the_probe_latches_too():
    # SR-13: one reading in four over the line (the ADC's noise at the floor)
    # slows the window, it does not reset it: 100 ms net, after about 200
    # readings (three up, one down), where a reset would never get there.
    sup, hal = _sup()
    _probe_ticks(sup, hal, 1, 200, 900)
    n = 0
    while not sup.fault and n < 1000:
        hal.code_v = _FLOOR[n % 5]
        _probe_ticks(sup, hal, 1, 200, 64 if n % 4 == 3 else 10)
        n += 1
    assert sup.fault == faults.SHORT and 190 <= n <= 210, n


def test_a_hand_at_the_probe_is_not_a_short_even_while_its_skin_charges():
    # SR-13, controls: a 1 kOhm load at the probe (200 mV), and a hand whose
    # skin capacitance charges over 40 ms from the series path's drop (100 Ohm:
    # 20 mV, under the line) to 380 mV, again and again: no fault over 3 s.
    sup, hal = _sup()
    assert _probe_ticks(sup, hal, 3000, 200, 200) is None
    sup, hal = _sup()
    for _ in range(75):
        for ms in range(40):
            assert _probe_ticks(sup, hal, 1, 200, 20 + 360 * ms // 40) is None
    assert sup.fault == faults.NONE


def test_one_noisy_reading_with_output_off_is_not_a_leak():
    sup, hal = _sup()
    for k in range(200):
        _check(sup, 150 if k % 4 == 0 else 20, 0)  # spikes, never 5 in a row
        sup.drive(states.IDLE, False, 0)  # the tick's end, output off
    assert sup.fault == faults.NONE

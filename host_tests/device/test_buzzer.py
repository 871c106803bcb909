# The buzzer, where fitted (firmware/ui.py BEEPS, app.py): a distinct short
# pattern as each state begins, a fault's code three times, a refused start's
# code once; silent otherwise (the LED keeps showing the state).
from support import make_app, press, run_ticks

from firmware import faults, names, states, ui


def _onsets(state, fault, refusal, ms_total):
    level, count, last_on = False, 0, -1
    for ms in range(ms_total):
        now = ui.buzzer_level(state, fault, ms, refusal)
        if now and not level:
            count += 1
        if now:
            last_on = ms
        level = now
    return count, last_on


def test_each_state_has_its_own_beep_pattern_and_then_silence():
    patterns = []
    for s in range(len(names.STATES)):
        if s == states.FAULT:
            continue
        count, last_on = _onsets(s, faults.NONE, 0, 10000)
        assert count == ui.BEEPS[2 * s] and count > 0, (names.STATES[s], count)
        assert last_on < 3000, names.STATES[s]  # a short signal, not a drone
        patterns.append((ui.BEEPS[2 * s], ui.BEEPS[2 * s + 1]))
    assert len(set(patterns)) == len(patterns), patterns  # distinct, one per state


def test_a_fault_sounds_its_code_three_times_and_a_refusal_once():
    for code in range(1, len(names.FAULTS)):
        count, _ = _onsets(states.FAULT, code, 0, 60000)
        assert count == 3 * code, (code, count)
    for code in range(1, len(names.REFUSALS)):
        count, _ = _onsets(states.IDLE, faults.NONE, code, 20000)
        assert count == code, (code, count)


def test_the_app_sounds_the_state_changes_of_a_start():
    app, hal = make_app()
    run_ticks(app, 3000)  # idle since power-up: its tick, once
    assert hal.buzzer_onsets == 1 and not hal.buzzer_level
    press(app, 2100)
    run_ticks(app, 50)  # released: checks (1 beep), then wait_contact (1 beep)
    run_ticks(app, 1500)
    assert app.ses.state == states.WAIT_CONTACT
    assert hal.buzzer_onsets == 3, hal.buzzer_onsets

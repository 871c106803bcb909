"""docs/troubleshooting.md and docs/using.md match the firmware's codes: every fault
(firmware/faults.py), every refusal (supervisor.REFUSE_*, names.REFUSALS), every state
(firmware/states.py) with its LED pattern (ui.PATTERNS), and the profiles
(firmware/profiles.py) and settings (store.check_config)."""

from __future__ import annotations

import json
import re

from doc_tables import code_blocks, number, table, text, untick

from firmware import faults, names, profiles, states, store, supervisor, ui

TROUBLE = text("docs/troubleshooting.md")
USING = text("docs/using.md")


def _codes(module, pattern: str) -> list[int]:
    # The module's integer constants whose names match (states.py also holds a set).
    return sorted(v for k, v in vars(module).items()
                  if re.fullmatch(pattern, k) and isinstance(v, int))


def test_every_fault_code_has_an_entry_with_its_number():
    rows = table(TROUBLE, "| blinks | fault |")
    assert [(int(r[0]), r[1]) for r in rows] == list(enumerate(names.FAULTS))[1:]
    assert all(r[2] and r[3] for r in rows)  # what happened, what to do
    # every constant of faults.py has a name, in order
    assert _codes(faults, r"[A-Z]+") == list(range(len(names.FAULTS)))


def test_every_refusal_has_an_entry_with_its_number():
    rows = table(TROUBLE, "| blinks | refusal |")
    assert [(int(r[0]), r[1]) for r in rows] == list(enumerate(names.REFUSALS))[1:]
    assert all(r[2] and r[3] for r in rows)
    assert _codes(supervisor, r"REFUSE_[A-Z]+") == list(range(len(names.REFUSALS)))


def test_every_schedule_warning_has_an_entry_and_blinks_its_number_in_wait_contact():
    from firmware import schedule

    rows = table(TROUBLE, "| blinks | warning |")
    assert [(int(r[0]), r[1]) for r in rows] == list(enumerate(names.WARNINGS))[1:]
    assert all(r[2] and r[3] for r in rows)
    # The journal names a warning by names.WARNINGS[code]: each code its own name.
    assert [names.WARNINGS[c] for c in (schedule.NONE, schedule.DAY, schedule.WEEK)] == [
        "none", "day", "week"]
    for code in range(1, len(names.WARNINGS)):
        level, count = False, 0
        for ms in range(code * 200 + 2000):
            now = ui.led_level(states.WAIT_CONTACT, faults.NONE, ms, 0, code)
            count += 1 if now and not level else 0
            level = now
        assert count == code


# The LED patterns that are no state of their own, after the states' in
# ui.PATTERNS: (row name, state, led_level's limited flag).
EXTRA_PATTERNS = (("treat (limited)", states.TREAT, True),)  # SR-14, issue 14 D1


def test_every_state_has_a_troubleshooting_entry():
    rows = table(TROUBLE, "| state | what the LED shows |")
    assert [r[0] for r in rows] == list(names.STATES) + [e[0] for e in EXTRA_PATTERNS]
    assert all(r[1] and r[2] for r in rows)
    assert _codes(states, r"[A-Z_]+") == list(range(len(names.STATES)))


def test_the_light_table_has_every_pattern_of_ui_with_its_timing():
    rows = table(USING, "| state | period | on |")
    assert [r[0] for r in rows] == list(names.STATES) + [e[0] for e in EXTRA_PATTERNS]
    assert len(ui.PATTERNS) == 2 * len(rows)
    step = 50  # ui._STEP_MS
    for i, (state, period, on, seen) in enumerate(rows):
        code, limited = (i, False) if i < len(names.STATES) else EXTRA_PATTERNS[
            i - len(names.STATES)][1:]
        p, o = ui.PATTERNS[2 * i] * step, ui.PATTERNS[2 * i + 1] * step
        if p == 0:  # fault: the blink code instead of a pattern
            assert (period, on) == ("-", "-"), state
        else:
            assert (number(period, "ms"), number(on, "ms")) == (p, o), state
            # the pattern the table gives is what led_level does over one period
            lit = sum(ui.led_level(code, faults.NONE, ms, 0, 0, limited) for ms in range(p))
            assert lit == o, state
        assert seen, state
    # Each pattern is distinct from every state's (and the limited one from
    # steady on above all): a person can tell them apart.
    pairs = [bytes(ui.PATTERNS[2 * i:2 * i + 2]) for i in range(len(rows))]
    for k in range(len(names.STATES), len(rows)):
        assert pairs[k] not in pairs[:len(names.STATES)], rows[k][0]


def test_the_limited_pattern_shows_only_in_treat():
    # SR-14 (issue 14 D1): the compliance-limited pattern is treat's alone; in
    # every other state the flag changes nothing (a fault's code above all).
    for state in range(len(names.STATES)):
        for ms in range(0, 6000, 10):
            plain = ui.led_level(state, faults.NONE, ms)
            if state != states.TREAT:
                assert ui.led_level(state, faults.NONE, ms, 0, 0, True) == plain, state
    for ms in range(0, 6000, 10):
        assert ui.led_level(states.TREAT, faults.SENSOR, ms, 0, 0, True) == ui.led_level(
            states.TREAT, faults.SENSOR, ms)
    dark = [ms for ms in range(4000) if not ui.led_level(states.TREAT, faults.NONE, ms, 0, 0,
                                                         True)]
    assert len(dark) == 200 and dark[0] == 1900 and dark[-1] == 3999, dark


def test_blink_codes_blink_their_number():
    def blinks(fault, refusal, ms_total):
        level, count = False, 0
        for ms in range(ms_total):
            now = ui.led_level(states.IDLE, fault, ms, refusal)
            if now and not level:
                count += 1
            level = now
        return count

    for code in range(1, len(names.FAULTS)):
        assert blinks(code, 0, code * 500 + 2000) == code
    for code in range(1, len(names.REFUSALS)):
        assert blinks(0, code, code * 200 + 2000) == code


def test_the_profile_table_is_the_firmware_defaults():
    rows = table(USING, "| blinks | profile |")
    assert len(rows) == len(profiles.DEFAULTS)
    polarity = ("none", "midway", "alternate", "fixed: tray A +", "fixed: tray B +")
    for i, (blinks, name, current, minutes, pulsed, pol, cap) in enumerate(rows):
        d_name, set_ua, duration_ms, pulse_hz, d_pol = profiles.DEFAULTS[i]
        assert int(blinks) == i + 1 and name == d_name
        assert current == f"{set_ua / 1000:g} mA", name
        assert minutes == f"{duration_ms // 60000} min", name
        assert pulsed == (f"{pulse_hz} Hz" if pulse_hz else "no (DC)"), name
        assert pol == polarity[d_pol], name
        assert cap == f"{profiles.CAP_UA[i] / 1000:g} mA", name


def test_the_settings_example_and_keys_are_what_the_firmware_reads():
    (example,) = code_blocks(USING, "json")
    assert store.check_config(json.loads(example))  # valid as written
    keys = [untick(r[0]) for r in table(USING, "| key | meaning |")]
    assert sorted(keys) == sorted(json.loads(example))
    for key in keys:  # each documented key is one check_config reads
        bad = {key: "x"}
        try:
            store.check_config(bad)
        except ValueError:
            continue
        raise AssertionError(f"{key}: check_config ignores it")

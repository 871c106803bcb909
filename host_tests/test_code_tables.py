"""The README's light, fault and refusal tables match the firmware's codes."""

from __future__ import annotations

import re
from pathlib import Path

import tools.sim.mpshim  # noqa: F401
from firmware import faults, names, session, states, ui

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def _rows(header: str) -> list[list[str]]:
    block = README[README.index(header):]
    rows = []
    for line in block.splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


def test_every_state_has_a_pattern_and_a_line():
    documented = [r[0] for r in _rows("| state | LED |")]
    assert documented == list(names.STATES)
    codes = sorted(v for k, v in vars(states).items() if re.fullmatch(r"[A-Z_]+", k))
    assert codes == list(range(len(names.STATES)))
    assert len(ui.PATTERNS) == 2 * len(names.STATES)


def test_every_fault_code_is_documented_with_its_number():
    rows = _rows("| fault (slow blinks) |")
    assert [(int(r[0]), r[1]) for r in rows] == list(enumerate(names.FAULTS))[1:]
    assert all(r[3] for r in rows)  # each has something to do
    codes = sorted(v for k, v in vars(faults).items() if re.fullmatch(r"[A-Z]+", k))
    assert codes == list(range(len(names.FAULTS)))  # every code has a name, in order


def test_every_refusal_is_documented_with_its_number():
    rows = _rows("| refused start (quick blinks) |")
    assert [(int(r[0]), r[1]) for r in rows] == list(enumerate(names.REFUSALS))[1:]
    consts = sorted(v for k, v in vars(session).items() if k.startswith("REFUSE_"))
    assert consts == list(range(len(names.REFUSALS)))


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

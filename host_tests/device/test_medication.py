# Issue 17 item 4: the medication profile (a prescription in one tray's water)
# through the whole firmware on the simulated board. The named tray is + for
# the whole session: the relay takes its position in the checks, with the
# output off (SR-11), and never moves again (no midway reversal, none in the
# journal record); the current is DC (the gate fully on, never pulsed); the
# start says the reminder once; with underarm pads the 5 mA cap holds (SR-7).
# Refused settings change nothing (SR-19): test_medication_console.py.
# device-tests: one interpreter per test (a simulated board each)
import builtins
import json

from support import journal

from tools.sim.simboard import SimBoard

REVERSING = 5  # firmware/states.py
MED_B = {"profile": 5, "set_ua": 12000, "duration_ms": 600000, "polarity": 4}


class Watch:
    # Every 0.5 s: the relay as the circuit has it, whether current flowed
    # and at which gate (1.0: DC), the state; counts only (the unix port's heap).
    def __init__(self, b, t0, t1):
        self.relay_on_current = set()  # relay positions seen with the gate open
        self.gates = set()  # gate values seen while open
        self.reversing = 0
        self.open = 0
        self.t1 = t1
        b.at(t0, self.look)

    def look(self, b):
        c = b.circuit
        if c.gate > 0:
            self.open += 1
            self.gates.add(c.gate)
            self.relay_on_current.add(c.relay)
        st = b.status()
        if st is not None and st[0] == REVERSING:
            self.reversing += 1
        if b.clock.us < self.t1 * 1000000:
            b.at(b.clock.us / 1e6 + 0.5, self.look)


def _said(run):
    # The lines the firmware printed that name a medicated tray, while run() ran.
    lines = []
    real = builtins.print

    def catch(*args, **kw):
        text = " ".join(str(a) for a in args)
        if text.startswith("medication:"):
            lines.append(text)
        real(*args, **kw)

    builtins.print = catch
    try:
        run()
    finally:
        builtins.print = real
    return lines


# SR-11: the relay switches once, in the checks with the output off, and
# never during the session; no reversal in the record; DC throughout.
def test_a_tray_b_session_is_dc_with_the_relay_reversed_from_the_checks_on_and_never_again():
    b = SimBoard("pico", seed=171, flash_dir="build/sim_flash/test_medication_b")
    b.write_file("journal.jsonl", "")
    b.write_file("config.json", json.dumps(MED_B))
    before = b.snapshot_at(3.0)  # the hold (SR-20): nothing switched yet
    b.press_button(1.0, 2.5)
    seen = Watch(b, 3.6, 650.0)
    said = _said(lambda: b.run(650))
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    c = b.circuit
    assert before["gate"] == 0 and before["set_ua"] == 12000, before
    # One switch, in the checks before any current (SR-11), none under current.
    assert c.relay_switches == 1 and c.relay_switches_under_current == 0, c.relay_switches
    assert seen.open > 1200 and seen.relay_on_current == {1}, (seen.open, seen.relay_on_current)
    assert seen.gates == {1.0} and seen.reversing == 0, (seen.gates, seen.reversing)  # DC
    (rec,) = journal(b)
    assert (rec["profile"], rec["polarity"], rec["reversed_start"], rec["reversals"]) == (
        5, 4, 1, 0), rec
    assert rec["end"] == "timer" and rec["fault"] == "none", rec
    assert 11900 <= rec["min_ua"] and rec["max_ua"] <= 12100, rec  # the doctor's set point
    # The reminder, once, in words.
    assert len(said) == 1 and "tray (or pad) B, the + one" in said[0], said


# SR-11 and SR-7, session after session.
def test_every_session_puts_the_relay_where_its_named_tray_needs_it():
    # An underarms session with medicated pads (tray B: reversed, 5 mA cap,
    # SR-7), then a pick of the medication profile on the device (its
    # doctor's settings, tray A, come back from config.json), then its
    # session: the relay, left reversed, goes back to rest in the checks,
    # before any current, and stays there.
    b = SimBoard("pico", seed=172, flash_dir="build/sim_flash/test_medication_ab")
    b.write_file("journal.jsonl", "")
    pads = {"profile": 2, "set_ua": 5000, "duration_ms": 600000, "polarity": 4}
    doctor = {"set_ua": 14000, "duration_ms": 600000, "polarity": 3}
    pads["medication"] = doctor
    b.write_file("config.json", json.dumps(pads))
    b.press_button(1.0, 2.5)
    first = Watch(b, 3.6, 625.0)
    for k in range(4):  # underarms (3) shown, then child, custom, medication (6)
        b.press_button(640.0 + k, 0.2)
    picked = b.snapshot_at(649.0)
    b.press_button(650.0, 2.5)
    second = Watch(b, 652.6, 1290.0)
    said = _said(lambda: b.run(1290))
    assert not b.crashes and not b.resets, (b.crashes, b.resets)
    c = b.circuit
    assert c.relay_switches == 2 and c.relay_switches_under_current == 0, c.relay_switches
    assert first.relay_on_current == {1} and second.relay_on_current == {0}, (
        first.relay_on_current, second.relay_on_current)
    assert first.gates == second.gates == {1.0}, (first.gates, second.gates)
    assert first.reversing == second.reversing == 0
    assert picked["set_ua"] == 14000 and picked["gate"] == 0, picked
    want = {"profile": 5}
    want.update(doctor)  # the kept settings back on top; the underarms' own are not kept
    assert json.loads(b.read_file("config.json")) == want
    r1, r2 = journal(b)
    assert (r1["profile"], r1["polarity"], r1["reversed_start"], r1["reversals"]) == (2, 4, 1, 0)
    # SR-7: the pads' 5 mA. The journal's extremes are single readings, every
    # 32 ms for 10 minutes: the ADC's noise (2 LSB, of 9.8 uA through 82 Ohm)
    # rides on them, about 8 LSB at the most of 19,000.
    assert r1["max_ua"] <= 5100 and r1["end"] == "timer", r1
    assert (r2["profile"], r2["polarity"], r2["reversed_start"], r2["reversals"]) == (5, 3, 0, 0)
    assert 13900 <= r2["min_ua"] and r2["max_ua"] <= 14100 and r2["end"] == "timer", r2
    assert len(said) == 2, said  # once a session
    assert "(or pad) B, the + one" in said[0] and "(or pad) A, the + one" in said[1], said


def test_a_tap_water_session_says_no_medication_reminder():
    # Control: the reminder belongs to a medicated tray, not to every start.
    b = SimBoard("pico", seed=173, flash_dir="build/sim_flash/test_medication_none")
    b.write_file("config.json", json.dumps({"profile": 0, "duration_ms": 600000}))
    b.press_button(1.0, 2.5)
    said = _said(lambda: b.run(20))
    assert not b.crashes and said == [], (b.crashes, said)

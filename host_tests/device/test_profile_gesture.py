# The profile gesture (firmware/session.py, firmware/picker.py) through the whole
# firmware on the simulated board: in idle a short press shows the profile
# (the LED on, dark once per profile number), each next short press within
# 4 s steps to the next, and 4 s after the last press the choice is saved to
# config.json (atomically, SR-19) and applied: the next session runs it.
# device-tests: one interpreter per test (a simulated board each)
import json
import os

from tools.sim.simboard import SimBoard


def _board(seed, config=None):
    b = SimBoard("pico", seed=seed, flash_dir="build/sim_flash/gesture_" + str(seed))
    if config is not None:
        b.write_file("config.json", json.dumps(config))
    return b


def _dark_edges(b, t0, t1):
    # Counts the LED going dark between t0 and t1 (sampled every 10 ms).
    seen = {"last": 1, "dark": 0}
    pin = b.board["pin_led"]

    def look(b):
        level = b.hw.level[pin]
        if level == 0 and seen["last"] == 1:
            seen["dark"] += 1
        seen["last"] = level
        if b.clock.us < t1 * 1000000:
            b.at(b.clock.us / 1e6 + 0.01, look)

    b.at(t0, look)
    return seen


def test_two_short_presses_pick_feet_and_the_next_session_runs_it():
    b = _board(81)
    b.press_button(3.0, 0.2)  # shows hands (1 dark gap)
    shown = _dark_edges(b, 3.3, 4.9)
    b.press_button(5.0, 0.2)  # steps to feet (2 dark gaps)
    stepped = _dark_edges(b, 5.3, 7.9)
    before = b.snapshot_at(8.0)  # not saved yet (4 s after the last press)
    b.press_button(12.0, 2.5)  # the start gesture
    during = b.snapshot_at(40.0)
    b.run(41)
    assert not b.crashes, b.crashes
    assert shown["dark"] == 1 and stepped["dark"] == 2, (shown, stepped)
    assert before["set_ua"] == 15000  # hands until saved
    assert json.loads(b.read_file("config.json")) == {"profile": 1}
    assert during["set_ua"] == 18000 and during["state"] in (1, 2), during  # feet: 18 mA


def test_a_pick_of_the_same_profile_writes_nothing_and_a_full_cycle_wraps():
    b = _board(82)
    for k in range(7):  # hands, feet, underarms, child, custom, medication, hands
        b.press_button(3.0 + k, 0.2)
    after = b.snapshot_at(15.0)
    b.run(15.5)
    assert not b.crashes, b.crashes
    assert b.read_file("config.json") is None  # nothing was written
    assert after["set_ua"] == 15000 and after["state"] == 0


def test_custom_settings_survive_a_pick_of_another_profile_and_come_back():
    custom = {"profile": 4, "set_ua": 9000, "duration_ms": 900000}
    b = _board(83, custom)
    b.press_button(3.0, 0.2)  # custom (5)
    b.press_button(4.0, 0.2)  # medication (6)
    b.press_button(5.0, 0.2)  # hands (1)
    mid = b.snapshot_at(10.0)
    for k in range(5):  # hands -> feet -> underarms -> child -> custom
        b.press_button(11.0 + k, 0.2)
    end = b.snapshot_at(21.0)
    b.run(21.5)
    assert not b.crashes, b.crashes
    assert mid["set_ua"] == 15000 and end["set_ua"] == 9000, (mid, end)
    assert json.loads(b.read_file("config.json")) == custom


def test_the_profile_stays_when_the_flash_cannot_take_the_new_file():
    # The new file cannot be written (a folder where the temporary file goes):
    # the profile stays, on the device and in the file (SR-19: nothing changed).
    b = _board(84)
    os.mkdir(b.flash + "/config.json.tmp")
    b.press_button(3.0, 0.2)
    b.press_button(4.0, 0.2)  # feet
    after = b.snapshot_at(9.0)
    b.run(9.5)
    os.rmdir(b.flash + "/config.json.tmp")
    assert not b.crashes, b.crashes
    assert after["set_ua"] == 15000 and b.read_file("config.json") is None


def test_six_presses_pick_the_medication_profile_with_its_defaults():
    # The sixth profile (6 dark gaps): saved, and the next session runs its
    # defaults (firmware/profiles.py: 10 mA, tray A, DC).
    b = _board(85)
    for k in range(6):  # hands (shown), feet, underarms, child, custom, medication
        b.press_button(3.0 + k, 0.2)
    shown = _dark_edges(b, 8.3, 10.7)
    b.press_button(14.0, 2.5)
    during = b.snapshot_at(40.0)
    b.run(41)
    assert not b.crashes, b.crashes
    assert shown["dark"] == 6, shown
    assert json.loads(b.read_file("config.json")) == {"profile": 5}
    assert during["set_ua"] == 10000 and during["state"] == 3 and during["gate"] == 1.0, during
    assert b.circuit.relay == 0 and b.circuit.relay_switches == 0  # tray A: the relay at rest

# The optional display on the simulated board (issue 17, docs/display.md): the
# whole firmware on pico_oled, the real ssd1306 driver on the simulated SPI bus
# and panel (tools/sim/oled.py), read back as text from the panel's RAM.
# Without a display (pico) nothing of it starts.
from tools.sim.simboard import SimBoard


def _mA(text):
    return int(round(float(text) * 1000))


def _look(b, t_s):
    # At t_s: the panel's lines, the status, the app's display (None: none).
    seen = {}

    def look(bb):
        panel = getattr(bb.hw, "panel", None)
        seen["lines"] = panel.text_lines() if panel is not None else None
        seen["status"] = list(bb.status())
        seen["display"] = bb._main.__dict__["app"].display

    b.at(t_s, look)
    return seen


def test_the_display_shows_the_session_as_it_runs():
    b = SimBoard("pico_oled", seed=5, flash_dir="build/sim_flash/test_display_session")
    b.press_button(1.0, 2.5)
    seen = _look(b, 45.0)  # treating since about 35 s (a 30 s ramp to 15 mA)
    b.run(45.5)
    assert not b.crashes, b.crashes
    lines, st = seen["lines"], seen["status"]
    assert seen["display"] is not None
    # state, polarity (tray A + at the start of a hands session); the status
    # is now, the screen up to 0.5 s older (a frame is 16 slices of 32 ms)
    assert lines[0].split() == ["treat", "A+"], lines
    label, value, unit = lines[1].split()
    assert (label, unit) == ("I", "mA") and abs(_mA(value) - st[3]) <= 100, (lines, st)
    assert lines[2].split() == ["set", "15.00", "mA"], lines
    label, left = lines[3].split()
    m, s = left.split(":")
    assert label == "left" and abs(1200 - st[8] - (int(m) * 60 + int(s))) <= 2, (lines, st)
    label, value, unit = lines[4].split()
    assert (label, unit) == ("load", "kOhm") and abs(float(value) * 1000 - st[5]) <= 150
    assert lines[5].split()[0] == "reached" and lines[5].endswith("%"), lines
    assert 95 <= int(lines[5].split()[1][:-1]) <= 100, lines
    assert lines[6] == "" and lines[7] == ""


def test_a_refused_start_shows_in_words():
    b = SimBoard("pico_oled", seed=6, calibrated=False,
                 flash_dir="build/sim_flash/test_display_refused")
    b.press_button(1.0, 2.5)
    seen = _look(b, 6.0)
    b.run(6.5)
    assert seen["status"][17] == 1  # session.REFUSE_UNCALIBRATED (SR-19)
    assert seen["lines"][6:] == ["refused", "uncalibrated"], seen["lines"]


def test_without_a_display_nothing_of_it_starts():
    b = SimBoard("pico", seed=7, flash_dir="build/sim_flash/test_display_none")
    seen = _look(b, 2.0)
    b.run(2.5)
    assert seen["display"] is None and seen["lines"] is None
    assert not b.crashes

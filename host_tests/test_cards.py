"""The committed cards (docs/cards/quickstart.*, codes.*) are what tools/cards.py makes
from today's firmware tables (`make cards` regenerates them).

Three checks: the text of each card (the .md: every word, code and on-interval it
draws) equals a fresh one; the PNG and the PDF name, in their metadata, the SHA-256
of the committed text; and a fresh rendering into tmp_path is byte for byte the
committed PNG and PDF (the generator uses matplotlib's own font file and no dates,
and the venv pins matplotlib). The last tests change a code in firmware/ui.py's and
faults.py's tables (in memory, as a changed file would) and show the card going stale.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import matplotlib
import pytest
from PIL import Image

from firmware import names, ui
from tools import cards

CARDS = Path(__file__).resolve().parent.parent / "docs" / "cards"
STALE = "out of date: run `make cards` and commit docs/cards/"
TEXTS = {"codes": cards.codes_text, "quickstart": cards.quickstart_text}


def _committed(name: str) -> str:
    return (CARDS / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", TEXTS)
def test_the_card_text_is_what_the_firmware_gives_today(name):
    assert TEXTS[name]() == _committed(name), f"{name}.md " + STALE


@pytest.mark.parametrize("name", TEXTS)
def test_the_images_were_drawn_from_the_committed_text(name):
    sha = hashlib.sha256(_committed(name).encode()).hexdigest()
    with Image.open(CARDS / f"{name}.png") as png:
        assert png.format == "PNG" and png.width > 800 and png.height > 1100  # A4, readable
        assert png.text.get(cards.KEY) == sha, f"{name}.png " + STALE  # type: ignore[attr-defined]
    pdf = (CARDS / f"{name}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and f"{cards.KEY} {sha}".encode() in pdf, f"{name}.pdf " + STALE
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1, f"{name}.pdf: one page"


def test_a_fresh_rendering_is_the_committed_files_byte_for_byte(tmp_path):
    with Image.open(CARDS / "codes.png") as png:
        made_with = png.text.get("Software")  # type: ignore[attr-defined]
    assert made_with == "matplotlib " + matplotlib.__version__, (
        f"the cards were drawn with {made_with}; this venv has {matplotlib.__version__}")
    cards.render(tmp_path)
    for name in TEXTS:
        for ext in ("md", "pdf", "png"):
            fresh, committed = (tmp_path / f"{name}.{ext}").read_bytes(), (
                CARDS / f"{name}.{ext}").read_bytes()
            assert fresh == committed, f"{name}.{ext} " + STALE


def test_the_card_lists_every_state_fault_refusal_and_warning_of_the_firmware():
    text = _committed("codes")
    rows = re.findall(r"^\| (\d*) \| ([\w ()]+) \|", text, flags=re.M)
    named = [n for _, n in rows]
    assert [n for n in names.STATES if n != "fault"] + ["treat (limited)"] == named[:11]
    for table, title in ((names.FAULTS, "Faults"), (names.REFUSALS, "Refused starts"),
                         (names.WARNINGS, "Schedule warnings")):
        section = text.split(f"## {title}")[1].split("\n## ")[0]
        got = re.findall(r"^\| (\d+) \| (\w+) \|", section, flags=re.M)
        assert got == [(str(c), n) for c, n in enumerate(table) if c], title


def test_the_timelines_are_what_led_level_blinks():
    # Fault 3 (sensor): 3 slow blinks of 200 ms in 500 ms slots, then the 2 s pause.
    assert cards.on_intervals(lambda ms: ui.led_level(8, 3, ms)) == [
        (0, 200), (500, 700), (1000, 1200), (3500, 3700), (4000, 4200), (4500, 4700)]
    assert "| 3 | sensor |" in _committed("codes")
    assert "| 0-200, 500-700, 1000-1200 every 3500 |" in _committed("codes")


def test_a_changed_led_pattern_makes_the_committed_card_stale(monkeypatch):
    assert cards.codes_text() == _committed("codes")  # control: fresh today
    patterns = bytearray(ui.PATTERNS)
    patterns[1] = 2  # idle: a 100 ms flash instead of 50 ms, as an edit of ui.py would
    monkeypatch.setattr(ui, "PATTERNS", bytes(patterns))
    changed = cards.codes_text()
    assert changed != _committed("codes")
    assert "| idle | ready: hold the button 2 s, release to start | 0-100 every 2000 |" in changed


def test_a_changed_fault_code_makes_the_card_stale_or_stops_the_generator(monkeypatch):
    # faults.py and names.FAULTS move together (test_code_tables.py): a renamed code
    # changes the text; a new code without words on the card stops the generator.
    renamed = ("none",) + names.FAULTS[1:3] + ("sensor_fault",) + names.FAULTS[4:]
    monkeypatch.setattr(names, "FAULTS", renamed)
    monkeypatch.setitem(cards.FAULT_WORDS, "sensor_fault", cards.FAULT_WORDS["sensor"])
    assert cards.codes_text() != _committed("codes")
    monkeypatch.setattr(names, "FAULTS", names.FAULTS + ("brownout",))
    with pytest.raises(KeyError, match="brownout"):
        cards.codes_text()

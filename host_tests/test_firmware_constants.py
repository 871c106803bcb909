"""Constants that app.py keeps as its own compile-time constants (folded into
the tick's code, no heap: M8) match the tables they stand for."""

from __future__ import annotations

import re
from pathlib import Path

import tools.sim.mpshim  # noqa: F401
from firmware import app, names, profiles

APP = (Path(__file__).resolve().parent.parent / "firmware" / "app.py").read_text()


def test_status_indexes_follow_the_names_table():
    found = {m[0].lower(): int(m[1]) for m in re.findall(r"^_S_([A-Z_]+) = const\((\d+)\)", APP,
                                                          re.M)}
    assert found.pop("size") == len(names.STATUS)
    assert found == {name: k for k, name in enumerate(names.STATUS)}
    assert len(app.status) == len(names.STATUS)


def test_the_profile_gesture_cycles_through_every_profile():
    (count,) = re.findall(r"^_PROFILES = const\((\d+)\)", APP, re.M)
    assert int(count) == len(profiles.DEFAULTS)

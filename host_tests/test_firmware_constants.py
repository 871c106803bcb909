"""Constants that app.py keeps as its own compile-time constants (folded into
the tick's code, no heap: M8) match the tables they stand for. mpy-cross folds
a const() only within its module, so app.py cannot import these; its constants
are read here from its syntax tree."""

from __future__ import annotations

import ast
from pathlib import Path

import tools.sim.mpshim  # noqa: F401
from firmware import app, names, profiles

APP = Path(__file__).resolve().parent.parent / "firmware" / "app.py"
SESSION = APP.parent / "session.py"


def consts(source: str) -> dict[str, int]:
    """NAME -> value of each module-level `NAME = const(integer)`."""
    out = {}
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "const"
                and len(node.value.args) == 1 and isinstance(node.value.args[0], ast.Constant)):
            out[node.targets[0].id] = node.value.args[0].value
    return out


def test_status_indexes_follow_the_names_table():
    found = {k[3:].lower(): v for k, v in consts(APP.read_text()).items() if k.startswith("_S_")}
    assert found.pop("size") == len(names.STATUS)
    assert found == {name: k for k, name in enumerate(names.STATUS)}
    assert len(app.status) == len(names.STATUS)


def test_the_profile_gesture_cycles_through_every_profile():
    assert consts(SESSION.read_text())["_PROFILES"] == len(profiles.DEFAULTS)


def test_the_reader_sees_a_wrong_index():
    # Control: an index moved by one is seen.
    src = APP.read_text().replace("_S_STATE = const(0)", "_S_STATE = const(1)")
    assert consts(src)["_S_STATE"] == 1 and consts(APP.read_text())["_S_STATE"] == 0

"""The app stays a wiring of parts (issue 16 item 1): `App` has at most 15 attributes,
read from firmware/app.py's syntax tree (every `self.<name> =` in the class), with a
control. test_import_layers.py checks that no other module sets one."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "firmware" / "app.py"
MAX_ATTRIBUTES = 15


def attributes(src: str, cls: str = "App") -> set[str]:
    tree = ast.parse(src)
    (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls]
    found = set()
    for n in ast.walk(node):
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in n.targets if isinstance(n, ast.Assign) else [n.target]:
                if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        and target.value.id == "self"):
                    found.add(target.attr)
    return found


def test_the_app_has_at_most_15_attributes():
    found = attributes(APP.read_text())
    assert len(found) <= MAX_ATTRIBUTES, sorted(found)
    assert {"hal", "sup", "ses", "reg", "ind"} <= found  # the parts it wires


def test_an_attribute_set_anywhere_in_the_class_is_counted():
    # Control: a 16th set in a method (an augmented one too) is seen.
    src = APP.read_text().replace("    def _report(self):\n",
                                  "    def _report(self):\n        self.extra += 1\n")
    assert attributes(src) == attributes(APP.read_text()) | {"extra"}
    assert len(attributes(src)) == len(attributes(APP.read_text())) + 1

"""One way to drop code that runs only at startup or with the output off: firmware.job
(firmware/__init__.py), which drops whatever firmware module a job loaded (issue 16: no
hand-kept lists). Checked on the syntax trees of every device file: no other one
touches sys.modules, and none keeps a list of modules to drop. The behaviour is
tested in host_tests/device/test_job.py, and M8 measures what it saves."""

from __future__ import annotations

import ast

from tools.device_files import ROOT, device_files

_HOME = "firmware/__init__.py"


def _sys_modules_uses(tree: ast.AST) -> int:
    return sum(1 for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "modules"
               and isinstance(n.value, ast.Name) and n.value.id == "sys")


def test_only_firmware_job_touches_sys_modules():
    found = {rel: _sys_modules_uses(ast.parse((ROOT / rel).read_text(), rel))
             for rel in device_files(ROOT)}
    assert found.pop(_HOME) >= 1  # the job itself (and the check sees it)
    assert {rel: n for rel, n in found.items() if n} == {}


def _hand_kept(tree: ast.AST) -> set[str]:
    # The old ways: a LOADS list, a release() call or def.
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id in ("LOADS", "release"):
            out.add(n.id)
        elif isinstance(n, ast.Attribute) and n.attr == "release":
            out.add("." + n.attr)
        elif isinstance(n, ast.FunctionDef) and n.name == "release":
            out.add("def release")
    return out


def test_control_the_check_sees_a_hand_kept_list():
    old = 'LOADS = ("journal", "names")\nfirmware.release("journal")\n'
    assert _hand_kept(ast.parse(old)) == {"LOADS", ".release"}


def test_no_device_file_keeps_a_list_of_modules_to_drop():
    found = {rel: _hand_kept(ast.parse((ROOT / rel).read_text(), rel))
             for rel in device_files(ROOT)}
    assert {rel: n for rel, n in found.items() if n} == {}

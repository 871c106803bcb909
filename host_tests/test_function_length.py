"""Issue 16: no function in the device code over 60 lines, but two the
every-millisecond tick runs in itself. Those stay long on purpose (issue 13): each is
viper code over one preallocated array, and a call of its own costs the tick more
than the lines it would save (docs/testing.md, "Real time: what runs when").
App.tick itself is under the limit since the slow jobs run after it (App.job)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 60  # lines, the def line to the last line of the body
TICK = {("firmware/regulator.py", "step"), ("firmware/supervisor.py", "_sensors")}


def _long(text: str) -> dict[str, tuple[int, bool]]:
    # Every function over LIMIT lines in the source: name -> (lines, viper).
    out = {}
    for n in ast.walk(ast.parse(text)):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = n.end_lineno - n.lineno + 1
            if lines > LIMIT:
                viper = any(ast.unparse(d) == "micropython.viper" for d in n.decorator_list)
                out[n.name] = (lines, viper)
    return out


def _device_files() -> list[Path]:
    return [ROOT / "boot.py", ROOT / "main.py", *sorted((ROOT / "firmware").rglob("*.py"))]


def test_no_device_function_is_over_60_lines_but_the_ticks_own():
    found = {}
    for f in _device_files():
        for name, size in _long(f.read_text()).items():
            found[(f.relative_to(ROOT).as_posix(), name)] = size
    assert set(found) <= TICK, {k: v for k, v in found.items() if k not in TICK}
    # The exceptions are still what excuses them (else the list has gone stale).
    assert set(found) == TICK, TICK - set(found)
    assert all(viper for _, viper in found.values()), found


def test_control_a_61_line_function_is_found():
    body = "".join(f"    x{k} = {k}\n" for k in range(60))
    assert _long("def f():\n" + body) == {"f": (61, False)}
    assert _long("def f():\n" + body[body.index("\n") + 1:]) == {}

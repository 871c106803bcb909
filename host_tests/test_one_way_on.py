"""SR-2: exactly one function switches the output on (Hal.output_on), and only
Supervisor.drive calls it. SR-3: only Supervisor.drive (the tick's end) feeds the watchdog.
Checked on the syntax trees of every device file (an AST, not a text search:
a comment or a string that names a call does not count, a call spelled across
lines does). The behaviour behind them is tested on the simulated board
(test_sim_boot.py, the fault matrix)."""

from __future__ import annotations

import ast

from tools.device_files import ROOT, device_files


def _calls_and_defs():
    # Every call and def of the device files: (file, enclosing class.function,
    # the node), the enclosing name "" at module level.
    out = []
    for rel in device_files(ROOT):
        tree = ast.parse((ROOT / rel).read_text(), rel)

        def walk(node, where, rel=rel):
            for child in ast.iter_child_nodes(node):
                here = where
                if isinstance(child, ast.ClassDef):
                    here = child.name
                elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    here = (where + "." if where else "") + child.name
                    out.append((rel, where, child))
                elif isinstance(child, (ast.Call, ast.Attribute)):
                    out.append((rel, where, child))
                walk(child, here)

        walk(tree, "")
    return out


NODES = _calls_and_defs()


def _calls_of(attr: str) -> list[tuple[str, str, ast.Call]]:
    return [(f, w, n) for f, w, n in NODES if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute) and n.func.attr == attr]


def test_only_the_hal_defines_output_on():
    # SR-2: exactly one function can switch the output on.
    defs = [(f, w) for f, w, n in NODES
            if isinstance(n, ast.FunctionDef) and n.name == "output_on"]
    assert defs == [("firmware/hal.py", "Hal")]


def test_only_the_supervisor_calls_output_on():
    # SR-2: only the supervisor's drive calls it.
    assert [(f, w) for f, w, _ in _calls_of("output_on")] == [
        ("firmware/supervisor.py", "Supervisor.drive")]


def test_only_the_supervisor_feeds_the_watchdog():
    # SR-3: only the supervisor feeds the watchdog, once a tick in drive;
    # the WDT's own feed is taken only by the hal, when it starts the watchdog.
    assert [(f, w) for f, w, _ in _calls_of("feed_watchdog")] == [
        ("firmware/supervisor.py", "Supervisor.drive")]
    feeds = [(f, w) for f, w, n in NODES if isinstance(n, ast.Attribute) and n.attr == "feed"]
    assert feeds == [("firmware/hal.py", "Hal.start_watchdog")]


def test_enable_pin_driven_high_only_in_output_on():
    # SR-2: the hal writes the enable pin through one bound method; 1 only in
    # output_on.
    high = [(f, w) for f, w, n in _calls_of("_enable_value")
            if n.args and isinstance(n.args[0], ast.Constant) and n.args[0].value != 0]
    assert high == [("firmware/hal.py", "Hal.output_on")]
    assert all(isinstance(n.args[0], ast.Constant) for _, _, n in _calls_of("_enable_value"))


def test_pulse_gate_started_only_in_output_on():
    # SR-2: pulsed DC: the gate PWM on the enable pin is also "on"; only
    # output_on creates a PWM on it.
    gates = [(f, w) for f, w, n in _calls_of("PWM")
             if n.args and isinstance(n.args[0], ast.Attribute) and n.args[0].attr == "_enable"]
    assert gates == [("firmware/hal.py", "Hal.output_on")]


# The hal's interlocks (SR-2, SR-3, SR-11, SR-15 and the pulse mode's), which the
# unit tests' FakeHal must inherit, not copy (issue 16 item 4): it may add to
# output_off and pulse_trip_reset (its bath's set point, the latch it models) only
# after calling the hal's own.
INTERLOCKS = ("output_on", "relay", "set_pulsed", "start_watchdog", "watchdog_running",
              "output_off", "pulse_trip_reset")


def fake_hal_copies(path=ROOT / "tools/sim/fakehal.py") -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    fake = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "FakeHal")
    assert [ast.unparse(b) for b in fake.bases] == ["Hal"], "FakeHal must be a Hal"
    bad = []
    for f in fake.body:
        if isinstance(f, ast.FunctionDef) and f.name in INTERLOCKS:
            first = f.body[0]
            calls_hal = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)
                         and ast.unparse(first.value.func) == "Hal." + f.name)
            if not calls_hal:
                bad.append(f.name)
    return bad


def test_the_fake_hal_inherits_every_interlock(tmp_path):
    assert fake_hal_copies() == []
    # Control: a copy of the relay's interlock in the fake is seen.
    copy = tmp_path / "fakehal.py"
    copy.write_text("class FakeHal(Hal):\n    def relay(self, r):\n"
                    "        if self.output_is_on:\n            raise RuntimeError\n")
    assert fake_hal_copies(copy) == ["relay"]

"""The host side's packages import each other one way (issue 16: tools/sim and
tools/ionto imported each other, and the fault matrix's helpers did): no cycle
between the packages of tools/ (tools/sim, tools/ionto, ...; each top-level module
of tools/ is a node of its own), function-level imports included, and none
between the device tests' helpers; and on the device, only the entry points import
machine (issue 16 item 4: the hal is given it), no module but app.py sets a field
of the app (item 1: its inputs are its arguments), and the app has at most 15
attributes (item 1: a wiring of parts). Read from the syntax trees."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return out


def _node(module: str, root: Path) -> str | None:
    # tools.sim.simboard -> "tools.sim"; tools.check_device -> itself; else None.
    parts = module.split(".")
    if parts[0] != "tools" or len(parts) < 2:
        return None
    if (root / "tools" / parts[1]).is_dir():
        return "tools." + parts[1]
    return "tools." + parts[1] if (root / "tools" / (parts[1] + ".py")).exists() else None


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for f in sorted((root / "tools").rglob("*.py")):
        src = _node(f.relative_to(root).with_suffix("").as_posix().replace("/", "."), root)
        for m in _imports(f):
            dst = _node(m, root)
            if src and dst and dst != src:
                edges.setdefault(src, set()).add(dst)
    return edges


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph, or []."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(n: str) -> list[str]:
        state[n] = 1
        path.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        state[n] = 2
        path.pop()
        return []

    for n in sorted(edges):
        if n not in state and (found := visit(n)):
            return found
    return []


def test_the_packages_of_tools_import_one_way():
    edges = graph()
    assert "tools.ionto" in edges.get("tools.launcher", set())  # the reader sees imports
    assert cycle(edges) == [], cycle(edges)


def test_the_fault_matrix_helpers_import_one_way():
    device = ROOT / "host_tests" / "device"
    helpers = {f.stem: _imports(f) for f in device.glob("*.py") if not f.stem.startswith("test_")}
    edges = {a: {b for b in helpers if b in imps} for a, imps in helpers.items()}
    assert "fault_support" in edges["fault_checks"]
    assert cycle(edges) == [], cycle(edges)


def test_the_check_sees_a_cycle(tmp_path):
    # Control: tools/sim importing tools/ionto inside a function, as replboard did.
    for rel, text in (("tools/sim/a.py", "def f():\n    from tools.ionto import b\n"),
                      ("tools/ionto/b.py", "from tools.sim import a\n"),
                      ("tools/c.py", "import tools.sim.a\n")):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    edges = graph(tmp_path)
    assert edges == {"tools.sim": {"tools.ionto"}, "tools.ionto": {"tools.sim"},
                     "tools.c": {"tools.sim"}}, edges
    assert cycle(edges) in (["tools.ionto", "tools.sim", "tools.ionto"],
                            ["tools.sim", "tools.ionto", "tools.sim"])


# The device's entry points: boot, the app (main.py) and the REPL's console. Each
# passes machine to what needs it (firmware/hal.py's Hal, hal_setup, clock, safe mode).
ENTRY_POINTS = {"boot.py", "main.py", "firmware/console.py"}


def machine_importers(root: Path = ROOT) -> set[str]:
    files = [root / "boot.py", root / "main.py", *sorted((root / "firmware").rglob("*.py"))]
    return {f.relative_to(root).as_posix() for f in files
            if f.exists() and "machine" in _imports(f)}


def test_only_the_entry_points_import_machine(tmp_path):
    assert machine_importers() == ENTRY_POINTS
    # Control: a logic module that imports it, inside a function, is seen.
    (tmp_path / "firmware").mkdir()
    (tmp_path / "firmware/session.py").write_text("def f():\n    import machine\n")
    assert machine_importers(tmp_path) == {"firmware/session.py"}


def field_writes(tree: ast.AST, name: str) -> list[tuple[int, str]]:
    # (line, field) of every assignment to `<name>.<field>` under tree: plain,
    # augmented, annotated, and each element of a tuple target.
    out = []
    for node in ast.walk(tree):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign))
                   else [])
        for t in targets:
            for e in (t.elts if isinstance(t, ast.Tuple) else [t]):
                if (isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name)
                        and e.value.id == name):
                    out.append((node.lineno, e.attr))
    return out


def app_writers(root: Path = ROOT) -> list[str]:
    # Assignments to a field of the app (a name `app`, as every firmware module calls
    # it) outside firmware/app.py: App's inputs are its arguments (issue 16 item 1).
    out = []
    for f in sorted((root / "firmware").rglob("*.py")):
        if f.name == "app.py":
            continue
        for line, field in field_writes(ast.parse(f.read_text(), str(f)), "app"):
            out.append(f"{f.relative_to(root).as_posix()}:{line} app.{field}")
    return out


def app_attributes(src: str) -> set[str]:
    # Every `self.<name>` the class App of this source sets, in any method.
    tree = ast.parse(src)
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "App"]
    return {field for _, field in field_writes(cls, "self")}


def test_no_firmware_module_writes_into_the_app(tmp_path):
    assert app_writers() == []
    # Control: a field set from outside, in a tuple, is seen.
    (tmp_path / "firmware").mkdir()
    (tmp_path / "firmware/start_gesture.py").write_text(
        "def run(app):\n    app.start, app.warning = 1, 2\n")
    assert app_writers(tmp_path) == ["firmware/start_gesture.py:2 app.start",
                                     "firmware/start_gesture.py:2 app.warning"]


def test_the_app_has_at_most_15_attributes():
    # Item 1: the app wires its parts; their state is theirs.
    found = app_attributes((ROOT / "firmware/app.py").read_text())
    assert len(found) <= 15, sorted(found)
    assert {"hal", "sup", "ses", "reg", "ind"} <= found  # the parts it wires


def test_an_attribute_set_anywhere_in_the_class_is_counted():
    # Control: a 16th and a 17th, set in a method (augmented, and in a tuple), are seen.
    src = (ROOT / "firmware/app.py").read_text()
    grown = src.replace("    def _report(self):\n",
                        "    def _report(self):\n        self.extra += 1\n"
                        "        self.a, self.b = 1, 2\n")
    assert app_attributes(grown) == app_attributes(src) | {"extra", "a", "b"}

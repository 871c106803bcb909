"""Every safety requirement has a test, and docs/SAFETY.md names only real ones.

The SR list comes from docs/brief/safety.md, a verbatim copy of the project brief's
safety.md (../shared/design/safety.md in the development setup; a clone of the repository
alone has only the copy). A test "names" an SR when its name (`sr11`), its docstring, a
comment inside it or the comment block right above it says SR-n.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPY = ROOT / "docs" / "brief" / "safety.md"
BRIEF = ROOT.parent / "shared" / "design" / "safety.md"
SAFETY = ROOT / "docs" / "SAFETY.md"

_SR_LINE = re.compile(r"^- SR-(\d+) ([^.:\n]+)", re.M)
_SR_TEXT = re.compile(r"\bSR-(\d+)\b")
_SR_NAME = re.compile(r"sr_?(\d+)")
_CITED = re.compile(r"`([\w/.]+\.py)::(test_\w+(?:\[\w+\])?)`")


def brief_srs(text: str) -> dict[int, str]:
    """SR number -> title, from the brief's "- SR-n Title. ..." lines."""
    return {int(n): title for n, title in _SR_LINE.findall(text)}


def naming_tests() -> dict[str, set[int]]:
    """"file::function" of every test in the repository -> the SRs it names."""
    out: dict[str, set[int]] = {}
    for f in sorted((ROOT / "host_tests").rglob("test_*.py")):
        src = f.read_text()
        lines = src.split("\n")
        comments = {t.start[0]: t.string for t in tokenize.generate_tokens(
            io.StringIO(src).readline) if t.type == tokenize.COMMENT}
        for node in ast.parse(src).body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            text = [ast.get_docstring(node) or ""]
            k = node.lineno - 1
            while k >= 1 and lines[k - 1].lstrip().startswith("#"):
                text.append(lines[k - 1])  # the comment block right above
                k -= 1
            end = node.end_lineno or node.lineno
            text += [c for n, c in comments.items() if node.lineno <= n <= end]
            srs = {int(n) for n in _SR_TEXT.findall(" ".join(text))}
            srs |= {int(n) for n in _SR_NAME.findall(node.name)}
            out[f.relative_to(ROOT).as_posix() + "::" + node.name] = srs
    out.update(fault_cases())
    return out


def fault_cases() -> dict[str, set[int]]:
    """The fault matrix's cases, "file::test_fault[Fnn]" -> the SRs of the row:
    one test runs each row (host_tests/device/test_faults.py), which names its
    SRs in its third column."""
    import fault_matrix  # host_tests/device is on the path (conftest.py)

    test = "host_tests/device/test_faults.py::test_fault"
    if not (ROOT / test.split("::")[0]).exists():
        return {}  # a made-up tree (the control below)
    return {f"{test}[{row[0]}]": {int(n) for n in _SR_TEXT.findall(row[2])}
            for row in fault_matrix.CASES}


def safety_rows() -> dict[int, list[str]]:
    """SR number -> the tests its row of docs/SAFETY.md cites."""
    rows: dict[int, list[str]] = {}
    for line in SAFETY.read_text().split("\n"):
        m = re.match(r"^\| SR-(\d+) \|", line)
        if m:
            n = int(m.group(1))
            assert n not in rows, f"SR-{n} has two rows in docs/SAFETY.md"
            rows[n] = [f + "::" + t for f, t in _CITED.findall(line)]
    return rows


def not_met() -> set[int]:
    """The SRs listed under "## Not met yet" in docs/SAFETY.md."""
    text = SAFETY.read_text()
    section = text.split("## Not met yet", 1)[1].split("\n## ", 1)[0]
    return {int(n) for n in re.findall(r"^- SR-(\d+):", section, re.M)}


def test_the_copy_of_the_brief_is_whole_and_the_brief_itself():
    srs = brief_srs(COPY.read_text())
    assert sorted(srs) == list(range(1, 24)), sorted(srs)
    assert all(srs.values())
    if BRIEF.exists():  # the development setup; a clone alone has only the copy
        assert COPY.read_text() == BRIEF.read_text(), "docs/brief/safety.md is out of date"


def test_every_safety_requirement_has_a_test_or_is_listed_as_not_met():
    srs = brief_srs(COPY.read_text())
    named = naming_tests()
    tested = {n for found in named.values() for n in found}
    missing = sorted(set(srs) - tested)
    assert missing == sorted(not_met()), (
        f"SRs without a test: {missing}; docs/SAFETY.md lists as not met: {sorted(not_met())}")


def test_safety_md_has_a_row_per_requirement_citing_tests_that_name_it():
    srs = brief_srs(COPY.read_text())
    rows = safety_rows()
    assert sorted(rows) == sorted(srs), sorted(set(rows) ^ set(srs))
    named = naming_tests()
    for n, cited in rows.items():
        if n in not_met():
            assert not cited, f"SR-{n} is listed as not met but cites tests"
            continue
        assert cited, f"SR-{n}: no test cited in docs/SAFETY.md"
        for test in cited:
            assert test in named, f"SR-{n}: docs/SAFETY.md names {test}, which does not exist"
            assert n in named[test], f"SR-{n}: {test} does not name SR-{n}"


def test_the_coverage_check_sees_a_missing_test_and_a_wrong_citation(tmp_path):
    # The parsers above on a made-up test file: a comment above, a docstring, a
    # name and a comment inside count; a module header does not.
    f = tmp_path / "test_x.py"
    f.write_text('# SR-9 (header)\n\n\n# SR-1\ndef test_a():\n    pass\n\n\n'
                 'def test_b():\n    """SR-2"""\n\n\ndef test_sr11_c():\n    # SR-3\n    pass\n'
                 '\n\ndef test_d():\n    pass\n')
    src = f.read_text()
    seen = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.FunctionDef):
            seen[node.name] = node
    assert set(seen) == {"test_a", "test_b", "test_sr11_c", "test_d"}
    global ROOT
    saved = ROOT
    (tmp_path / "host_tests").mkdir()
    f.rename(tmp_path / "host_tests" / "test_x.py")
    try:
        ROOT = tmp_path
        named = naming_tests()
    finally:
        ROOT = saved
    assert named == {"host_tests/test_x.py::test_a": {1}, "host_tests/test_x.py::test_b": {2},
                     "host_tests/test_x.py::test_sr11_c": {3, 11},
                     "host_tests/test_x.py::test_d": set()}, named

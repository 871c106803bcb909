"""The README and docs/ send a reader only to things that exist: every relative link
(and its #anchor), every `make` target, every .venv/bin program and every
`ionto` command's option and scenario they name. The README's path from a fresh clone
(make sim) to the deploy commands depends on these."""

from __future__ import annotations

import re

import pytest
from doc_tables import DOCS, ROOT

from tools.ionto import cli
from tools.sim import scenarios

PAGES = [ROOT / "README.md"] + sorted(DOCS.glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    # GitHub's anchors: lower case, punctuation dropped, spaces to hyphens.
    s = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return s.replace(" ", "-")


def _anchors(page) -> set[str]:
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", page.read_text(), flags=re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_and_anchors_resolve(page):
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target):
            continue  # an absolute URL
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.exists(), f"{page.name}: {target} does not exist"
        if anchor:
            assert anchor in _anchors(dest), f"{page.name}: no heading for #{anchor} in {path}"


def _text() -> str:
    return "\n".join(p.read_text() for p in PAGES)


def test_make_targets_named_in_the_docs_exist():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([\w.]+):", makefile, flags=re.M))
    text = _text()
    # `make x y` in the prose, and make at the start of a line in a code block
    named = re.findall(r"`make ([a-z. ]+)`", text) + re.findall(r"^make ([a-z. ]+)", text,
                                                                 flags=re.M)
    assert named
    for words in named:
        for target in words.split():
            assert target in targets, f"make {target}: no such target"


def test_programs_named_in_the_docs_are_in_the_venv():
    for name in set(re.findall(r"\.venv/bin/([\w-]+)", _text())):
        assert (ROOT / ".venv" / "bin" / name).exists(), f".venv/bin/{name} is not installed"


def test_ionto_commands_options_and_scenarios_exist(capsys):
    options = {}
    for command in ("simulate", "bench", "deploy", "monitor", "logs", "calibrate", "bringup"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        options[command] = set(re.findall(r"--[a-z-]+", capsys.readouterr().out)) | {"--port"}
    named = re.findall(r"ionto (?:--port \S+ )?([a-z]+)([^`\n]*)", _text())
    assert {c for c, _ in named} >= {"simulate", "deploy", "monitor", "logs"}
    for command, rest in named:
        if command not in options:
            continue  # prose: "ionto deploy", "ionto calibrate (coming)"
        for flag in re.findall(r"--[a-z-]+", rest):
            assert flag in options[command], f"ionto {command}{rest}: no {flag}"
        for name in re.findall(r"--scenario (\w+)", rest):
            assert name in scenarios.SCENARIOS, f"ionto {command}{rest}: no scenario {name}"

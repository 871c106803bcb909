"""docs/clinical.md states the firmware's hard limits as they are in the code: each
`module.NAME` = value in the tables is checked, and every constant of
firmware/limits.py must be in them."""

from __future__ import annotations

import re

from doc_tables import text

from firmware import limits, profiles

DOC = text("docs/clinical.md")
CITED = re.compile(r"`(limits|profiles)\.([A-Z_]+)(?:\[(\d+)\])?` = (\d+)")
MODULES = {"limits": limits, "profiles": profiles}


def test_every_cited_constant_has_the_value_the_doc_states():
    cited = CITED.findall(DOC)
    assert len(cited) > 30
    for module, name, index, value in cited:
        got = getattr(MODULES[module], name)
        if index:
            got = got[int(index)]
        assert got == int(value), f"{module}.{name}{index and [int(index)]}: code says {got}"


def test_every_limit_is_in_the_doc():
    cited = {name for module, name, _, _ in CITED.findall(DOC) if module == "limits"}
    constants = {k for k, v in vars(limits).items() if re.fullmatch(r"[A-Z_]+", k)
                 and isinstance(v, int)}
    assert constants - cited == set(), "limits without a row in docs/clinical.md"


def test_each_limit_row_names_a_source():
    for line in DOC.splitlines():
        if CITED.search(line):
            source = line.strip().strip("|").split("|")[-1].strip()
            assert re.search(r"SR-\d+|project default|study|manual", source), line

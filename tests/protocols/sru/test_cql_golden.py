"""YAZ's CQL conformance samples (the Library of Congress sample queries with YAZ's expected XCQL or error).

Every query the golden files call valid must parse to the same tree as YAZ's; every invalid one must fail.
The files ship with YAZ's source (BSD-3-Clause) and live beside the checkout in ../shared; skipped when absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from kitab.protocols.sru import cql

GOLDEN = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "marc" / "yaz-tests" / "cql-golden"


def _cases() -> list[tuple[str, str]]:
    """(N.M, query): blocks of query lines between comments/blank lines are numbered N, lines in a block M."""
    sample = GOLDEN / "cql2xcqlsample"
    if not sample.is_file():
        return []
    cases: list[tuple[str, str]] = []
    block, line_no, in_block = 0, 0, False
    for line in sample.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            in_block = False
            continue
        if not in_block:
            block, line_no, in_block = block + 1, 0, True
        line_no += 1
        cases.append((f"{block}.{line_no}", line))
    return cases


CASES = _cases()
pytestmark = pytest.mark.skipif(not CASES, reason="../shared/data/marc/yaz-tests/cql-golden is not present")


def _mods(el: etree._Element | None) -> tuple[tuple[str, str | None, str | None], ...]:
    if el is None:
        return ()
    # YAZ lists modifiers in reverse order; order carries no meaning, so compare them sorted
    return tuple(sorted((m.findtext("type") or "", m.findtext("comparison"), m.findtext("value"))
                        for m in el.findall("modifier")))


def _golden_tree(el: etree._Element) -> tuple:  # type: ignore[type-arg]
    if el.tag == "searchClause":
        rel = el.find("relation")
        return ("clause", el.findtext("index"), rel.findtext("value"), _mods(rel.find("modifiers")),
                tuple(t.text or "" for t in el.findall("term")))
    assert el.tag == "triple", el.tag
    boolean = el.find("boolean")
    return ("triple", boolean.findtext("value"), _mods(boolean.find("modifiers")),
            _golden_tree(el.find("leftOperand")[0]), _golden_tree(el.find("rightOperand")[0]))


def _golden_sort(el: etree._Element) -> tuple:  # type: ignore[type-arg]
    keys = el.find("sortKeys")
    if keys is None:
        return ()
    return tuple((k.findtext("index"), _mods(k.find("modifiers"))) for k in keys.findall("key"))


def _sorted_mods(mods: tuple[cql.Modifier, ...]) -> tuple[tuple[str, str | None, str | None], ...]:
    return tuple(sorted((m.name, m.comparison, m.value) for m in mods))


def _our_tree(node: cql.Node) -> tuple:  # type: ignore[type-arg]
    if isinstance(node, cql.SearchClause):
        prefix, uri, name = node.context_set()
        # YAZ prints an index whose prefix the query itself assigned without that prefix
        index = name if (prefix is not None and uri is not None) else node.index
        return ("clause", index, node.relation.base, _sorted_mods(node.relation.modifiers), node.terms)
    return ("triple", node.boolean, _sorted_mods(node.modifiers), _our_tree(node.left), _our_tree(node.right))


def test_golden_set_is_complete():
    assert len(CASES) >= 80
    errors = [n for n, _ in CASES if (GOLDEN / "cql" / f"{n}.err").read_text().strip()]
    assert len(errors) >= 10  # the invalid block and the free-form syntax errors


@pytest.mark.parametrize(("number", "query"), CASES, ids=[n for n, _ in CASES])
def test_yaz_golden(number: str, query: str):
    expected_error = (GOLDEN / "cql" / f"{number}.err").read_text().strip()
    if expected_error:
        with pytest.raises(cql.CQLSyntaxError):
            cql.parse(query)
        return
    parsed = cql.parse(query)
    golden = etree.fromstring((GOLDEN / "cql" / f"{number}.out").read_bytes())
    assert _our_tree(parsed.root) == _golden_tree(golden)
    assert tuple((k.index, _sorted_mods(k.modifiers)) for k in parsed.sort_keys) == _golden_sort(golden)

"""Type-1 (RPN) queries with Bib-1 attributes to Kitab's query language (kitab/search/query.py). Pure.

Each attributes-plus-term operand becomes one formula over Kitab query items; the AND / OR / AND-NOT tree
is then rewritten into Kitab's shape (an AND of clauses, each an OR of items or one negated item) by the
boolean machinery shared with SRU (kitab.protocols.querymap), so both protocols accept and refuse exactly the
same trees: a tree that would need an OR holding a NOT (`@or a @not b c`) cannot be expressed and is refused with a
diagnostic rather than answered wrongly.

Attributes (Bib-1, 1.2.840.10003.3.1; any other attribute set is diagnostic 121):

* Use (1): see USE. Absent means "any".
* Relation (2): 3 (equal) and 102 (relevance: Kitab always ranks) on text; 1 < 2 <= 3 = 4 >= 5 > 6 <> on
  dates; 3 and 6 on language; 3 on identifiers. Anything else is 117.
* Position (3): 1, 2 and 3 are accepted; Kitab does not index word positions within fields, so "first in
  field" is searched as "anywhere in the field" (a superset).
* Structure (4): 1 phrase, 3 key, 101/102 names and 108 string search the term as a phrase; 2 word,
  6 word list, 105 free-form text, 106 document text, 107 local number and 109 numeric string search its
  words (all of them); 4 year, 5 date and 100 date (un-normalised) only on dates. Others: 118.
* Truncation (5): 100 (or absent) none; 1 right truncation makes every word a prefix (`word*`); 101 honours a
  `#` at the end of a word. Left truncation, regular expressions and the rest: 120.
* Completeness (6): accepted and ignored (Kitab indexes words, not whole fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kitab.protocols import querymap
from kitab.protocols.querymap import Formula, KitabQuery, Untranslatable
from kitab.textnorm import exact

from . import codec
from .diagnostics import Bib1Diagnostic

__all__ = ["Formula", "KitabQuery", "operand_formula", "scan_column", "to_kitab"]

MIN_PREFIX_CHARS = 2  # kitab.search.query.MIN_PREFIX_CHARS


@dataclass(frozen=True, slots=True)
class UseSpec:
    """What a Bib-1 use attribute searches. kind: text | ident | year | filter."""

    kind: str
    target: str  # Kitab prefix ("" = every field), identifier kind or filter prefix
    scan_column: str | None = None  # Record column that Scan browses for this use attribute


_TEXT_ANY = UseSpec("text", "")
_TITLE = UseSpec("text", "title", "title")
_AUTHOR = UseSpec("text", "author", "author")
USE: dict[int, UseSpec] = {
    1016: _TEXT_ANY,  # any
    1017: _TEXT_ANY,  # server choice
    4: _TITLE,  # title
    6: _TITLE,  # title uniform
    1003: _AUTHOR,  # author
    1004: _AUTHOR,  # author-name personal
    1005: _AUTHOR,  # author-name corporate
    1006: _AUTHOR,  # author-name conference
    1: _AUTHOR,  # personal name
    2: _AUTHOR,  # corporate name
    3: _AUTHOR,  # conference name
    21: UseSpec("text", "subject"),  # subject heading
    5: UseSpec("text", "series"),  # title series
    1018: UseSpec("text", "publisher"),  # publisher
    7: UseSpec("ident", "isbn"),
    8: UseSpec("ident", "issn"),
    9: UseSpec("ident", "lccn"),  # LC card number
    12: UseSpec("ident", "control_number"),  # local number (001)
    1007: UseSpec("ident", "standard"),  # identifier-standard: ISBN, ISSN or LCCN
    30: UseSpec("year", "year"),  # date
    31: UseSpec("year", "year"),  # date of publication
    54: UseSpec("filter", "language"),  # code-language (MARC code: eng, tur, kaz)
}
USE_DEFAULT = 1016

TEXT_RELATIONS = frozenset({None, 3, 102})
YEAR_RELATIONS = {1: "<", 2: "<=", 4: ">=", 5: ">"}
POSITIONS = frozenset({None, 1, 2, 3})
PHRASE_STRUCTURES = frozenset({1, 3, 101, 102, 108})
WORD_STRUCTURES = frozenset({None, 2, 6, 105, 106, 107, 109})
DATE_STRUCTURES = frozenset({4, 5, 100})
COMPLETENESS = frozenset({None, 1, 2, 3})


@dataclass(frozen=True, slots=True)
class Attributes:
    use: int | None = None
    relation: int | None = None
    position: int | None = None
    structure: int | None = None
    truncation: int | None = None
    completeness: int | None = None


_TYPE_NAMES = {1: "use", 2: "relation", 3: "position", 4: "structure", 5: "truncation", 6: "completeness"}


def read_attributes(attrs: tuple[codec.Attribute, ...]) -> Attributes:
    """The Bib-1 attributes of an operand by type; raises Bib1Diagnostic 113, 121 or 246."""
    values: dict[str, int] = {}
    for a in attrs:
        if a.attribute_set is not None and a.attribute_set != codec.BIB1_ATTRIBUTES:
            raise Bib1Diagnostic(121, a.attribute_set)
        if isinstance(a.value, codec.ComplexValue):
            raise Bib1Diagnostic(246, f"{a.type}=" + ",".join(str(v) for v in a.value.items))
        name = _TYPE_NAMES.get(a.type)
        if name is None:
            raise Bib1Diagnostic(113, str(a.type))
        values[name] = a.value
    return Attributes(**values)


def term_text(term: codec.Term) -> str:
    """The term as text; raises Bib1Diagnostic 229 for term types that are not text or numbers."""
    if term.kind == "general" and isinstance(term.value, bytes):
        try:
            return term.value.decode("utf-8")
        except UnicodeDecodeError:
            return term.value.decode("latin-1")
    if term.kind == "characterString" and isinstance(term.value, str):
        return term.value
    if term.kind == "numeric" and isinstance(term.value, int):
        return str(term.value)
    raise Bib1Diagnostic(229, term.kind)


# ------------------------------------------------------------------------------------------------------------
# Operands
# ------------------------------------------------------------------------------------------------------------


def _item(target: str, value: str, *, quoted: bool = False, prefix: bool = False) -> Formula:
    try:
        return querymap.item(target, value, quoted=quoted, prefix=prefix)
    except Untranslatable as why:  # a truncated value Kitab cannot search as a prefix
        raise Bib1Diagnostic(125, why.details) from None


def _words(text: str, truncation: int | None) -> list[tuple[str, bool]]:
    """(word, is_prefix) for each word of the term, applying the truncation attribute."""
    out: list[tuple[str, bool]] = []
    for raw in text.split():
        prefix = truncation == 1
        word = raw
        if truncation == 101:
            if "#" in raw.rstrip("#") or raw.count("#") > 1:
                raise Bib1Diagnostic(120, "101 (a # is only supported at the end of a word)")
            prefix = raw.endswith("#")
            word = raw.rstrip("#")
        if not exact(word):
            continue  # punctuation only: Kitab would ignore it anyway
        if prefix and len(exact(word).replace(" ", "")) < MIN_PREFIX_CHARS:
            raise Bib1Diagnostic(9, raw)
        out.append((word, prefix))
    return out


def _text_operand(spec: UseSpec, a: Attributes, text: str) -> Formula:
    if a.relation not in TEXT_RELATIONS:
        raise Bib1Diagnostic(117, str(a.relation))
    if a.structure in DATE_STRUCTURES or (
        a.structure not in PHRASE_STRUCTURES and a.structure not in WORD_STRUCTURES
    ):
        raise Bib1Diagnostic(118, str(a.structure))
    words = _words(text, a.truncation)
    if not words:
        raise Bib1Diagnostic(125, "empty term")
    if a.structure in PHRASE_STRUCTURES and len(words) > 1:
        if any(prefix for _w, prefix in words):
            raise Bib1Diagnostic(123, f"truncation {a.truncation} with a phrase (structure {a.structure})")
        return _item(spec.target, " ".join(w for w, _p in words), quoted=True)
    return querymap.and_([_item(spec.target, w, prefix=p) for w, p in words])


_YEAR = re.compile(r"\d{1,4}")
_YEAR_RANGE = re.compile(r"(\d{1,4})\s*-\s*(\d{1,4})")


def _year_operand(a: Attributes, text: str) -> Formula:
    if a.structure not in DATE_STRUCTURES | {None, 1, 2, 3, 109}:
        raise Bib1Diagnostic(118, str(a.structure))
    value = text.strip()
    if a.relation in (None, 3):
        m = _YEAR_RANGE.fullmatch(value)
        if m:
            return ("atom", f"year:{m.group(1)}-{m.group(2)}")
        if _YEAR.fullmatch(value):
            return ("atom", f"year:{value}")
        raise Bib1Diagnostic(126, value)
    if a.relation in YEAR_RELATIONS or a.relation == 6:
        if not _YEAR.fullmatch(value):
            raise Bib1Diagnostic(126, value)
        if a.relation == 6:
            return ("not", ("atom", f"year:{value}"))
        return ("atom", f"year:{YEAR_RELATIONS[a.relation]}{value}")
    raise Bib1Diagnostic(117, str(a.relation))


def _ident_operand(spec: UseSpec, a: Attributes, text: str) -> Formula:
    if a.relation not in (None, 3):
        raise Bib1Diagnostic(117, str(a.relation))
    if a.structure in DATE_STRUCTURES or (
        a.structure not in PHRASE_STRUCTURES and a.structure not in WORD_STRUCTURES
    ):
        raise Bib1Diagnostic(118, str(a.structure))
    value = text.strip()
    if not querymap.clean(value):
        raise Bib1Diagnostic(125, "empty term")
    try:
        return querymap.identifier_atoms(spec.target, value)
    except Untranslatable as why:
        raise Bib1Diagnostic(125, why.details) from None


def _filter_operand(spec: UseSpec, a: Attributes, text: str) -> Formula:
    if a.relation not in (None, 3, 6):
        raise Bib1Diagnostic(117, str(a.relation))
    value = querymap.clean(text.strip())
    if not querymap.is_bare(value):
        raise Bib1Diagnostic(126, text)
    atom = _item(spec.target, value)
    return ("not", atom) if a.relation == 6 else atom


def operand_formula(apt: codec.AttributesPlusTerm) -> Formula:
    """The formula for one attributes-plus-term operand; raises Bib1Diagnostic."""
    a = read_attributes(apt.attributes)
    use = USE_DEFAULT if a.use is None else a.use
    spec = USE.get(use)
    if spec is None:
        raise Bib1Diagnostic(114, str(use))
    if a.position not in POSITIONS:
        raise Bib1Diagnostic(119, str(a.position))
    if a.completeness not in COMPLETENESS:
        raise Bib1Diagnostic(122, str(a.completeness))
    if a.truncation not in (None, 100, 1, 101):
        raise Bib1Diagnostic(120, str(a.truncation))
    if spec.kind != "text" and a.truncation not in (None, 100):
        raise Bib1Diagnostic(120, str(a.truncation))
    text = term_text(apt.term)
    if spec.kind == "text":
        return _text_operand(spec, a, text)
    if spec.kind == "year":
        return _year_operand(a, text)
    if spec.kind == "ident":
        return _ident_operand(spec, a, text)
    return _filter_operand(spec, a, text)


# ------------------------------------------------------------------------------------------------------------
# The tree
# ------------------------------------------------------------------------------------------------------------


def _formula(node: codec.RPN) -> Formula:
    if isinstance(node, codec.AttributesPlusTerm):
        return operand_formula(node)
    if isinstance(node, codec.ResultSetOperand):
        raise Bib1Diagnostic(18, node.name)
    if isinstance(node, codec.RestrictionOperand):
        raise Bib1Diagnostic(245, node.name)
    if node.op == "prox":
        raise Bib1Diagnostic(110, "prox")
    left, right = _formula(node.left), _formula(node.right)
    if node.op == "and":
        return ("and", [left, right])
    if node.op == "or":
        return ("or", [left, right])
    return ("and", [left, ("not", right)])


def to_kitab(query: codec.RPNQuery) -> KitabQuery:
    """Translate a type-1/type-101 query into Kitab's query language; raises Bib1Diagnostic."""
    if query.attribute_set != codec.BIB1_ATTRIBUTES:
        raise Bib1Diagnostic(121, query.attribute_set)
    formula = _formula(query.rpn)
    try:
        return querymap.translate(formula)
    except Untranslatable as why:
        if why.reason == "too_many_clauses":
            raise Bib1Diagnostic(6, why.details) from None
        if why.reason == "or_with_not":
            raise Bib1Diagnostic(110, "an OR containing an AND-NOT cannot be searched") from None
        raise Bib1Diagnostic(3, why.details) from None


def scan_column(apt: codec.AttributesPlusTerm) -> tuple[str, str]:
    """(Record column to browse, lower-cased start term) for a Scan; raises Bib1Diagnostic."""
    a = read_attributes(apt.attributes)
    if a.use is None:
        raise Bib1Diagnostic(116, "scan needs a use attribute: 1=4 (title) or 1=1003 (author)")
    spec = USE.get(a.use)
    if spec is None or spec.scan_column is None:
        raise Bib1Diagnostic(114, str(a.use))
    if a.relation not in (None, 3, 4):  # YAZ clients send >= (4) for scans
        raise Bib1Diagnostic(117, str(a.relation))
    return spec.scan_column, term_text(apt.term).strip().lower()

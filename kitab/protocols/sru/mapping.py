"""CQL (parsed by `cql.py`) to Kitab's own query language (kitab/search/query.py). Pure, no Django.

The CQL boolean tree becomes a formula of kitab.protocols.querymap (shared with Z39.50), which rewrites it into
the conjunctive normal form Kitab's language expresses; a clause that needs OR together with NOT (`a or not b`)
cannot be expressed and gives diagnostic 48 rather than a wrong answer. `and`, `or`, `not` and any nesting of
parentheses that normalises within querymap.MAX_CLAUSES work (else 38); `prox` is diagnosed.

Relations on text indexes (keyword, title, author, subject, publisher, series): `=` and `adj` search the
term's words as a phrase (CQL 1.2's reading of `=` for strings), `all` ANDs the words, `any` ORs them,
`==`/`exact` are searched as a phrase too (Kitab indexes words, not whole field values, so an exact match can
only be approximated by the phrase), ordering relations are diagnosed (19). A trailing `*` on a word is a
prefix search (at least two characters before it); other masking (`?`, inner `*`) and anchoring (`^`) are
diagnosed. `dc.date` takes a year or `1990-2000` with `=`, `<`, `>`, `<=`, `>=`, `<>` and `within "1990 2000"`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kitab.protocols import querymap
from kitab.protocols.querymap import FALSE, TRUE, Formula, KitabQuery, Untranslatable, and_, clean, item, or_
from kitab.textnorm import exact

from . import cql
from .diagnostics import SRUDiagnostic

# Context sets: short name -> URIs that identify it (the first is the one Explain advertises)
CONTEXT_SETS: dict[str, tuple[str, ...]] = {
    "cql": ("info:srw/cql-context-set/1/cql-v1.2", "info:srw/cql-context-set/1/cql-v1.1"),
    "dc": ("info:srw/cql-context-set/1/dc-v1.1", "info:srw/cql-context-set/1/dc-v1.0"),
    "bath": ("http://zing.z3950.org/cql/bath/2.0/",),
    "rec": ("info:srw/cql-context-set/2/rec-1.1", "info:srw/cql-context-set/2/rec-1.0"),
}
# An index written without a prefix is looked up in these sets, in order (`title`, `isbn`, `serverChoice`).
UNPREFIXED_LOOKUP: tuple[str, ...] = ("dc", "bath", "cql")


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """What a CQL index searches. kind: text | ident | year | filter | record_id | all_records."""

    key: str  # stable name, also used by Explain to group the CQL names of one index
    title: str
    kind: str
    target: str = ""  # Kitab prefix ("" = free words) or identifier kind
    scan: bool = False
    sort: str | None = None  # Kitab sort order for sortBy ascending


SPECS: dict[str, IndexSpec] = {
    s.key: s
    for s in (
        IndexSpec("keyword", "Keyword (anywhere)", "text", ""),
        IndexSpec("all_records", "All records", "all_records"),
        IndexSpec("title", "Title", "text", "title", scan=True, sort="title"),
        IndexSpec("author", "Author / creator", "text", "author", scan=True),
        IndexSpec("subject", "Subject", "text", "subject"),
        IndexSpec("publisher", "Publisher", "text", "publisher"),
        IndexSpec("series", "Series title", "text", "series"),
        IndexSpec("date", "Year of publication", "year", "year", sort="year"),
        IndexSpec("language", "Language (MARC code, e.g. tur, kaz, eng)", "filter", "language"),
        IndexSpec("type", "Material type (book, serial, map, score, sound, video, ...)", "filter", "type"),
        IndexSpec("isbn", "ISBN", "ident", "isbn"),
        IndexSpec("issn", "ISSN", "ident", "issn"),
        IndexSpec("lccn", "LC control number", "ident", "lccn"),
        IndexSpec("identifier", "Identifier (ISBN, ISSN, LCCN or control number)", "ident", "identifier"),
        IndexSpec("standard_identifier", "Standard identifier (ISBN, ISSN or LCCN)", "ident", "standard"),
        IndexSpec("control_number", "Control number (001)", "ident", "control_number"),
        IndexSpec("record_id", "Kitab record id", "record_id"),
    )
}

# (context set, lower-case index name) -> spec; the names as Explain shows them come from INDEX_NAMES.
INDEX_NAMES: tuple[tuple[str, str, str], ...] = (
    ("cql", "serverChoice", "keyword"),
    ("cql", "anywhere", "keyword"),
    ("cql", "keywords", "keyword"),
    ("cql", "allRecords", "all_records"),
    ("dc", "anywhere", "keyword"),
    ("dc", "title", "title"),
    ("bath", "title", "title"),
    ("dc", "creator", "author"),
    ("dc", "author", "author"),
    ("dc", "contributor", "author"),
    ("bath", "author", "author"),
    ("bath", "name", "author"),
    ("dc", "subject", "subject"),
    ("bath", "subject", "subject"),
    ("dc", "publisher", "publisher"),
    ("bath", "seriesTitle", "series"),
    ("dc", "date", "date"),
    ("dc", "language", "language"),
    ("dc", "type", "type"),
    ("bath", "isbn", "isbn"),
    ("bath", "issn", "issn"),
    ("bath", "lccn", "lccn"),
    ("dc", "identifier", "identifier"),
    ("bath", "standardIdentifier", "standard_identifier"),
    ("bath", "localNumber", "control_number"),
    ("rec", "id", "record_id"),
)
INDEXES: dict[tuple[str, str], IndexSpec] = {(s, n.lower()): SPECS[k] for s, n, k in INDEX_NAMES}

# Relation modifiers that change nothing here: Kitab always ranks, ignores case and matches with or without
# accents, and `*` is always a mask.
NEUTRAL_RELATION_MODIFIERS = frozenset({"relevant", "ignorecase", "ignoreaccents", "masked", "word"})
TEXT_RELATIONS = frozenset({"=", "adj", "all", "any", "==", "exact"})

# querymap.Untranslatable.reason -> SRU diagnostic: unsupported masking, query too complex, unsupported boolean.
UNTRANSLATABLE = {"bad_mask": 28, "too_many_clauses": 38, "or_with_not": 48}

RecordIdResolver = Callable[[int], "str | None"]  # Kitab record id -> its control number, or None


def resolve_index(index: str, scope: tuple[cql.Prefix, ...]) -> IndexSpec:
    """The Kitab index for a CQL index name (with the query's prefix assignments); raises 15 or 16."""
    prefix, uri, name = cql.resolve_index(index, scope)
    if uri is not None:
        sets = [s for s, uris in CONTEXT_SETS.items() if uri in uris]
        if not sets:
            raise SRUDiagnostic(15, uri)
        candidates = sets
    elif prefix is not None:
        if prefix.lower() not in CONTEXT_SETS:
            raise SRUDiagnostic(15, prefix)
        candidates = [prefix.lower()]
    else:
        candidates = list(UNPREFIXED_LOOKUP)
    for s in candidates:
        spec = INDEXES.get((s, name.lower()))
        if spec is not None:
            return spec
    raise SRUDiagnostic(16, index)


# ---------------------------------------------------------------------------------------------------------------
# Terms: escapes, masking, words
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Word:
    text: str  # escapes resolved
    prefix: bool  # ended with an unescaped '*'


def _unescape(raw: str) -> str:
    """Resolve backslash escapes; masking characters are refused (identifiers, years, codes)."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            out.append(raw[i + 1])
            i += 2
            continue
        if c in "*?":
            raise SRUDiagnostic(28, raw)
        if c == "^":
            raise SRUDiagnostic(31, raw)
        out.append(c)
        i += 1
    return "".join(out).strip()


def plain_term(raw: str) -> str:
    """A term with its escapes resolved; masking and anchoring characters are refused (28, 31)."""
    return _unescape(raw)


def _words(raw: str) -> list[_Word]:
    """Split a text term into words, resolving escapes; a trailing unescaped '*' makes a prefix word."""
    words: list[_Word] = []
    chars: list[str] = []
    masked_end = False

    def flush() -> None:
        nonlocal masked_end
        if chars or masked_end:
            text = "".join(chars)
            if masked_end and len(exact(text).replace(" ", "")) < 2:
                raise SRUDiagnostic(29, raw)
            if exact(text):
                words.append(_Word(text, masked_end))
        chars.clear()
        masked_end = False

    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            if masked_end:
                raise SRUDiagnostic(28, raw)
            chars.append(raw[i + 1])
            i += 2
            continue
        if c.isspace():
            flush()
        elif c == "*":
            masked_end = True
        elif c == "?":
            raise SRUDiagnostic(28, raw)
        elif c == "^":
            raise SRUDiagnostic(31, raw)
        else:
            if masked_end:
                raise SRUDiagnostic(28, raw)  # '*' inside a word
            chars.append(c)
        i += 1
    flush()
    return words


# ---------------------------------------------------------------------------------------------------------------
# Search clauses
# ---------------------------------------------------------------------------------------------------------------


def _check_relation_modifiers(relation: cql.Relation) -> None:
    for m in relation.modifiers:
        name = m.name.lower().removeprefix("cql.")
        if name not in NEUTRAL_RELATION_MODIFIERS or m.comparison is not None:
            raise SRUDiagnostic(20, m.name)


def _text_clause(spec: IndexSpec, rel: str, raw: str) -> Formula:
    if rel not in TEXT_RELATIONS:
        raise SRUDiagnostic(19, rel)
    words = _words(raw)
    if not words:
        raise SRUDiagnostic(27, raw or '""')
    target = spec.target
    if rel in ("any", "all"):
        items = [item(target, w.text, prefix=w.prefix) for w in words]
        return or_(items) if rel == "any" else and_(items)
    # =, adj, ==, exact: one word, or the words as a phrase
    if len(words) == 1:
        return item(target, words[0].text, prefix=words[0].prefix)
    if any(w.prefix for w in words):
        raise SRUDiagnostic(33, raw)
    return item(target, " ".join(w.text for w in words), quoted=True)


_YEAR = re.compile(r"\d{1,4}")
_YEAR_RANGE = re.compile(r"(\d{1,4})\s*-\s*(\d{1,4})")


def _year_clause(rel: str, raw: str) -> Formula:
    value = _unescape(raw)
    if rel in ("=", "==", "exact", "adj"):
        m = _YEAR_RANGE.fullmatch(value)
        if m:
            return ("atom", f"year:{m.group(1)}-{m.group(2)}")
        if _YEAR.fullmatch(value):
            return ("atom", f"year:{value}")
        raise SRUDiagnostic(36, value)
    if rel in ("<", ">", "<=", ">="):
        if not _YEAR.fullmatch(value):
            raise SRUDiagnostic(36, value)
        return ("atom", f"year:{rel}{value}")
    if rel == "<>":
        if not _YEAR.fullmatch(value):
            raise SRUDiagnostic(36, value)
        return ("not", ("atom", f"year:{value}"))
    if rel == "within":
        parts = value.replace("-", " ").split()
        if len(parts) != 2 or not all(_YEAR.fullmatch(p) for p in parts):
            raise SRUDiagnostic(36, value)
        return ("atom", f"year:{parts[0]}-{parts[1]}")
    if rel == "any":
        years = value.split()
        if not years or not all(_YEAR.fullmatch(y) for y in years):
            raise SRUDiagnostic(36, value)
        return or_([("atom", f"year:{y}") for y in years])
    raise SRUDiagnostic(19, rel)


def _values(rel: str, raw: str, *, negatable: bool) -> tuple[list[str], str]:
    """The values of an identifier/filter clause and how to combine them ("one", "or", "not")."""
    value = _unescape(raw)
    if not clean(value):
        raise SRUDiagnostic(27, raw or '""')
    if rel in ("=", "==", "exact", "adj"):
        return [value], "one"
    if rel == "any":
        return value.split(), "or"
    if rel == "<>" and negatable:
        return [value], "not"
    raise SRUDiagnostic(19, rel)


def _ident_clause(spec: IndexSpec, rel: str, raw: str) -> Formula:
    values, _how = _values(rel, raw, negatable=False)
    return or_([querymap.identifier_atoms(spec.target, v) for v in values])


def _filter_clause(spec: IndexSpec, rel: str, raw: str) -> Formula:
    values, how = _values(rel, raw, negatable=True)
    for v in values:
        if not querymap.is_bare(clean(v)):
            raise SRUDiagnostic(36, v)
    atoms = [item(spec.target, v) for v in values]
    return ("not", atoms[0]) if how == "not" else or_(atoms)


def _record_id_clause(rel: str, raw: str, resolver: RecordIdResolver | None) -> Formula:
    values, _how = _values(rel, raw, negatable=False)
    parts: list[Formula] = []
    for v in values:
        if not v.isdigit():
            raise SRUDiagnostic(36, v)
        control_number = resolver(int(v)) if resolver else None
        parts.append(item("control_number", control_number) if control_number else FALSE)
    return or_(parts)


def _clause(node: cql.SearchClause, resolver: RecordIdResolver | None) -> Formula:
    spec = resolve_index(node.index, node.scope)
    _check_relation_modifiers(node.relation)
    rel = node.relation.base.lower().removeprefix("cql.")
    if spec.kind == "all_records":
        return TRUE
    parts: list[Formula] = []
    for raw in node.terms:  # YAZ free-form terms: each one a clause of its own, ANDed
        if spec.kind == "text":
            parts.append(_text_clause(spec, rel, raw))
        elif spec.kind == "year":
            parts.append(_year_clause(rel, raw))
        elif spec.kind == "ident":
            parts.append(_ident_clause(spec, rel, raw))
        elif spec.kind == "filter":
            parts.append(_filter_clause(spec, rel, raw))
        else:
            parts.append(_record_id_clause(rel, raw, resolver))
    return and_(parts)


def _formula(node: cql.Node, resolver: RecordIdResolver | None) -> Formula:
    if isinstance(node, cql.SearchClause):
        return _clause(node, resolver)
    if node.boolean == "prox":
        raise SRUDiagnostic(39, "prox")
    if node.modifiers:
        raise SRUDiagnostic(46, node.modifiers[0].name)
    left, right = _formula(node.left, resolver), _formula(node.right, resolver)
    if node.boolean == "and":
        return ("and", [left, right])
    if node.boolean == "or":
        return ("or", [left, right])
    return ("and", [left, ("not", right)])


def to_kitab(query: cql.Query, *, resolve_record_id: RecordIdResolver | None = None) -> KitabQuery:
    """Translate a parsed CQL query into Kitab's query language; raises SRUDiagnostic."""
    try:
        return querymap.translate(_formula(query.root, resolve_record_id))
    except Untranslatable as why:
        raise SRUDiagnostic(UNTRANSLATABLE[why.reason], why.details) from None


def sort_order(query: cql.Query) -> str | None:
    """The SearchRequest.sort for the query's sortBy clause (None: relevance); raises SRUDiagnostic."""
    if not query.sort_keys:
        return None
    if len(query.sort_keys) > 1:
        raise SRUDiagnostic(84, "only one sort key is supported")
    key = query.sort_keys[0]
    try:
        spec = resolve_index(key.index, query.scope)
    except SRUDiagnostic:
        raise SRUDiagnostic(80, key.index) from None
    if spec.sort is None:
        raise SRUDiagnostic(80, key.index)
    descending = False
    for m in key.modifiers:
        name = m.name.lower().removeprefix("sort.")
        if name == "ascending":
            descending = False
        elif name == "descending":
            descending = True
        elif name not in ("ignorecase", "ignoreaccents"):
            raise SRUDiagnostic(80, m.name)
    if spec.sort == "year":
        return "year_desc" if descending else "year_asc"
    if descending:
        raise SRUDiagnostic(90, "descending")
    return spec.sort

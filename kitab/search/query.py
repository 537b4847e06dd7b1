"""The user's query language, parsed by hand into Tantivy queries.

Tantivy's own query parser is never used: it would tokenize with its analyzers rather than textnorm, and its
syntax errors are not ours to show. The language is small and forgiving:

* free words are ANDed; each matches in any searchable field, in exact or folded form;
* `"a phrase"`; `field:word`, `field:"a phrase"`; `word*` for a prefix;
* `OR` between two items makes them alternatives, `-item` or `NOT item` excludes, `AND` is accepted and ignored;
* `year:1990`, `year:1990-2000`, `year:>1990` (also `>=`, `<`, `<=`, `1990-`, `-2000`);
* identifier prefixes (`isbn:`, `issn:`, `lccn:`, `control_number:`) and filter prefixes (`language:`, `type:`,
  `branch:`, `available:`).

Malformed input is repaired where the intent is clear (an unbalanced quote is closed at the end, an unknown
`foo:bar` is two plain words, a reversed year range is swapped, `title: war` applies to the next word) and
otherwise raises `QuerySyntaxError` with a stable code.

Ranking: each free word must match the keyword field (exact or folded form, two postings lists); optional clauses
then add title (boost 6 exact / 4 folded), author (4 / 2.6) and subject (3.5 / 2.3) matches on top of the keyword
score (1.5 / 1), so title > author/subject > elsewhere and the record's own spelling > a folded match. BM25 inside.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import tantivy

from kitab.marc.isbn import isbn_variants, normalize_isbn, normalize_issn, normalize_lccn
from kitab.search.documents import split_cjk
from kitab.search.schema import EXACT, FOLD, SCHEMA
from kitab.search.types import QuerySyntaxError
from kitab.textnorm import exact, fold

# (exact boost, fold boost) per searchable group: title > author/subject > series > keyword/publisher,
# and the exact form always above the folded one, so a match in the record's own spelling ranks first.
BOOSTS: dict[str, tuple[float, float]] = {
    "title": (6.0, 4.0),
    "author": (4.0, 2.6),
    "subject": (3.5, 2.3),
    "series": (2.0, 1.3),
    "publisher": (1.5, 1.0),
    "keyword": (1.5, 1.0),
}
# A word found in several fields counts mostly for its best one; the small tie-breaker still prefers a record
# whose title *and* subject mention it.
TIE_BREAKER = 0.1

# The groups consulted only for ranking (the keyword group, which contains them all, decides what matches).
# Quoted phrases and prefix words rank on fewer fields: every extra field costs a positions or term-dictionary walk.
# Series and publisher words still match (through keyword) but no longer rank on their own: each ranking field is
# one more postings list to advance for every matching record.
RANK_GROUPS: tuple[str, ...] = ("title", "author", "subject")
PHRASE_RANK_GROUPS: tuple[str, ...] = ("title", "author", "subject")
PREFIX_RANK_GROUPS: tuple[str, ...] = ("title",)

TEXT_PREFIXES: dict[str, str] = {
    "title": "title",
    "ti": "title",
    "author": "author",
    "au": "author",
    "subject": "subject",
    "su": "subject",
    "series": "series",
    "publisher": "publisher",
    "pb": "publisher",
    "any": "keyword",
    "kw": "keyword",
    "keyword": "keyword",
}
IDENT_PREFIXES = ("isbn", "issn", "lccn", "control_number")
FILTER_PREFIXES: dict[str, str] = {
    "language": "language",
    "lang": "language",
    "type": "material_type",
    "branch": "branch",
    "available": "available",
}
YEAR_PREFIXES = ("year", "date")

MIN_PREFIX_CHARS = 2  # "a*" would expand to a large share of the term dictionary
MAX_CLAUSES = 64
MAX_QUERY_CHARS = 2000

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"'})
_YEAR_RE = re.compile(r"^(?P<op>>=|<=|>|<)?(?P<a>\d{1,4})?(?:(?P<dash>-)(?P<b>\d{1,4})?)?$")
_ISBNISH_RE = re.compile(r"^[0-9][0-9\- ]{8,15}[0-9Xx]$")
_REGEX_META = set("\\.+*?()|[]{}^$#&-~\"'<>=@")


# ---------------------------------------------------------------------------------------------------------------
# Parsed form
# ---------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Term:
    """One query item. `kind`: word | phrase | prefix | year | ident | filter."""

    kind: str
    text: str = ""
    group: str | None = None  # text group for word/phrase/prefix; None = every group
    field: str | None = None  # schema field for ident/filter
    year_from: int | None = None
    year_to: int | None = None


@dataclass(slots=True)
class Clause:
    """Alternatives joined by OR; the clause must match unless `negated`."""

    terms: list[Term] = field(default_factory=list)
    negated: bool = False


@dataclass(slots=True)
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # what was fixed silently, for logs and tests

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def has_scoring_terms(self) -> bool:
        """True when some positive clause ranks (words, phrases, identifiers), not only filters and years."""
        return any(
            t.kind in ("word", "phrase", "prefix", "ident") for c in self.clauses if not c.negated for t in c.terms
        )


# ---------------------------------------------------------------------------------------------------------------
# Lexing and parsing
# ---------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    prefix: str | None  # lower-cased field prefix, when one was written
    value: str
    quoted: bool
    negated: bool


def _lex(text: str, repairs: list[str]) -> list[_Token | str]:
    """Split into tokens; bare `OR`/`AND`/`NOT` come back as plain strings so the parser sees them as operators."""
    s = text.translate(_QUOTES)
    out: list[_Token | str] = []
    i, n = 0, len(s)
    pending_prefix: str | None = None
    pending_neg = False
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            continue
        negated = pending_neg
        pending_neg = False
        if c == "-" and i + 1 < n and not s[i + 1].isspace() and s[i + 1] != "-":
            negated = True
            i += 1
            c = s[i]
        if c == '"':
            end = s.find('"', i + 1)
            if end < 0:
                repairs.append("closed an unbalanced quote")
                end = n
            out.append(_Token(pending_prefix, s[i + 1 : end], True, negated))
            pending_prefix = None
            i = end + 1
            continue
        j = i
        while j < n and not s[j].isspace() and s[j] != '"':
            j += 1
        word = s[i:j]
        i = j
        prefix: str | None = None
        head, colon, rest = word.partition(":")
        if colon and _known_prefix(head.lower()):
            prefix = head.lower()
            if not rest:
                if i < n and s[i] == '"':
                    end = s.find('"', i + 1)
                    if end < 0:
                        repairs.append("closed an unbalanced quote")
                        end = n
                    out.append(_Token(prefix, s[i + 1 : end], True, negated))
                    i = end + 1
                else:
                    # "title: war" -> the prefix applies to the next word
                    pending_prefix = prefix
                    pending_neg = negated
                continue
            out.append(_Token(prefix, rest, False, negated))
            pending_prefix = None
            continue
        if pending_prefix is not None:
            out.append(_Token(pending_prefix, word, False, negated))
            pending_prefix = None
            continue
        if word in ("OR", "AND", "NOT", "||", "&&") and not negated:
            out.append(word)
            continue
        if colon and head:
            # Unknown "foo:bar" is two plain words, not an error (titles contain colons).
            repairs.append(f"treated unknown prefix {head!r} as a word")
            for part in word.split(":"):
                if part:
                    out.append(_Token(None, part, False, negated))
            continue
        out.append(_Token(None, word, False, negated))
    if pending_prefix is not None:
        repairs.append(f"ignored prefix {pending_prefix!r} without a value")
    return out


def _known_prefix(name: str) -> bool:
    return name in TEXT_PREFIXES or name in IDENT_PREFIXES or name in FILTER_PREFIXES or name in YEAR_PREFIXES


def parse_year(value: str) -> tuple[int | None, int | None]:
    """Read 1990, 1990-2000, >1990, <=2000, 1990- or -2000 into an inclusive (from, to); None is open."""
    v = value.replace(" ", "").replace("..", "-").replace("–", "-")
    m = _YEAR_RE.match(v)
    if not m or not (m.group("a") or m.group("b")):
        raise QuerySyntaxError(
            "bad_year", f"Cannot read the year {value!r}: use year:1990, year:1990-2000, year:>1990 or year:<2000."
        )
    op, a, dash, b = m.group("op"), m.group("a"), m.group("dash"), m.group("b")
    lo = int(a) if a else None
    hi = int(b) if b else None
    if op:
        if dash or lo is None:
            raise QuerySyntaxError("bad_year", f"Cannot read the year {value!r}: use either a comparison or a range.")
        return {">": (lo + 1, None), ">=": (lo, None), "<": (None, lo - 1), "<=": (None, lo)}[op]
    if dash:
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        return lo, hi
    return lo, lo


def _term_from_token(tok: _Token, repairs: list[str]) -> Term | None:
    value = tok.value.strip()
    prefix = tok.prefix
    if prefix in YEAR_PREFIXES:
        lo, hi = parse_year(value)
        return Term("year", value, year_from=lo, year_to=hi)
    if prefix in IDENT_PREFIXES:
        if not value.strip():
            return None
        return Term("ident", value, field=prefix)
    if prefix in FILTER_PREFIXES:
        if not value:
            return None
        return Term("filter", value, field=FILTER_PREFIXES[prefix])
    group = TEXT_PREFIXES.get(prefix) if prefix else None
    if tok.quoted:
        return Term("phrase", value, group=group) if exact(value) else None
    if value.endswith("*"):
        stem = value.rstrip("*")
        norm = exact(stem)
        if len(norm.replace(" ", "")) >= MIN_PREFIX_CHARS:
            return Term("prefix", stem, group=group)
        repairs.append(f"prefix {value!r} too short, searched as a word")
        value = stem
    if "*" in value or "?" in value:
        value = value.replace("*", " ").replace("?", " ")
        repairs.append("ignored wildcard inside a word")
    if not exact(value):
        return None  # punctuation only
    return Term("word", value, group=group)


def parse(text: str) -> ParsedQuery:
    """Parse the query language into clauses, repairing what can be repaired; raises QuerySyntaxError otherwise."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError("too_long", f"The query is too long (more than {MAX_QUERY_CHARS} characters).")
    pq = ParsedQuery()
    tokens = _lex(text, pq.repairs)
    join_next = False
    negate_next = False
    for tok in tokens:
        if isinstance(tok, str):
            if tok in ("OR", "||"):
                join_next = bool(pq.clauses) and not pq.clauses[-1].negated
            elif tok == "NOT":
                negate_next = True
            continue
        term = _term_from_token(tok, pq.repairs)
        negated = tok.negated or negate_next
        negate_next = False
        if term is None:
            join_next = False
            continue
        if join_next and not negated:
            pq.clauses[-1].terms.append(term)
        else:
            pq.clauses.append(Clause([term], negated))
        join_next = False
    if len(pq.clauses) > MAX_CLAUSES or sum(len(c.terms) for c in pq.clauses) > MAX_CLAUSES:
        raise QuerySyntaxError("too_many_terms", f"The query has too many words (more than {MAX_CLAUSES}).")
    return pq


# ---------------------------------------------------------------------------------------------------------------
# Building Tantivy queries
# ---------------------------------------------------------------------------------------------------------------

Q = tantivy.Query
_MUST = tantivy.Occur.Must
_SHOULD = tantivy.Occur.Should
_MUST_NOT = tantivy.Occur.MustNot


def _tokens_query(field_name: str, tokens: list[str]) -> tantivy.Query:
    # A normalised "word" that yields several tokens (hyphenated, apostrophes, CJK) must match as a phrase.
    if len(tokens) == 1:
        return Q.term_query(SCHEMA, field_name, tokens[0])
    return Q.phrase_query(SCHEMA, field_name, tokens)


def _forms(text: str) -> tuple[list[str], list[str]]:
    e = exact(text).split()
    f = split_cjk(fold(text)).split()
    return e, f


def _dismax(parts: list[tantivy.Query]) -> tantivy.Query:
    if len(parts) == 1:
        return parts[0]
    return Q.disjunction_max_query(parts, TIE_BREAKER)


def _text_query(e: list[str], f: list[str], groups: tuple[str, ...],
                make: Callable[[str, list[str]], tantivy.Query]) -> tantivy.Query:
    # Both forms for every field, even when they are equal strings: a record spelled "Öz" holds "öz" in the exact
    # field and "oz" in the fold field, so the query "oz" must ask the fold field too.
    parts: list[tantivy.Query] = []
    for g in groups:
        be, bf = BOOSTS[g]
        if e:
            parts.append(Q.boost_query(make(g + EXACT, e), be))
        if f:
            parts.append(Q.boost_query(make(g + FOLD, f), bf))
    return _dismax(parts)


def _escape_regex(token: str) -> str:
    return "".join("\\" + c if c in _REGEX_META else c for c in token)


def _prefix_make(field_name: str, tokens: list[str]) -> tantivy.Query:
    if len(tokens) == 1:
        return Q.regex_query(SCHEMA, field_name, _escape_regex(tokens[0]) + ".*")
    return Q.phrase_prefix_query(SCHEMA, field_name, tokens)


def _ident_query(term: Term) -> tantivy.Query | None:
    value = term.text.strip()
    name = term.field
    if name == "isbn":
        i13 = normalize_isbn(value)
        if i13:
            return Q.term_set_query(SCHEMA, "isbn", list(isbn_variants(i13)))
        # not a valid ISBN: still look for the digits as written (records do carry invalid ISBNs)
        digits = "".join(c for c in value.upper() if c.isdigit() or c == "X")
        return Q.term_query(SCHEMA, "isbn", digits) if digits else None
    if name == "issn":
        cleaned = "".join(c for c in value.upper() if c.isalnum())
        fallback = f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else cleaned
        return Q.term_query(SCHEMA, "issn", normalize_issn(value) or fallback)
    if name == "lccn":
        return Q.term_query(SCHEMA, "lccn", normalize_lccn(value) or value)
    return Q.term_query(SCHEMA, "control_number", value)


def _isbn_alternative(text: str) -> tantivy.Query | None:
    """A free word that is a valid ISBN in any hyphenation also matches the isbn field."""
    if not _ISBNISH_RE.match(text):
        return None
    i13 = normalize_isbn(text)
    if not i13:
        return None
    return Q.boost_query(Q.term_set_query(SCHEMA, "isbn", list(isbn_variants(i13))), BOOSTS["title"][0])


def filter_values_query(field_name: str, values: list[str]) -> tantivy.Query:
    """Match any of `values` on a raw filter field."""
    unique = list(dict.fromkeys(values))
    if len(unique) == 1:
        # A term query can skip through its postings inside an intersection; a term set first loads every posting
        # of its terms into a bitset (~1.3 ms for "eng" on a million records).
        return Q.term_query(SCHEMA, field_name, unique[0])
    return Q.term_set_query(SCHEMA, field_name, unique)


def year_range_query(lo: int | None, hi: int | None) -> tantivy.Query:
    if lo is not None and lo == hi:
        return Q.term_query(SCHEMA, "year", lo)
    return Q.range_query(SCHEMA, "year", tantivy.FieldType.Integer, lo, hi, True, True)


@dataclass(slots=True)
class BuiltQuery:
    """`matching` decides which records match (used for counts and facets, and for sorts that ignore scores);
    `scoring` is the same set with ranking clauses added (used for relevance-ordered hits). None = every record."""

    matching: tantivy.Query | None
    scoring: tantivy.Query | None


def _term_queries(term: Term) -> tuple[tantivy.Query | None, tantivy.Query | None]:
    """(what must match, what only ranks) for one item.

    A free word *matches* through the keyword fields only: they hold every searchable text, so two postings lists
    decide membership instead of twelve, which is what makes counting and faceting a broad query cheap. The
    specific fields come back as optional clauses that Tantivy only consults for records that already match.
    """
    if term.kind == "year":
        return Q.const_score_query(year_range_query(term.year_from, term.year_to), 0.0), None
    if term.kind == "ident":
        return _ident_query(term), None
    if term.kind == "filter":
        v = term.text.strip()
        assert term.field is not None
        if term.field == "available":
            v = "yes" if v.lower() in ("yes", "true", "1", "y") else "no"
            return Q.const_score_query(Q.term_query(SCHEMA, "available", v), 0.0), None
        # typed by hand: "language:TUR" and "branch:main" should work although codes are stored as catalogued
        values = [v, v.lower(), v.upper()]
        return Q.const_score_query(filter_values_query(term.field, values), 0.0), None
    e, f = _forms(term.text)
    if not e and not f:
        return None, None
    if term.group is not None:
        # title:word and friends: the field group both decides and ranks (exact above fold)
        make = _prefix_make if term.kind == "prefix" else _tokens_query
        return _text_query(e, f, (term.group,), make), None
    if term.kind == "word":
        match = _text_query(e, f, ("keyword",), _tokens_query)
        alt = _isbn_alternative(term.text)
        if alt is not None:
            match = Q.disjunction_max_query([match, alt], TIE_BREAKER)
        return match, _text_query(e, f, RANK_GROUPS, _tokens_query)
    if term.kind == "phrase":
        return _text_query(e, f, ("keyword",), _tokens_query), _text_query(e, f, PHRASE_RANK_GROUPS, _tokens_query)
    if term.kind == "prefix":
        return _text_query(e, f, ("keyword",), _prefix_make), _text_query(e, f, PREFIX_RANK_GROUPS, _prefix_make)
    return None, None


def build(parsed: ParsedQuery) -> BuiltQuery:
    """Tantivy queries for a parsed query (see BuiltQuery)."""
    musts: list[tuple[tantivy.Occur, tantivy.Query]] = []
    nots: list[tuple[tantivy.Occur, tantivy.Query]] = []
    shoulds: list[tuple[tantivy.Occur, tantivy.Query]] = []
    try:
        for clause in parsed.clauses:
            pairs = [_term_queries(t) for t in clause.terms]
            matches = [m for m, _ in pairs if m is not None]
            ranks = [r for _, r in pairs if r is not None]
            if not matches:
                continue
            q = matches[0] if len(matches) == 1 else Q.boolean_query([(_SHOULD, m) for m in matches])
            if clause.negated:
                nots.append((_MUST_NOT, q))
                continue
            musts.append((_MUST, q))
            shoulds.extend((_SHOULD, r) for r in ranks)
    except ValueError as exc:  # a Tantivy constructor refused something we did not foresee
        raise QuerySyntaxError("invalid_query", f"The query could not be understood: {exc}") from exc
    if not musts and not nots:
        return BuiltQuery(None, None)
    if not musts:
        musts = [(_MUST, Q.all_query())]
    matching = musts[0][1] if len(musts) == 1 and not nots else Q.boolean_query(musts + nots)
    scoring = Q.boolean_query(musts + nots + shoulds) if shoulds else matching
    return BuiltQuery(matching, scoring)


def build_query(text: str) -> BuiltQuery:
    """Parse and build in one step."""
    return build(parse(text))

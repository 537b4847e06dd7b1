"""What the SRU (CQL) and Z39.50 (type-1/RPN) query translations share: a small boolean algebra over Kitab
query items, rewritten into the conjunctive normal form Kitab's query language (kitab/search/query.py) can
express. Pure, no Django, no protocol: each protocol maps `Untranslatable.reason` to its own diagnostic.

Kitab's language is a conjunction of clauses, each clause either an OR of positive items or one negated item.
So a boolean tree is rewritten into CNF (NOT pushed to the leaves, OR distributed over AND), and every CNF
clause must have that shape; a clause that needs OR together with NOT (`a or not b`) cannot be expressed and is
refused rather than answered wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

from kitab.marc.isbn import normalize_isbn, normalize_issn

MAX_CLAUSES = 64  # kitab.search.query.MAX_CLAUSES: a longer CNF would be refused by the search service anyway

# Formula nodes
TRUE: tuple[str] = ("true",)
FALSE: tuple[str] = ("false",)
Formula = tuple  # ("atom", text) | ("and", [..]) | ("or", [..]) | ("not", f) | TRUE | FALSE
Literal = tuple[str, bool]  # (Kitab item, positive)
Clause = frozenset[Literal]

KITAB_QUOTES = '"“”„«»″'  # all of these are quote marks to Kitab's query lexer
KITAB_OPERATORS = frozenset({"OR", "AND", "NOT", "||", "&&"})
_BARE_SAFE = re.compile(r'[^\s":*?\-][^\s":*?]*')


class Untranslatable(Exception):
    """The query cannot be put in Kitab's language. reason: "bad_mask" (a truncated value Kitab cannot search
    as a prefix), "too_many_clauses" (the normal form is too large), "or_with_not" (an OR holding a NOT)."""

    def __init__(self, reason: str, details: str) -> None:
        super().__init__(f"{reason}: {details}")
        self.reason = reason
        self.details = details


@dataclass(frozen=True, slots=True)
class KitabQuery:
    """The translation: `text` for SearchRequest.query; `matches_nothing` when no record can match."""

    text: str
    matches_nothing: bool = False


def clean(text: str) -> str:
    """`text` without quote marks and with single spaces (what may go between quotes in a Kitab item)."""
    for q in KITAB_QUOTES:
        text = text.replace(q, " ")
    return " ".join(text.split())


def is_bare(value: str) -> bool:
    """Whether `value` can be written in a Kitab query without quotes (one plain word, not an operator)."""
    return bool(_BARE_SAFE.fullmatch(value)) and value not in KITAB_OPERATORS


def item(target: str, value: str, *, quoted: bool = False, prefix: bool = False) -> Formula:
    """One Kitab query item (`target:value`, or free words when target is ""), quoted unless a plain word."""
    value = clean(value)
    head = f"{target}:" if target else ""
    if prefix:
        if not is_bare(value):
            raise Untranslatable("bad_mask", value + "*")
        return ("atom", f"{head}{value}*")
    if not quoted and is_bare(value):
        return ("atom", f"{head}{value}")
    return ("atom", f'{head}"{value}"')


def and_(parts: list[Formula]) -> Formula:
    return parts[0] if len(parts) == 1 else ("and", parts)


def or_(parts: list[Formula]) -> Formula:
    return parts[0] if len(parts) == 1 else ("or", parts)


def identifier_atoms(target: str, value: str) -> Formula:
    """Items for an identifier search: "identifier" is an ISBN, an ISSN, or else an LCCN or control number;
    "standard" any of ISBN, ISSN, LCCN; any other target is searched as itself."""
    if target == "identifier":
        if normalize_isbn(value):
            return item("isbn", value)
        if normalize_issn(value):
            return item("issn", value)
        return or_([item("lccn", value), item("control_number", value)])
    if target == "standard":
        return or_([item("isbn", value), item("issn", value), item("lccn", value)])
    return item(target, value)


def _cnf(f: Formula, negate: bool = False) -> list[Clause]:
    """Clauses (ANDed) of literals (ORed). [] is true; a list holding an empty clause is false."""
    tag = f[0]
    if tag == "true":
        return [frozenset()] if negate else []
    if tag == "false":
        return [] if negate else [frozenset()]
    if tag == "atom":
        return [frozenset({(f[1], not negate)})]
    if tag == "not":
        return _cnf(f[1], not negate)
    conj = (tag == "and") != negate
    children = [_cnf(c, negate) for c in f[1]]
    if conj:
        out = [c for ch in children for c in ch]
    else:
        size = 1
        for ch in children:
            size *= len(ch)
            if size > MAX_CLAUSES:
                raise Untranslatable("too_many_clauses", "the query has too many OR combinations to evaluate")
        out = [frozenset().union(*combo) for combo in product(*children)]
    if len(out) > MAX_CLAUSES:
        raise Untranslatable("too_many_clauses", f"more than {MAX_CLAUSES} clauses")
    return _simplify(out)


def _simplify(clauses: list[Clause]) -> list[Clause]:
    seen: set[Clause] = set()
    out: list[Clause] = []
    for c in clauses:
        if any((text, not pos) in c for text, pos in c):
            continue  # x OR NOT x: always true
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out


def _render(clauses: list[Clause]) -> KitabQuery:
    if any(not c for c in clauses):
        return KitabQuery("", matches_nothing=True)
    parts: list[str] = []
    for c in clauses:
        literals = sorted(c)
        negatives = [text for text, pos in literals if not pos]
        if negatives:
            if len(literals) > 1:
                raise Untranslatable("or_with_not", "an OR that contains a NOT cannot be searched")
            parts.append("-" + negatives[0])
        else:
            parts.append(" OR ".join(text for text, _ in literals))
    return KitabQuery(" ".join(parts))


def translate(formula: Formula) -> KitabQuery:
    """The Kitab query for `formula`; raises Untranslatable."""
    return _render(_cnf(formula))

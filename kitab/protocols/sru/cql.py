"""CQL 1.2 (Contextual Query Language) parser: text in, a small immutable syntax tree out. Pure, no Django.

Grammar (CQL 1.2, with the two extensions YAZ accepts, so that every query YAZ's own test suite calls valid
parses here too):

    sortedQuery    ::= prefixAssignment sortedQuery | scopedClause ['sortby' sortSpec]
    cqlQuery       ::= prefixAssignment cqlQuery | scopedClause
    prefixAssignment ::= '>' prefix '=' uri | '>' uri
    scopedClause   ::= scopedClause booleanGroup searchClause | searchClause      (left-associative)
    booleanGroup   ::= ('and' | 'or' | 'not' | 'prox') [modifierList]
    searchClause   ::= '(' cqlQuery ')' | index relation searchTerm | searchTerm
    relation       ::= comparitor [modifierList]
    comparitor     ::= '=' | '==' | '<' | '>' | '<=' | '>=' | '<>' | namedComparitor
    modifier       ::= '/' name [comparitorSymbol value]
    sortSpec       ::= (index [modifierList])+

Extensions (YAZ): `index relation ( cqlQuery )` applies the index and relation to every bare term inside the
parentheses, and "free-form" terms: `a b c` is one search clause with the terms a, b and c.

A named comparitor is one of the CQL relations (`any all adj exact within encloses`) or a context-set
qualified name containing a dot (`cql.any`); any other word after a term is a further free-form term.
Keywords are case-insensitive. Terms keep their backslash escapes and masking characters (`* ? ^`): what they
mean depends on the index, so the mapping interprets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BOOLEANS = frozenset({"and", "or", "not", "prox"})
NAMED_RELATIONS = frozenset({"any", "all", "adj", "exact", "within", "encloses"})
SYMBOLS = ("==", "<=", ">=", "<>", "=", "<", ">")  # longest first
_SPECIAL = set('()=<>"/')

SERVER_CHOICE = "cql.serverChoice"


class CQLSyntaxError(ValueError):
    """The query is not valid CQL; `position` is the character offset where parsing failed."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Modifier:
    name: str
    comparison: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    base: str
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True, slots=True)
class Prefix:
    name: str | None  # None: the default context set for unprefixed indexes
    uri: str


@dataclass(frozen=True, slots=True)
class SearchClause:
    index: str
    relation: Relation
    term: str  # as written inside the quotes, escapes kept
    extra_terms: tuple[str, ...] = ()  # YAZ free-form terms
    prefixes: tuple[Prefix, ...] = ()  # assignments written in front of this clause
    scope: tuple[Prefix, ...] = ()  # every assignment in force here, innermost first

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.term, *self.extra_terms)

    def context_set(self) -> tuple[str | None, str | None, str]:
        """(prefix as written or None, URI assigned to it in the query or None, index name without prefix)."""
        return resolve_index(self.index, self.scope)


@dataclass(frozen=True, slots=True)
class Triple:
    boolean: str  # lower-case: and | or | not | prox
    left: Node
    right: Node
    modifiers: tuple[Modifier, ...] = ()
    prefixes: tuple[Prefix, ...] = ()


Node = SearchClause | Triple


@dataclass(frozen=True, slots=True)
class SortKey:
    index: str
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    root: Node
    sort_keys: tuple[SortKey, ...] = ()
    scope: tuple[Prefix, ...] = ()  # top-level prefix assignments (they also apply to sort keys)


def resolve_index(index: str, scope: tuple[Prefix, ...]) -> tuple[str | None, str | None, str]:
    """Split `index` into (prefix, URI the query assigned to it, local name); see SearchClause.context_set."""
    prefix, dot, name = index.partition(".")
    if not dot:
        prefix, name = None, index
    for p in scope:
        if p.name is not None and prefix is not None and p.name.lower() == prefix.lower():
            return prefix, p.uri, name
        if p.name is None and prefix is None:
            return None, p.uri, name
    return prefix, None, name


# ---------------------------------------------------------------------------------------------------------------
# Lexer
# ---------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    kind: str  # "word" | "string" | "sym" | "eof"
    text: str
    pos: int

    def is_word(self, *values: str) -> bool:
        return self.kind == "word" and self.text.lower() in values

    @property
    def is_term(self) -> bool:
        return self.kind in ("word", "string")


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()/":
            toks.append(_Tok("sym", c, i))
            i += 1
            continue
        if c in "=<>":
            sym = next(s for s in SYMBOLS if text.startswith(s, i))
            toks.append(_Tok("sym", sym, i))
            i += len(sym)
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise CQLSyntaxError("unterminated quoted string", i)
            toks.append(_Tok("string", text[i + 1 : j], i))
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
            j += 1
        toks.append(_Tok("word", text[i:j], i))
        i = j
    toks.append(_Tok("eof", "", n))
    return toks


# ---------------------------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    index: str = SERVER_CHOICE
    relation: Relation = field(default_factory=lambda: Relation("="))
    scope: tuple[Prefix, ...] = ()


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _lex(text)
        self.i = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> _Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def fail(self, message: str) -> CQLSyntaxError:
        t = self.tok
        found = "end of query" if t.kind == "eof" else repr(t.text)
        return CQLSyntaxError(f"{message}, found {found}", t.pos)

    def expect_sym(self, sym: str) -> None:
        if not (self.tok.kind == "sym" and self.tok.text == sym):
            raise self.fail(f"expected {sym!r}")
        self.take()

    def term(self, what: str) -> str:
        if not self.tok.is_term:
            raise self.fail(f"expected {what}")
        return self.take().text

    # sortedQuery
    def query(self) -> Query:
        scope, _ = self.prefixes(())
        root = self.scoped_clause(_Context(scope=scope), top_prefixes=scope)
        keys: list[SortKey] = []
        if self.tok.is_word("sortby"):
            self.take()
            while self.tok.is_term:
                index = self.take().text
                keys.append(SortKey(index, self.modifiers()))
            if not keys:
                raise self.fail("expected a sort key after 'sortby'")
        if self.tok.kind != "eof":
            raise self.fail("expected a boolean operator or the end of the query")
        return Query(root, tuple(keys), scope)

    def prefixes(self, scope: tuple[Prefix, ...]) -> tuple[tuple[Prefix, ...], tuple[Prefix, ...]]:
        """Read `> name = uri` / `> uri` assignments; returns (new scope, the assignments read)."""
        added: list[Prefix] = []
        while self.tok.kind == "sym" and self.tok.text == ">":
            self.take()
            first = self.term("a prefix or context set URI after '>'")
            if self.tok.kind == "sym" and self.tok.text == "=":
                self.take()
                added.append(Prefix(first, self.term("a context set URI")))
            else:
                added.append(Prefix(None, first))
        return tuple(reversed(added)) + scope, tuple(added)

    # cqlQuery
    def cql_query(self, ctx: _Context) -> Node:
        scope, added = self.prefixes(ctx.scope)
        return self.scoped_clause(_Context(ctx.index, ctx.relation, scope), top_prefixes=added)

    def scoped_clause(self, ctx: _Context, top_prefixes: tuple[Prefix, ...] = ()) -> Node:
        node = self.search_clause(ctx)
        while self.tok.kind == "word" and self.tok.text.lower() in BOOLEANS:
            op = self.take().text.lower()
            mods = self.modifiers()
            right = self.search_clause(ctx)
            node = Triple(op, node, right, mods)
        if top_prefixes:
            node = _with_prefixes(node, top_prefixes)
        return node

    def is_relation(self, t: _Tok) -> bool:
        if t.kind == "sym":
            return t.text in SYMBOLS
        return t.kind == "word" and (t.text.lower() in NAMED_RELATIONS or "." in t.text)

    def search_clause(self, ctx: _Context) -> Node:
        t = self.tok
        if t.kind == "sym" and t.text == "(":
            self.take()
            node = self.cql_query(ctx)
            self.expect_sym(")")
            return node
        if not t.is_term:
            raise self.fail("expected a search term or '('")
        first = self.take().text
        if self.is_relation(self.tok):
            rel_tok = self.take()
            relation = Relation(rel_tok.text, self.modifiers())
            if self.tok.kind == "sym" and self.tok.text == "(":
                # YAZ: `index relation ( query )` sets the defaults for the bare terms inside
                self.take()
                node = self.cql_query(_Context(first, relation, ctx.scope))
                self.expect_sym(")")
                return node
            term = self.term("a search term")
            return SearchClause(first, relation, term, self.extra_terms(), scope=ctx.scope)
        return SearchClause(ctx.index, ctx.relation, first, self.extra_terms(), scope=ctx.scope)

    def extra_terms(self) -> tuple[str, ...]:
        out: list[str] = []
        while True:
            t = self.tok
            if t.kind == "string" or (
                t.kind == "word"
                and t.text.lower() not in BOOLEANS
                and t.text.lower() != "sortby"
                and not self.is_relation(t)
            ):
                out.append(self.take().text)
            else:
                return tuple(out)

    def modifiers(self) -> tuple[Modifier, ...]:
        mods: list[Modifier] = []
        while self.tok.kind == "sym" and self.tok.text == "/":
            self.take()
            name = self.term("a modifier name after '/'")
            if self.tok.kind == "sym" and self.tok.text in SYMBOLS:
                cmp = self.take().text
                mods.append(Modifier(name, cmp, self.term("a modifier value")))
            else:
                mods.append(Modifier(name))
        return tuple(mods)


def _with_prefixes(node: Node, prefixes: tuple[Prefix, ...]) -> Node:
    if isinstance(node, SearchClause):
        return SearchClause(node.index, node.relation, node.term, node.extra_terms, prefixes + node.prefixes,
                            node.scope)
    return Triple(node.boolean, node.left, node.right, node.modifiers, prefixes + node.prefixes)


def parse(text: str) -> Query:
    """Parse a CQL query; raises CQLSyntaxError."""
    return _Parser(text).query()


def parse_clause(text: str) -> SearchClause:
    """Parse a scan clause: exactly one search clause, no booleans, no sortby."""
    q = parse(text)
    if not isinstance(q.root, SearchClause) or q.sort_keys:
        raise CQLSyntaxError("a scan clause must be a single search clause", 0)
    return q.root


def walk(node: Node):  # type: ignore[no-untyped-def]
    """Every node of the tree, depth first."""
    yield node
    if isinstance(node, Triple):
        yield from walk(node.left)
        yield from walk(node.right)

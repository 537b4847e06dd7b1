"""The query language: phrases, prefixes, identifiers, years, and forgiving handling of malformed input."""

from __future__ import annotations

import pytest

from kitab.search.query import parse
from kitab.search.types import QuerySyntaxError, SearchRequest


def test_free_words_are_anded(find):
    assert set(find("war peace")) == {10, 11}
    assert find("war peace tolstoy") == [10]


def test_quoted_phrase_keeps_word_order(find):
    assert find('"war and peace"') == [10]
    assert find('"peace and war"') == [11]


def test_field_prefixes(find):
    assert set(find("author:tolstoy")) == {10, 14}
    assert set(find("title:peace")) == {10, 11}
    assert find("title:tolstoy") == []
    assert find("subject:napoleonic") == [10]
    assert find("series:penguin") == [10]
    assert find("publisher:penguin") == [10]
    assert find('title:"war and peace"') == [10]
    assert set(find("AU:Tolstoy title:anna")) == {14}


def test_prefix_with_quoted_value_after_space_and_case(find):
    assert find('TITLE: "war and peace"') == [10]
    assert find("title: peace war middle") == [11]


def test_trailing_star_is_a_prefix_search(find):
    assert 2 in find("Ista*")
    assert find("napole*") == [10]
    assert 3 in find("tarix*")
    assert set(find("kareni* tolst*")) == {14}


@pytest.mark.parametrize("query", ["isbn:0-14-044913-2", "isbn:9780140449136", "isbn:978-0-14-044913-6",
                                   "isbn:0140449132", "ISBN:978-0-14-044913-6", "0140449132",
                                   "978-0-14-044913-6"])
def test_isbn_any_hyphenation_10_or_13(find, query):
    assert find(query) == [10]


def test_other_identifiers(find):
    assert find("issn:00000019") == [13]
    assert find("issn:0000-0019") == [13]
    assert find("lccn:sn77-1234") == [13]
    assert find("control_number:cn0007") == [7]


def test_year_queries(find):
    assert set(find("year:1990-2000")) == {1, 7, 11}
    assert set(find("year:2000-1990")) == {1, 7, 11}  # reversed range is repaired
    assert set(find("year:>2005")) == {3, 4}
    assert set(find("year:>=2005")) == {3, 4, 8}
    assert set(find("year:<1900")) == {10, 14}
    assert find("year:1869") == [10]
    assert find("azerbaycan year:>2011") == [4]


def test_filter_prefixes(find):
    assert set(find("language:rus")) == {7, 14}
    assert find("type:map") == [12]
    assert set(find("turkey branch:EAST")) == {2, 12}
    assert set(find("turkey branch:east")) == {2, 12}
    assert set(find("peace available:no")) == {11}


def test_or_and_not(find):
    assert set(find("karenina OR napoleonic")) == {10, 14}
    assert find("tolstoy -karenina") == [10]
    assert find("tolstoy NOT karenina") == [10]
    assert set(find("war AND peace")) == {10, 11}


def test_unknown_prefix_is_plain_words(find):
    assert find("foo:bar") == []
    assert find("tolstoy:karenina") == [14]
    assert parse("foo:bar").repairs


def test_unbalanced_quote_is_repaired(find):
    assert find('"war and peace') == [10]
    assert find('title:"war and') == [10]


def test_bad_year_raises_a_clear_error(engine):
    with pytest.raises(QuerySyntaxError) as excinfo:
        engine.search(SearchRequest("year:abc"))
    assert excinfo.value.code == "bad_year"
    assert "year:1990-2000" in excinfo.value.message


@pytest.mark.parametrize("query", [
    '"', '""', "((", ")))", "*", "**", ":", "title:", "title:\"", "AND OR NOT", "---", "a*", "\\", "[1 TO 2]",
    "~", "^2", "+", "year:1990-", "year:-1990", "war^3 peace~2", "{!x}", "title:(war OR peace)", "a:b:c:d",
    "isbn:", "isbn:xyz", "issn:-", "OR tolstoy", "tolstoy OR", "NOT", "-tolstoy", "- -", "'", "ʻ", "«war»",
    "*war", "w*r", "?", "year:19", "year:>", "x" * 300, "😀", "\x00", "\u200b", "title:\u0361",
])
def test_malformed_input_never_leaks_a_tantivy_error(engine, query):
    # Anything but a result or our own QuerySyntaxError (ValueError, a Rust panic) fails the test.
    try:
        result = engine.search(SearchRequest(query))
    except QuerySyntaxError as exc:
        assert exc.code and exc.message
    else:
        assert result.total >= 0


def test_year_without_digits_after_comparison_is_an_error(engine):
    with pytest.raises(QuerySyntaxError):
        engine.search(SearchRequest("year:>"))


def test_too_long_query_is_an_error(engine):
    with pytest.raises(QuerySyntaxError) as excinfo:
        engine.search(SearchRequest(" ".join(["word"] * 100)))
    assert excinfo.value.code == "too_many_terms"


def test_empty_query_returns_everything_newest_first(engine):
    result = engine.search(SearchRequest("", limit=100))
    assert result.total == 14
    years = [h.year for h in result.hits]
    assert years == sorted(years, reverse=True)


def test_multi_token_word_becomes_a_phrase(find):
    # "Istanbul'un" normalises to two tokens; it must match as a phrase, not as two loose words
    assert 2 in find("İstanbul'un")
    assert find("un'istanbul") == []


def test_parse_structure():
    pq = parse('tolstoy title:"war and peace" -anna year:>1900 language:rus OR language:eng isbn:0140449132')
    kinds = [(c.negated, [t.kind for t in c.terms]) for c in pq.clauses]
    assert kinds == [
        (False, ["word"]), (False, ["phrase"]), (True, ["word"]), (False, ["year"]),
        (False, ["filter", "filter"]), (False, ["ident"]),
    ]
    assert pq.clauses[1].terms[0].group == "title"
    assert pq.clauses[3].terms[0].year_from == 1901 and pq.clauses[3].terms[0].year_to is None
    assert pq.has_scoring_terms
    assert not parse("year:1990 language:tur").has_scoring_terms
    assert parse("").is_empty and parse("  ,;  ").is_empty

"""Did you mean: a word no record contains is corrected to the closest word of the catalogue (one edit away,
folded as every search is), shown in the catalogue's own spelling; the OPAC offers it under a search that found
little."""

from __future__ import annotations

from pytest_django.asserts import assertContains, assertNotContains

from kitab.search.services import search
from kitab.search.spelling import correct_word, did_you_mean
from kitab.search.types import SearchRequest
from kitab.textnorm import fold


def _misspelt(catalogue) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A long title word of the test catalogue and the same word with one letter dropped (found in no record)."""
    for hit in search(SearchRequest(query="", limit=100, facets=False)).hits:
        for word in hit.title.split():
            word = word.strip(".,:;()[]'\"")
            if len(word) >= 9 and word.isalpha() and word.isascii():
                typo = word[:3] + word[4:]
                if not search(SearchRequest(query=typo, limit=0, facets=False)).total:
                    return word, typo
    raise AssertionError("no long word in the test catalogue")


def test_a_misspelt_word_is_corrected_to_the_catalogues_spelling(catalogue):
    word, typo = _misspelt(catalogue)
    assert correct_word(fold(typo)) == fold(word)
    corrected = did_you_mean(f"{typo}")
    assert corrected is not None and fold(corrected) == fold(word)
    assert search(SearchRequest(query=corrected, limit=0, facets=False)).total >= 1


def test_known_words_short_words_fields_and_phrases_are_left_alone(catalogue):
    word, typo = _misspelt(catalogue)
    assert did_you_mean(word) is None  # nothing to correct
    assert did_you_mean("zq") is None  # too short to guess
    assert did_you_mean(f"title:{typo}") is None  # field searches are the reader's own syntax
    assert did_you_mean(f'"{typo}"') is None
    assert did_you_mean("") is None
    assert did_you_mean("qqqqqqqqqq") is None  # nothing one edit away


def test_the_results_page_offers_the_correction(client, catalogue):
    word, typo = _misspelt(catalogue)
    response = client.get("/search/", {"q": typo})
    assertContains(response, "Did you mean:")
    suggestion = response.context["did_you_mean"]
    assert fold(suggestion["query"]) == fold(word) and suggestion["total"] >= 1
    assert suggestion["url"].startswith("?") and "q=" in suggestion["url"]
    assertNotContains(client.get("/search/", {"q": word}), "Did you mean:")

"""Search-as-you-type: the suggestion service (titles, authors and subjects for a typed prefix, Turkic-aware
folding) and the OPAC endpoint and search boxes that use it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from kitab.search.suggestions import suggest


def test_suggestions_for_a_prefix_in_any_letter_form(catalogue):
    found = suggest("istanb")
    assert found and all(s.kind in ("title", "author", "subject") for s in found)
    assert any("stanbul" in s.text for s in found)
    # Without the Turkish letters: "turk" finds Türk…; every suggestion has a word starting with what was typed.
    from kitab.textnorm import fold

    turk = suggest("turk")
    assert turk
    assert all(any(w.startswith("turk") for w in fold(s.text).split()) for s in turk)


def test_each_suggestion_carries_the_search_that_finds_it(catalogue):
    from kitab.search.services import search
    from kitab.search.types import SearchRequest

    for s in suggest("turk"):
        assert s.query.startswith(f"{s.kind}:\"")
        assert search(SearchRequest(query=s.query, limit=1, facets=False)).total >= 1, s


def test_no_suggestions_for_short_input_field_searches_or_syntax(catalogue):
    assert suggest("") == []
    assert suggest("t") == []
    assert suggest("title:tur") == []
    assert suggest('"""') == []
    assert suggest("OR AND") == []
    assert suggest("x" * 5000) == []  # long input is cut, and finds nothing


def test_suggest_endpoint_answers_json_with_links(client, catalogue):
    response = client.get("/search/suggest/", {"q": "turk"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "turk" and data["suggestions"]
    first = data["suggestions"][0]
    assert set(first) == {"kind", "kind_label", "text", "query", "url"}
    url = urlsplit(first["url"])
    assert url.path == "/search/" and parse_qs(url.query)["q"] == [first["query"]]
    russian = client.get("/search/suggest/", {"q": "turk"}, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert russian["suggestions"][0]["kind_label"] != first["kind_label"]
    assert client.get("/search/suggest/", {"q": "\x00tu"}).status_code == 400  # NUL: kitab.core.middleware
    assert client.post("/search/suggest/", {"q": "turk"}).status_code == 405


def test_search_boxes_are_wired_as_comboboxes(client, catalogue):
    home = client.get("/").content.decode()
    assert 'data-suggest-url="/search/suggest/"' in home and "opac/suggest.js" in home
    results = client.get("/search/", {"q": "turk"}).content.decode()
    assert 'data-suggest-url="/search/suggest/"' in results

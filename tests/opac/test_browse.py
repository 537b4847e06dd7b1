"""Browse authors and subjects: headings from the index in alphabet order, with counts and links to their
records; the alphabet bar, paging and bad input."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from kitab.search.browse import browse
from kitab.search.collation import sort_key
from kitab.search.services import search
from kitab.search.types import SearchRequest


def test_headings_beginning_with_letters_in_alphabet_order(catalogue):
    page = browse("subject", "T", limit=100)
    assert page.total == len(page.headings) > 0
    texts = [h.text for h in page.headings]
    assert all(t[:1] in "Tt" for t in texts)
    assert [sort_key(t) for t in texts] == sorted(sort_key(t) for t in texts)
    assert all(h.count >= 1 for h in page.headings)


def test_first_letter_in_either_case_and_paging(catalogue):
    upper = browse("author", "A", limit=100)
    assert browse("author", "a", limit=100).total == upper.total
    if upper.total > 2:
        second = browse("author", "A", limit=2, offset=2)
        assert [h.text for h in second.headings] == [h.text for h in upper.headings[2:4]]
    assert browse("author", "", limit=10).total == 0


def test_browse_page_lists_headings_linking_to_their_records(client, catalogue):
    heading = browse("subject", "T", limit=1).headings[0]
    response = client.get("/browse/subject/", {"start": "T"})
    assert response.status_code == 200
    body = response.content.decode()
    assert heading.text.replace("'", "&#x27;") in body or heading.text in body
    [(_h, url)] = [row for row in response.context["rows"] if row[0].text == heading.text]
    parsed = urlsplit(url)
    assert parsed.path == "/search/" and parse_qs(parsed.query)["subject"] == [heading.text]
    found = client.get(url)
    assert found.status_code == 200 and found.context["result"].total == heading.count
    assert 'aria-current="true">T<' in body


def test_browse_without_a_start_and_bad_input(client, catalogue):
    response = client.get("/browse/author/")
    assert response.status_code == 200 and response.context["rows"] == []
    assert client.get("/browse/nothing/").status_code == 404
    assert client.get("/browse/author/", {"start": "A", "page": "x"}).status_code == 200
    # a NUL character is refused before any view (kitab.core.middleware), with a clear 400
    assert client.get("/browse/author/", {"start": "\x00A"}).status_code == 400
    assert client.get("/browse/author/", {"start": "Zzzzqq"}).context["heading_total"] == 0
    home = client.get("/").content.decode()
    assert "/browse/author/" in home and "/browse/subject/" in home


def test_the_facet_filter_finds_what_the_heading_counts(catalogue):
    heading = browse("author", "A", limit=1).headings[0]
    assert search(SearchRequest(query="", filters={"author": [heading.text]}, limit=0)).total == heading.count

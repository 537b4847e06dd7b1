"""The public catalogue's pages: home, search (facets, filters, sort, paging, errors), record page, language."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.opac.catalogue import (
    CONTENTS_SUMMARY,
    ISBN_QUALIFIED,
    SERIES_TRACED,
    VERNACULAR_KHAYYAM,
    VERNACULAR_TURK_DILI,
)

SEARCH = "/search/"


def _html_tag(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"<html[^>]*>", response.content.decode())
    assert match
    return match.group(0)


def _hrefs(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', response.content.decode())]


# -- home -----------------------------------------------------------------------------------------------------


def test_home_has_search_box_counts_examples_and_tips(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    assertContains(response, 'action="/search/"')
    assertContains(response, 'name="q"')
    assert response.context["record_count"] == catalogue.total
    assertContains(response, f"<strong>{catalogue.total}</strong> records in the catalogue", html=False)
    for prefix in (
        "title:",
        "author:",
        "subject:",
        "isbn:",
        "series:",
        "publisher:",
        "year:1990-2000",
        "language:tur",
    ):
        assertContains(response, f'<code dir="ltr">{prefix}</code>')
    example_links = [h for h in _hrefs(response) if h.startswith("/search/?q=")]
    assert len(example_links) >= 3


def test_home_on_empty_catalogue(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["record_count"] == 0


def test_html_lang_and_dir_follow_the_active_language(client, db):
    assert 'lang="en"' in _html_tag(client.get("/"))
    assert 'dir="ltr"' in _html_tag(client.get("/"))
    for code in ("az", "tr", "ru"):
        tag = _html_tag(client.get("/", HTTP_ACCEPT_LANGUAGE=code))
        assert f'lang="{code}"' in tag
        assert (
            'dir="ltr"' in tag
        )  # Azerbaijani is written in Latin script here, even though Django lists it as bidi


def test_page_has_skip_link_and_labelled_search(client, db):
    response = client.get("/search/?q=x")
    assertContains(response, 'href="#main"')
    assertContains(response, 'id="main"')
    assertContains(response, 'for="header-q"')
    assertContains(response, 'role="search"')


def test_language_switch_posts_to_set_language_and_keeps_the_page(client, catalogue):
    page = "/search/?q=language%3Atur"
    response = client.get(page)
    assertContains(response, 'action="/i18n/setlang/"')
    assertContains(response, f'name="next" value="{page.replace("&", "&amp;")}"', html=False)
    for native in ("English", "Azərbaycanca", "Türkçe", "Русский"):
        assertContains(response, native)

    response = client.post("/i18n/setlang/", {"language": "az", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    response = client.get(page)
    assert 'lang="az"' in _html_tag(response)
    assertContains(response, '<button type="submit" class="button">Axtar</button>', html=True)
    assertContains(response, "Nəticələri dəqiqləşdir")  # "Refine results"
    assertContains(response, "Türk dili")  # the language facet, with its Azerbaijani name

    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assertContains(client.get("/"), "Поиск")


# -- search ---------------------------------------------------------------------------------------------------


def test_search_lists_hits_linking_to_record_pages(client, catalogue):
    response = client.get(SEARCH, {"q": "Azerbaijani"})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.total >= 1
    hit = response.context["hits"][0]
    assertContains(response, f'href="/record/{hit.record_id}/"')
    assertContains(response, "records found" if result.total > 1 else "record found")
    assertContains(response, " ms)")


def test_search_shows_facets_with_human_names(client, catalogue):
    response = client.get(SEARCH, {"q": ""})
    groups = {group.name: group for group in response.context["facet_groups"]}
    assert {"language", "material_type", "year", "branch", "available"} <= set(groups)
    languages = {choice.value: str(choice.label) for choice in groups["language"].choices}
    assert languages["tur"] == "Turkish"
    assert languages["eng"] == "English"
    assert languages["kaz"] == "Kazakh"
    branches = {choice.value: str(choice.label) for choice in groups["branch"].choices}
    assert branches == {"CENTRAL": "Central Library", "NORTH": "North District Branch"}
    types = {str(choice.label) for choice in groups["material_type"].choices}
    assert "Book" in types
    availability = {choice.value: str(choice.label) for choice in groups["available"].choices}
    assert availability == {"yes": "Available now", "no": "Not available now"}
    assertContains(response, "Central Library")
    assertContains(response, "Library branch")


def test_facet_link_adds_filter_and_chip_removes_it(client, catalogue):
    response = client.get(SEARCH, {"q": ""})
    all_total = response.context["result"].total
    turkish = next(
        c
        for g in response.context["facet_groups"]
        if g.name == "language"
        for c in g.choices
        if c.value == "tur"
    )
    assert parse_qs(urlparse(turkish.url).query)["language"] == ["tur"]

    response = client.get(SEARCH + turkish.url)
    result = response.context["result"]
    assert result.total == turkish.count == sum(1 for lang in catalogue.languages.values() if lang == "tur")
    assert result.total < all_total
    assert all(hit.languages[0] == "tur" for hit in result.hits)
    chip = response.context["chips"][0]
    assert str(chip.label) == "Turkish"
    assert "language" not in parse_qs(urlparse(chip.url).query)
    assertContains(response, 'class="chip"')
    # the selected value is shown selected, and its link removes it again
    selected = next(
        c for g in response.context["facet_groups"] if g.name == "language" for c in g.choices if c.selected
    )
    assert selected.value == "tur"
    assert "language" not in parse_qs(urlparse(selected.url).query)


def test_filters_combine_language_branch_and_availability(client, catalogue):
    response = client.get(SEARCH, {"language": "tur", "branch": "NORTH", "available": "no"})
    result = response.context["result"]
    assert result.total >= 1
    assert all(not hit.available for hit in result.hits)
    labels = {str(chip.label) for chip in response.context["chips"]}
    assert labels == {"Turkish", "North District Branch", "Not available now"}

    response = client.get(SEARCH, {"language": "tur", "available": "yes"})
    assert all(hit.available for hit in response.context["hits"])


def test_repeated_filter_values_are_ored(client, catalogue):
    both = client.get(SEARCH, {"language": ["tur", "kaz"]}).context["result"].total
    tur = client.get(SEARCH, {"language": "tur"}).context["result"].total
    kaz = client.get(SEARCH, {"language": "kaz"}).context["result"].total
    assert both == tur + kaz


def test_sort_by_year(client, catalogue):
    response = client.get(SEARCH, {"q": "", "sort": "year_desc"})
    years = [hit.year for hit in response.context["hits"] if hit.year]
    assert years == sorted(years, reverse=True)
    response = client.get(SEARCH, {"q": "", "sort": "year_asc"})
    years = [hit.year for hit in response.context["hits"] if hit.year]
    assert years == sorted(years)
    assertContains(response, '<option value="year_asc" selected>', html=False)


def test_pagination(client, catalogue):
    first = client.get(SEARCH, {"q": ""})
    assert first.context["pages"] == -(-catalogue.total // 20)
    assertContains(first, 'rel="next"')
    assertNotContains(first, 'rel="prev"')

    second = client.get(SEARCH, {"q": "", "page": "2"})
    assert second.context["first_number"] == 21
    assertContains(second, '<ol class="hits" start="21">', html=False)
    assertContains(second, 'rel="prev"')
    first_ids = {hit.record_id for hit in first.context["hits"]}
    second_ids = {hit.record_id for hit in second.context["hits"]}
    assert first_ids and second_ids and not first_ids & second_ids
    # filters survive paging, and a filter click goes back to page one
    links = [h for h in _hrefs(client.get(SEARCH, {"language": "eng", "page": "2"})) if "page=" in h]
    assert links and all("language=eng" in h for h in links)
    facet_url = second.context["facet_groups"][0].choices[0].url
    assert "page" not in parse_qs(urlparse(facet_url).query)


def test_no_results_is_a_friendly_message(client, catalogue):
    response = client.get(SEARCH, {"q": "zzqqxxnotaword"})
    assert response.status_code == 200
    assertContains(response, "Nothing matched your search")
    assertContains(response, "Search tips")


def test_bad_query_shows_a_message_not_an_error(client, catalogue):
    response = client.get(SEARCH, {"q": "year:abc"})
    assert response.status_code == 400
    assertContains(response, "We could not understand this search", status_code=400)
    assertContains(response, "year:1990-2000", status_code=400)


def test_nonsense_parameters_fall_back_to_defaults(client, catalogue):
    for params in (
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999"},
        {"sort": "random"},
        {"language": ""},
        {"q": "x" * 3000},
    ):
        response = client.get(SEARCH, params)
        assert response.status_code in (200, 400), params


# -- record page ----------------------------------------------------------------------------------------------


def test_record_page_shows_fields_as_a_patron_reads_them(client, catalogue):
    response = client.get(f"/record/{catalogue.pk(VERNACULAR_TURK_DILI)}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Türk dīlī : dars ocāğī" in body
    assert "Ibrāhīm Rafraf" in body  # statement of responsibility
    assert "Tihrān : Nashr-i Murgh-i Āmīn, 1999" in body  # imprint
    assert "349 p. ; 24 cm" in body  # physical description
    assert "Includes bibliographical references (p. 349)." in body
    assert "Bibliography" in body  # the note's label
    assert "9789645519283" in body
    assert "Azerbaijani" in body
    # subjects and authors link to searches for themselves
    assert 'href="/search/?q=subject%3A%22Azerbaijani+language+--+Grammar%22"' in body
    assert 'href="/search/?q=author%3A%22Rafraf%2C+Ibr%C4%81h%C4%ABm%2C+1949+or+1950-%22"' in body


def test_record_page_shows_880_vernacular_beside_romanised(client, catalogue):
    response = client.get(f"/record/{catalogue.pk(VERNACULAR_TURK_DILI)}/")
    body = response.content.decode()
    title_pair = re.search(r'<div class="pair title-pair has-vernacular">(.*?)</div>', body, re.DOTALL)
    assert title_pair
    assert "Türk dīlī" in title_pair.group(1)
    assert re.search(r'<p class="vern vern-title" dir="rtl">تورک ديلى : درس اوجاغى', title_pair.group(1))
    # the author's name in Arabic script sits in the same row as the romanised heading
    author_pair = re.search(
        r'<div class="pair has-vernacular">\s*<span class="rom"[^>]*><a href="[^"]*">Rafraf, '
        r"Ibrāhīm, 1949 or 1950-</a>.*?</div>",
        body,
        re.DOTALL,
    )
    assert author_pair
    assert 'dir="rtl"' in author_pair.group(0) and "رفرف، ابراهيم" in author_pair.group(0)
    assertContains(
        response, '<span class="vern" dir="rtl">تهران : نشر مرغ آمين، \u202a1999\u202c</span>', html=False
    )


def test_record_page_series_notes_and_isbn_qualifier(client, catalogue):
    body = client.get(f"/record/{catalogue.pk(VERNACULAR_KHAYYAM)}/").content.decode()
    assert "series%3A%22Qarn" in body  # the series links to a series search
    assert "قرن\u200cلر و عصرلر فريادى ; 2" in body

    body = client.get(f"/record/{catalogue.pk(SERIES_TRACED)}/").content.decode()
    assert "series%3A%22World%27s+great+books%22" in body

    body = client.get(f"/record/{catalogue.pk(CONTENTS_SUMMARY)}/").content.decode()
    assert "<dt>Contents</dt>" in body and "<dt>Summary</dt>" in body

    body = client.get(f"/record/{catalogue.pk(ISBN_QUALIFIED)}/").content.decode()
    assert '<span class="ident">0130271624</span> <span class="extra">(v. 1)</span>' in body


def test_record_page_copies_table(client, catalogue):
    response = client.get(f"/record/{catalogue.pk(VERNACULAR_TURK_DILI)}/")
    copies = response.context["copies"]
    assert {copy.item.home_branch.code for copy in copies} == {"CENTRAL", "NORTH"}
    assertContains(response, "Central Library")
    assertContains(response, "North District Branch")
    assertContains(response, "PL314 .R34 1999 c.2")
    assertContains(response, "Stacks")
    assertContains(response, "On loan")
    assertContains(response, "Available")
    assertContains(response, "1 of 2 copies are available")

    response = client.get(f"/record/{catalogue.pk(VERNACULAR_TURK_DILI)}/", HTTP_ACCEPT_LANGUAGE="ru")
    assertContains(response, "Экземпляры")
    assertContains(response, "Выдан")  # the on-loan status, translated


def test_record_without_copies_says_so(client, catalogue):
    kazakh = next(cn for cn, lang in catalogue.languages.items() if lang == "kaz")
    response = client.get(f"/record/{catalogue.pk(kazakh)}/")
    assertContains(response, "The library has no copies of this title.")


def test_marc_view_is_for_staff_only(client, staff_client, catalogue, django_user_model):
    url = f"/record/{catalogue.pk(VERNACULAR_TURK_DILI)}/"
    staff_link = reverse("staff:record_marc", args=[catalogue.pk(VERNACULAR_TURK_DILI)])

    anonymous = client.__class__().get(url)
    assertNotContains(anonymous, "MARC view")
    assertNotContains(anonymous, staff_link)
    assert anonymous.context["marc_lines"] is None

    reader = django_user_model.objects.create_user("reader", password="x" * 12)
    patron = client.__class__()
    patron.force_login(reader)
    assertNotContains(patron.get(url), "MARC view")

    response = staff_client.get(url)
    assertContains(response, "MARC view")
    assertContains(response, staff_link)
    assertContains(response, '<th scope="row" class="marc-tag">245</th>', html=False)
    assertContains(response, '<th scope="row" class="marc-tag">880</th>', html=False)


def test_unknown_record_is_404(client, db):
    response = client.get("/record/987654/")
    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)


def test_heading_links_find_the_record_they_come_from(client, catalogue):
    for control in (VERNACULAR_TURK_DILI, VERNACULAR_KHAYYAM, SERIES_TRACED):
        pk = catalogue.pk(control)
        display = client.get(f"/record/{pk}/").context["display"]
        headings = [*display.authors, *display.subjects, *display.series]
        queries = [h.query for h in headings] + [h.vernacular.query for h in headings if h.vernacular]
        assert queries
        for query in queries:
            hits = client.get(SEARCH, {"q": query}).context["hits"]
            assert pk in [hit.record_id for hit in hits], query

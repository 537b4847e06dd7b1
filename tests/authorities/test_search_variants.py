"""A "see from" (4XX) form of a linked authority finds the works, in the OPAC search and its pages; the index
follows authority edits, deletions and rebuilds."""

from __future__ import annotations

import pymarc
from django.test import Client
from django.urls import reverse

from kitab.authorities import services
from kitab.authorities.models import Authority
from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.search import services as search_services
from kitab.search.types import SearchRequest
from tests.authorities.records import authority

ACTOR = Actor.system()


def _found(query: str) -> set[str]:
    result = search_services.search(SearchRequest(query=query, limit=50))
    return {hit.control_number for hit in result.hits}


def test_variant_names_and_subjects_find_the_linked_works(load_sample):
    load_sample()
    assert _found("Evliya Efendi") == {"b1", "b5"}
    assert _found('author:"Mehmed Zilli"') == {"b1", "b5"}
    assert _found("subject:xalçalar") == {"b1", "b2"}  # a 450 of Carpets, folded: "Xalcalar" too
    assert _found("Akhundov State Library") == {"b2"}
    assert _found("Bakou") == {"b3"}
    # Variants only find: they are not shown as authors or counted in facets.
    hit = search_services.search(SearchRequest(query="Evliya Efendi")).hits[0]
    assert all("Efendi" not in a for a in hit.authors)


def test_variant_added_later_finds_after_editing_the_authority(load_sample, django_capture_on_commit_callbacks):
    load_sample()
    assert _found("Seyyah") == set()
    celebi = Authority.objects.get(control_number="a1")
    marc = authority("100", ["aÇelebi, Evliya,", "d1611-1682"], number="a1",
                     see_from=[("400", ["aSeyyah Evliya"])])
    with django_capture_on_commit_callbacks(execute=True):
        services.save_authority(authority=celebi, marc=marc, actor=ACTOR)
    assert _found("Seyyah") == {"b1", "b5"}
    assert _found("Efendi") == set()  # the removed variant no longer finds them


def test_deleting_the_authority_removes_its_variants_from_the_index(load_sample, django_capture_on_commit_callbacks):
    load_sample()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_authority(authority=Authority.objects.get(control_number="a3"), actor=ACTOR)
    assert _found("Akhundov") == set()


def test_full_reindex_keeps_the_variants(load_sample):
    load_sample()
    search_services.reindex()
    assert _found("Evliya Efendi") == {"b1", "b5"}


def test_opac_search_page_finds_a_work_by_a_variant_name(load_sample):
    load_sample()
    response = Client().get(reverse("opac:search"), {"q": "Mehmed Zilli"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Seyahatname" in page and "Книга путешествия" in page


def test_a_record_saved_in_the_editor_is_linked_and_found_by_variants(load_sample, django_capture_on_commit_callbacks):
    from kitab.catalogue.editing import save_record
    from kitab.marc.iso2709 import parse_record

    load_sample()
    record = Record.objects.get(control_number="b4")
    marc, _warnings = parse_record(bytes(record.raw))
    marc.add_field(pymarc.Field(tag="700", indicators=pymarc.Indicators("1", " "),
                                subfields=[pymarc.Subfield("a", "Çelebi, Evliya,"), pymarc.Subfield("d", "1611-1682")]))
    with django_capture_on_commit_callbacks(execute=True):
        save_record(record=record, marc=marc, actor=ACTOR, channel="editor", validate=False)
    assert _found("Evliya Efendi") == {"b1", "b4", "b5"}

"""Acceptance on real data (../shared/data/marc): the Koha sample authorities and bibliographic records, and
Evergreen's Concerto authorities (LC, MeSH, local) with its bibliographic records. Headings link, and a "see
from" form finds the works in the OPAC search. Skipped when the shared data is absent."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from kitab.authorities import services
from kitab.authorities.models import Authority, HeadingLink
from kitab.catalogue.services import import_file as import_bibs
from kitab.core.actor import Actor
from kitab.search import services as search_services
from kitab.search.types import SearchRequest

pytestmark = pytest.mark.shared
ACTOR = Actor.system()


def _titles(query: str) -> set[str]:
    return {hit.title for hit in search_services.search(SearchRequest(query=query, limit=100)).hits}


def test_koha_authorities_link_by_subfield_9_and_variants_find_the_works(db, shared_data):
    koha = shared_data / "koha-sample-data"
    report = services.import_file(koha / "koha_sample_authorities.marcxml.xml", actor=ACTOR)
    # 1,706 records; one has no heading field at all (only 001-942), one an empty 100: both reported with
    # their position and reason.
    assert (report.added, report.rejected) == (1704, 2)
    assert [r.position for r in report.rejects] == [1, 1569]
    assert "no heading field" in report.rejects[0].reason and "empty" in report.rejects[1].reason
    kinds = Counter(Authority.objects.values_list("kind", flat=True))
    assert kinds["topical"] == 663 and kinds["personal"] == 648 and kinds["geographic"] == 142
    bibs = import_bibs(koha / "koha_sample_biblios.wellformed.marcxml.xml", actor=ACTOR)
    assert bibs.added == 435
    methods = Counter(HeadingLink.objects.exclude(authority=None).values_list("method", flat=True))
    # Koha writes its authority id in $9; nearly every such heading resolves (a few point at authorities
    # missing from the sample), and some more headings link by their folded text.
    assert methods["local"] > 1200 and methods["auto"] > 10
    fela = Authority.objects.get(control_number="76")
    assert fela.links.count() >= 1
    # Fela's 400 "Ransome-Kuti, Fela" and Euripides' Greek 400 "Εὐριπίδης" find their works.
    fela_titles = set(fela.links.values_list("record__title", flat=True))
    assert fela_titles and fela_titles <= _titles("Ransome-Kuti")
    euripides = Authority.objects.get(control_number="104")
    assert _titles("Εὐριπίδης") == set(euripides.links.values_list("record__title", flat=True))
    assert _titles("Εὐριπίδης")
    response = Client().get(reverse("opac:search"), {"q": "Anikulapo-Kuti"})
    assert response.status_code == 200 and next(iter(fela_titles))[:20] in response.content.decode()


def test_evergreen_authorities_link_by_heading_and_variants_find_the_works(db, shared_data):
    concerto = shared_data / "evergreen" / "concerto"
    totals = Counter()
    for name in ("auth_concerto.xml", "auth_lc.xml", "auth_mesh.xml"):
        report = services.import_file(concerto / name, actor=ACTOR)
        totals.update(added=report.added, rejected=report.rejected)
    assert totals == {"added": 98, "rejected": 0}  # 72 local, 14 LC (2 medium of performance terms), 12 MeSH
    assert Authority.objects.filter(kind="medium").count() == 2
    for path in sorted(concerto.glob("bibs_*.xml")):
        import_bibs(path, actor=ACTOR)
    linked = HeadingLink.objects.exclude(authority=None)
    assert linked.filter(method="auto").count() >= 10
    # The LC genre term "Graphic novels" (655) links, and its 455 "Comic book novels" finds the works.
    graphic = Authority.objects.get(heading="Graphic novels")
    works = set(graphic.links.values_list("record__title", flat=True))
    assert works and works <= _titles("Comic book novels")
    # A personal name: Kabalevsky's 400 "Kabelevsky, Dmitri M." finds the linked recording.
    kabalevsky = Authority.objects.get(control_number="1116068")
    assert kabalevsky.links.exists()
    assert set(kabalevsky.links.values_list("record__title", flat=True)) <= _titles("Kabelevsky")
    # Four records establish "Handel, George Frideric, 1685-1759" (local, LC and two more): never auto-linked.
    handel_key = Authority.objects.filter(control_number="943013").values_list("heading_key", flat=True).get()
    assert Authority.objects.filter(heading_key=handel_key, tag="100").count() > 1
    assert not linked.filter(heading_key=handel_key, method="auto").exists()

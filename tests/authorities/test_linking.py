"""Linking bibliographic headings to authorities: $0, $9, a unique matching heading; manual links; authorities
loaded after the records; ambiguity."""

from __future__ import annotations

from kitab.authorities import linking, services
from kitab.authorities.errors import AuthorityError
from kitab.authorities.models import Authority, HeadingLink
from kitab.catalogue.models import Record
from kitab.catalogue.services import import_file as import_bibs
from kitab.core.actor import Actor
from kitab.marc.iso2709 import parse_record
from tests.authorities.records import authority, bib, iso

ACTOR = Actor.system()


def _links(number: str) -> list[tuple[str, str | None, str, str]]:
    record = Record.objects.get(control_number=number)
    return [
        (link.tag, link.authority.control_number if link.authority else None, link.method, link.match)
        for link in HeadingLink.objects.filter(record=record).select_related("authority").order_by("tag", "occurrence")
    ]


def test_headings_link_by_folded_heading_ref_and_subdivision_free_part(load_sample):
    load_sample()
    # "ÇELEBİ, EVLİYA, 1611-1682, author." in capitals with a relator: the folded key matches.
    assert _links("b1") == [("100", "a1", "auto", "full"), ("650", "a2", "auto", "main")]
    assert _links("b2") == [("650", "a2", "auto", "full"), ("710", "a3", "auto", "full")]
    # $0 (DLC)n  80012345 resolves through the authority's LCCN.
    assert _links("b3") == [("651", "a4", "ref", "full")]
    # Cyrillic spelling of the same name.
    assert _links("b5") == [("100", "a1", "auto", "full")]
    assert _links("b4") == []


def test_authorities_loaded_after_the_records_link_them(load_sample):
    load_sample(bibs_first=True)
    assert _links("b1") == [("100", "a1", "auto", "full"), ("650", "a2", "auto", "main")]
    assert _links("b3") == [("651", "a4", "ref", "full")]  # its $0 resolves once the authority came


def test_local_id_in_subfield_9_links_to_the_authority_with_that_001(db, marc_file):
    services.import_file(marc_file(iso(authority("100", ["aSomeone Else"], number="1703")), name="a.mrc"),
                         actor=ACTOR)
    import_bibs(marc_file(iso(bib("b9", "T", ("600", "10", ["aSpringsteen, B.", "91703"]))), name="b.mrc"),
                actor=ACTOR)
    assert _links("b9") == [("600", "1703", "local", "full")]


def test_an_ambiguous_heading_is_not_linked_automatically(db, marc_file):
    # The same name established twice (two sources): the folded keys are equal, so neither is chosen.
    twins = [authority("100", ["aMəmmədov, Əli"], number="m1"),
             authority("100", ["aMƏMMƏDOV, ƏLİ."], number="m2", org="OTHER")]
    services.import_file(marc_file(iso(*twins), name="a.mrc"), actor=ACTOR)
    import_bibs(marc_file(iso(bib("b7", "T", ("100", "1 ", ["aMəmmədov, Əli."]))), name="b.mrc"), actor=ACTOR)
    assert _links("b7") == [("100", None, "", "")]
    # A heading of another type with the same words is not a candidate either.
    assert not HeadingLink.objects.filter(authority_tag="150").exists()


def test_manual_link_survives_a_resave_and_can_be_undone(load_sample):
    load_sample()
    other = services.save_authority(
        authority=None, marc=authority("100", ["aEvliya Çelebi"], number="a9"), actor=ACTOR
    ).authority
    link = HeadingLink.objects.get(record__control_number="b5", tag="100")
    services.link_heading(link=link, authority=other, actor=ACTOR)
    record = Record.objects.get(control_number="b5")
    linking.link_records({record.pk: parse_record(bytes(record.raw))[0]})
    assert _links("b5") == [("100", "a9", "manual", "full")]
    services.link_heading(link=link, authority=None, actor=ACTOR)
    assert _links("b5") == [("100", None, "", "")]


def test_manual_link_refuses_an_authority_of_another_type(load_sample):
    load_sample()
    link = HeadingLink.objects.get(record__control_number="b5", tag="100")
    subject = Authority.objects.get(control_number="a2")
    try:
        services.link_heading(link=link, authority=subject, actor=ACTOR)
    except AuthorityError as exc:
        assert exc.code == "link_mismatch"
    else:
        raise AssertionError("a subject authority was linked to a personal name heading")
    assert _links("b5") == [("100", "a1", "auto", "full")]


def test_relink_all_and_link_matching_on_demand(load_sample):
    load_sample()
    HeadingLink.objects.all().delete()
    assert services.relink_all() == 4  # b1, b2, b3, b5 have links again
    assert _links("b2") == [("650", "a2", "auto", "full"), ("710", "a3", "auto", "full")]
    HeadingLink.objects.filter(authority__control_number="a3").update(authority=None, method="", match="")
    assert services.link_matching(authority=Authority.objects.get(control_number="a3"), actor=ACTOR) == 1
    assert _links("b2")[1] == ("710", "a3", "auto", "full")


def test_deleting_an_authority_leaves_headings_unlinked(load_sample):
    load_sample()
    assert services.delete_authority(authority=Authority.objects.get(control_number="a1"), actor=ACTOR) == 2
    assert _links("b5") == [("100", None, "", "")]
    assert HeadingLink.objects.filter(record__control_number="b1", tag="100").exists()

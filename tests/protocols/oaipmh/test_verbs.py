"""Each verb over HTTP (GET and POST), with its errors; every response is checked against OAI-PMH.xsd."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pymarc
import pytest
from lxml import etree

from kitab.catalogue.models import Record
from kitab.catalogue.services import delete_records
from kitab.core.actor import Actor
from kitab.marc.iso2709 import parse_record

from .conftest import NS, bib, check, error_codes, identifiers


@pytest.fixture
def catalogue(import_raws):
    import_raws(
        [
            bib("c1", "Kitabi Dədə Qorqud", branches=("CENTRAL",)),
            bib("c2", "Leyli və Məcnun"),
            bib("c3", "Xəmsə", branches=("EAST", "CENTRAL")),
        ]
    )
    return {r.control_number: r for r in Record.objects.all()}


def test_identify(oai, settings, catalogue):
    settings.KITAB_LIBRARY_NAME = "Bakı Mərkəzi Kitabxana"
    settings.KITAB_ADMIN_EMAIL = "oai@library.example.org"
    settings.KITAB_OAI_REPOSITORY_ID = "lib.example.org"
    Record.objects.filter(pk=catalogue["c2"].pk).update(updated_at=datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC))

    doc = oai(verb="Identify")

    ident = doc.find("oai:Identify", NS)
    assert ident.findtext("oai:repositoryName", namespaces=NS) == "Bakı Mərkəzi Kitabxana"
    assert ident.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai"
    assert ident.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert ident.findtext("oai:adminEmail", namespaces=NS) == "oai@library.example.org"
    assert ident.findtext("oai:earliestDatestamp", namespaces=NS) == "2001-02-03T04:05:06Z"
    assert ident.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert ident.findtext(".//id:repositoryIdentifier", namespaces=NS) == "lib.example.org"
    assert ident.findtext(".//id:sampleIdentifier", namespaces=NS).startswith("oai:lib.example.org:")
    assert doc.find("oai:request", NS).get("verb") == "Identify"


def test_identify_on_an_empty_catalogue_and_by_post(oai, db):
    doc = oai("post", verb="Identify")
    assert doc.find(".//oai:earliestDatestamp", NS).text.endswith("Z")
    assert doc.findtext(".//oai:adminEmail", namespaces=NS) == "admin@kitab.local"


def test_list_metadata_formats(oai, catalogue):
    doc = oai(verb="ListMetadataFormats")
    formats = {
        f.findtext("oai:metadataPrefix", namespaces=NS): f.findtext("oai:metadataNamespace", namespaces=NS)
        for f in doc.iterfind(".//oai:metadataFormat", NS)
    }
    assert formats == {
        "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
        "marc21": "http://www.loc.gov/MARC21/slim",
    }
    assert (
        len(
            oai(verb="ListMetadataFormats", identifier=f"oai:kitab.local:{catalogue['c1'].pk}").findall(
                ".//oai:metadataFormat", NS
            )
        )
        == 2
    )
    assert error_codes(oai(verb="ListMetadataFormats", identifier="oai:kitab.local:999999")) == [
        "idDoesNotExist"
    ]


def test_list_sets(oai, catalogue):
    doc = oai(verb="ListSets")
    sets = {
        s.findtext("oai:setSpec", namespaces=NS): s.findtext("oai:setName", namespaces=NS)
        for s in doc.iterfind(".//oai:set", NS)
    }
    assert sets["branch:CENTRAL"] == "Branch: CENTRAL"
    assert "branch:EAST" in sets and "branch" in sets and "type" in sets
    assert sets["type:book"] == "Type of material: Book"
    assert error_codes(oai(verb="ListSets", resumptionToken="nope")) == ["badResumptionToken"]


def test_get_record_marc21_and_oai_dc(oai, catalogue):
    record = catalogue["c3"]
    ident = f"oai:kitab.local:{record.pk}"

    doc = oai(verb="GetRecord", identifier=ident, metadataPrefix="marc21")
    head = doc.find(".//oai:header", NS)
    assert head.findtext("oai:identifier", namespaces=NS) == ident
    assert [s.text for s in head.findall("oai:setSpec", NS)] == ["branch:CENTRAL", "branch:EAST", "type:book"]
    marc = doc.find(".//oai:metadata/marc:record", NS)
    parsed = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(marc)))[0]
    stored, _ = parse_record(bytes(record.raw))
    assert [str(f) for f in parsed.fields] == [str(f) for f in stored.fields]

    dc = oai("post", verb="GetRecord", identifier=ident, metadataPrefix="oai_dc")
    assert dc.findtext(".//oai_dc:dc/dc:title", namespaces=NS) == "Xəmsə"
    assert dc.findtext(".//dc:identifier", namespaces=NS) == f"http://testserver/record/{record.pk}/"


def test_get_record_errors(oai, catalogue):
    ident = f"oai:kitab.local:{catalogue['c1'].pk}"
    doc = oai(verb="GetRecord", identifier=ident, metadataPrefix="mods")
    assert error_codes(doc) == ["cannotDisseminateFormat"]
    assert doc.find("oai:request", NS).get("metadataPrefix") == "mods"  # echoed: not a badArgument
    for other in ["oai:kitab.local:999999", "oai:elsewhere.org:1", "banana"]:
        assert error_codes(oai(verb="GetRecord", identifier=other, metadataPrefix="oai_dc")) == [
            "idDoesNotExist"
        ]
    doc = oai(verb="GetRecord", identifier=ident)
    assert error_codes(doc) == ["badArgument"]
    assert doc.find("oai:request", NS).attrib == {}  # badArgument echoes no arguments


def test_get_deleted_record(oai, catalogue):
    record = catalogue["c1"]
    delete_records([record.pk], actor=Actor.system(), at=datetime(2025, 5, 6, 7, 8, 9, 10, tzinfo=UTC))

    for prefix in ("marc21", "oai_dc"):
        doc = oai(verb="GetRecord", identifier=f"oai:kitab.local:{record.pk}", metadataPrefix=prefix)
        head = doc.find(".//oai:record/oai:header", NS)
        assert head.get("status") == "deleted"
        assert head.findtext("oai:datestamp", namespaces=NS) == "2025-05-06T07:08:09Z"
        assert [s.text for s in head.findall("oai:setSpec", NS)] == ["branch:CENTRAL", "type:book"]
        assert doc.find(".//oai:metadata", NS) is None


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListIdentifiers", "resumptionToken": "garbage"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "dc"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "branch:NOWHERE"}, "noRecordsMatch"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "shelf:1"}, "noRecordsMatch"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
        (
            {
                "verb": "ListIdentifiers",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "noRecordsMatch",
        ),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_error_responses(oai, catalogue, params, code, method):
    doc = oai(method, **params)
    assert error_codes(doc) == [code]
    if code in ("badVerb", "badArgument"):
        assert doc.find("oai:request", NS).attrib == {}


def test_repeated_argument_is_bad(client, catalogue):
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marc21")
    assert error_codes(check(response.content)) == ["badArgument"]
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert error_codes(check(response.content)) == ["badVerb"]
    assert client.put("/oai").status_code == 405


def test_list_records_and_identifiers_one_page(oai, catalogue):
    ids = [f"oai:kitab.local:{r.pk}" for r in sorted(catalogue.values(), key=lambda r: (r.updated_at, r.pk))]
    doc = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(doc) == ids
    assert doc.find(".//oai:resumptionToken", NS) is None  # complete in one response
    records = oai(verb="ListRecords", metadataPrefix="marc21")
    assert identifiers(records) == ids
    assert len(records.findall(".//oai:metadata/marc:record", NS)) == 3

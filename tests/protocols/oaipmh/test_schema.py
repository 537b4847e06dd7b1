"""Every kind of response validates against the official OAI-PMH 2.0 schema (skipped when it is absent).

The schema imports no other schema, so validation is fully offline. It skips the content of <metadata> and
<description> (processContents="skip"), so the oai_dc and MARCXML payloads are checked by the other tests.
"""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from kitab.catalogue.models import Record
from kitab.catalogue.services import delete_records
from kitab.core.actor import Actor

from .conftest import NS, bib, token_of


def test_every_verb_and_error_validates(client, xsd, import_raws, settings):
    settings.KITAB_OAI_PAGE_SIZE = 2
    import_raws(
        [bib("s1", "Bir", branches=("MAIN LIB",)), bib("s2", "İki"), bib("s3", "Üç", branches=("EAST",))]
    )
    first, *_ = Record.objects.order_by("pk")
    delete_records([first.pk], actor=Actor.system(), at=datetime(2025, 1, 1, tzinfo=UTC))
    ident = f"oai:kitab.local:{first.pk}"
    live = f"oai:kitab.local:{Record.objects.order_by('pk').first().pk}"

    requests = [
        {"verb": "Identify"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListMetadataFormats", "identifier": ident},
        {"verb": "ListSets"},
        {"verb": "GetRecord", "identifier": ident, "metadataPrefix": "marc21"},  # deleted
        {"verb": "GetRecord", "identifier": live, "metadataPrefix": "marc21"},
        {"verb": "GetRecord", "identifier": live, "metadataPrefix": "oai_dc"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "marc21", "from": "2020-01-01", "until": "2099-12-31"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "branch:MAIN~20LIB"},
        {},
        {"verb": "Nope"},
        {"verb": "ListRecords"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00"},
        {"verb": "ListRecords", "metadataPrefix": "xml"},
        {"verb": "ListRecords", "resumptionToken": "x.y"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2099-01-01"},
        {"verb": "GetRecord", "identifier": "oai:kitab.local:0", "metadataPrefix": "oai_dc"},
        {"verb": "ListSets", "resumptionToken": "x"},
    ]
    seen_codes = set()
    for params in requests:
        doc = etree.fromstring(client.get("/oai", params).content)
        xsd.assertValid(doc)
        seen_codes |= {e.get("code") for e in doc.findall("oai:error", NS)}
    assert seen_codes == {
        "badVerb",
        "badArgument",
        "cannotDisseminateFormat",
        "badResumptionToken",
        "noRecordsMatch",
        "idDoesNotExist",
    }

    # every page of a paged list, deleted record included, and the last page's empty token
    for verb, prefix in (("ListRecords", "marc21"), ("ListRecords", "oai_dc"), ("ListIdentifiers", "marc21")):
        doc = etree.fromstring(client.post("/oai", {"verb": verb, "metadataPrefix": prefix}).content)
        xsd.assertValid(doc)
        pages = [doc]
        while (token := token_of(doc)) is not None and token.text:
            doc = etree.fromstring(client.get("/oai", {"verb": verb, "resumptionToken": token.text}).content)
            xsd.assertValid(doc)
            pages.append(doc)
        assert len(pages) == 2
        assert pages[0].find(".//oai:header[@status='deleted']", NS) is not None  # the oldest datestamp


def test_the_schema_is_not_vacuous(xsd):
    bad = b"""<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
    <responseDate>2024-01-01T00:00:00Z</responseDate>
    <request>http://x/oai</request><Identify><repositoryName>x</repositoryName></Identify></OAI-PMH>"""
    assert not xsd.validate(etree.fromstring(bad))

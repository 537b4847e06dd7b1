"""Helpers for the OAI-PMH tests: schema validation of every response, records with copies in branches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymarc
import pytest
from lxml import etree

from tests.conftest import shared_data_dir

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "marc": "http://www.loc.gov/MARC21/slim",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}


def schema_path() -> Path | None:
    """The official OAI-PMH 2.0 schema from ../shared/data/marc/oai-pmh-fixtures (imports no other schema)."""
    base = shared_data_dir()
    path = base / "oai-pmh-fixtures" / "OAI-PMH.xsd" if base else None
    return path if path and path.is_file() else None


_SCHEMA: list[etree.XMLSchema] = []


def oai_schema() -> etree.XMLSchema | None:
    if not _SCHEMA:
        path = schema_path()
        if path is None:
            return None
        _SCHEMA.append(etree.XMLSchema(etree.parse(str(path))))
    return _SCHEMA[0]


def check(content: bytes) -> etree._Element:
    """Parse a response and validate it against the schema when the schema file is present."""
    doc = etree.fromstring(content)
    schema = oai_schema()
    if schema is not None:
        schema.assertValid(doc)
    return doc


@pytest.fixture
def xsd() -> etree.XMLSchema:
    schema = oai_schema()
    if schema is None:
        pytest.skip("../shared/data/marc/oai-pmh-fixtures/OAI-PMH.xsd is not present")
    return schema


@pytest.fixture
def oai(client) -> Callable[..., etree._Element]:  # type: ignore[no-untyped-def]
    """GET (or POST) /oai with the given arguments; returns the validated response document."""

    def call(method: str = "get", **params: str) -> etree._Element:
        response = getattr(client, method)("/oai", params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
        return check(response.content)

    return call


def error_codes(doc: etree._Element) -> list[str]:
    return [e.get("code") for e in doc.findall("oai:error", NS)]


def identifiers(doc: etree._Element) -> list[str]:
    return [e.text for e in doc.iterfind(".//oai:header/oai:identifier", NS)]


def token_of(doc: etree._Element) -> etree._Element | None:
    return doc.find(".//oai:resumptionToken", NS)


def bib(
    control: str, title: str, *, branches: tuple[str, ...] = (), leader: str = "00000nam a2200000 a 4500"
) -> bytes:
    """A small UTF-8 record with one 952 copy per branch code."""
    record = pymarc.Record(force_utf8=True, leader=leader)
    record.add_field(pymarc.Field(tag="001", data=control))
    record.add_field(pymarc.Field(tag="003", data="KITAB"))
    record.add_field(pymarc.Field(tag="008", data="200101s2020    tu            000 0 tur d"))
    record.add_field(pymarc.Field(tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", title)]))
    for n, code in enumerate(branches):
        record.add_field(
            pymarc.Field(
                tag="952",
                indicators=[" ", " "],
                subfields=[
                    pymarc.Subfield("a", code),
                    pymarc.Subfield("b", code),
                    pymarc.Subfield("p", f"{control}-{n}"),
                ],
            )
        )
    return record.as_marc()


@pytest.fixture
def import_raws(db, marc_file) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor

    counter = iter(range(1_000_000))

    def run(raws: list[bytes]) -> object:
        return import_file(marc_file(raws, name=f"batch-{next(counter)}.mrc"), actor=Actor.system())

    return run

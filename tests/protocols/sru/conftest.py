"""Helpers for the SRU tests: namespaces and a small XML reader for responses."""

from __future__ import annotations

import pytest
from lxml import etree

NS = {
    "zs": "http://www.loc.gov/zing/srw/",
    "diag": "http://www.loc.gov/zing/srw/diagnostic/",
    "sru2": "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "scan2": "http://docs.oasis-open.org/ns/search-ws/scan",
    "diag2": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "zr": "http://explain.z3950.org/dtd/2.0/",
    "marc": "http://www.loc.gov/MARC21/slim",
    "srw_dc": "info:srw/schema/1/dc-schema",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xcql": "http://www.loc.gov/zing/cql/xcql/",
}


def xml(response) -> etree._Element:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return etree.fromstring(response.content)


def diagnostics(root: etree._Element) -> list[str]:
    return [u.text.rsplit("/", 1)[1] for u in root.xpath(".//diag:uri | .//diag2:uri", namespaces=NS)]


@pytest.fixture
def demo(import_demo):  # type: ignore[no-untyped-def]
    """The first 200 real LoC demo records, imported and indexed."""
    return import_demo(200)


@pytest.fixture
def demo_turkic(db, marc_file):  # type: ignore[no-untyped-def]
    """The first 200 demo records plus 30 from its Turkic part (Kazakh in ALA-LC romanisation, Uzbek, Turkish)."""
    from itertools import islice

    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor
    from tests.conftest import demo_raw_records

    records = list(islice(demo_raw_records(), 200)) + list(islice(demo_raw_records(), 2500, 2530))
    return import_file(marc_file(records, name="demo-turkic.mrc"), actor=Actor.system())

"""Staged import fixtures: small MARC files built from tests/catalogue/marcdata, and an inline job runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymarc
import pytest

from kitab.core.actor import Actor
from kitab.marc.writer import to_iso2709
from tests.catalogue.marcdata import bib, field

CATALOGUER = Actor(channel="staff", user_id=5, username="cataloguer", branch_code="MAIN")


def with_copy(record: pymarc.Record, barcode: str | None, branch: str = "MAIN", call: str = "PL 1") -> pymarc.Record:
    subfields = ["a", branch, "b", branch, "o", call, "y", "BOOK"]
    if barcode:
        subfields += ["p", barcode]
    record.add_field(field("952", *subfields))
    return record


@pytest.fixture(autouse=True)
def _inline_jobs(settings):  # type: ignore[no-untyped-def]
    settings.KITAB_IMPORT_JOBS = "inline"


@pytest.fixture
def mrc(tmp_path: Path) -> Callable[..., Path]:
    """Write pymarc records (or raw bytes) to an ISO 2709 file."""

    def make(records: list[pymarc.Record | bytes], name: str = "batch.mrc") -> Path:
        path = tmp_path / name
        path.write_bytes(b"".join(r if isinstance(r, bytes) else to_iso2709(r) for r in records))
        return path

    return make


@pytest.fixture
def local_catalogue(db, mrc):  # type: ignore[no-untyped-def]
    """Three local records loaded with the plain importer: two with copies, one without."""
    from kitab.catalogue.services import import_file

    records = [
        with_copy(bib("Dədə Qorqud kitabı", control="A1", isbn="9789952000016", extra=[field("590", "a", "Local note")]),
                  "B-0001"),
        with_copy(bib("Leyli və Məcnun", control="A2", author="Füzuli"), None),
        bib("Koroğlu", control="A3", author=None, isbn="9789952000023"),
    ]
    import_file(mrc(records, name="local.mrc"), actor=Actor.system())
    return records

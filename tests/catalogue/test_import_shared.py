"""Import every ISO 2709 / MARCXML file of the shared MARC test corpus through the import service.

The per-file accepted/rejected counts are the reader's table (tests/marc/test_shared_data.py); here each accepted
record must also be mapped and stored (added, updated or skipped as a duplicate of an earlier file), and each
rejected one reported, without the import stopping.
"""

from __future__ import annotations

import pytest

from kitab.catalogue.models import Record
from kitab.catalogue.services import import_file
from kitab.core.actor import Actor
from kitab.items.models import Branch, Item
from kitab.search import services as search_services
from kitab.search.types import SearchRequest
from tests.marc.test_shared_data import EXPECTED

pytestmark = [pytest.mark.shared, pytest.mark.slow]

FORCED_ENCODING = {"ruby-marc-tests/cp866_multirecord.marc": "cp866", "ruby-marc-tests/cp866_unimarc.marc": "cp866"}


def test_every_shared_file_imports_with_exact_counts(db, shared_data):
    mismatches = []
    for name, (accepted, rejected) in sorted(EXPECTED.items()):
        encoding = FORCED_ENCODING.get(name)
        if encoding:
            continue  # counted below with the encoding option
        report = import_file(shared_data / name, actor=Actor.system())
        stored = report.added + report.updated + report.skipped
        if (stored, report.rejected) != (accepted, rejected):
            reasons = "; ".join(r.reason for r in report.rejects[:3])
            mismatches.append(f"{name}: stored {stored}, rejected {report.rejected}, expected {accepted}/{rejected}"
                              f" ({reasons})")
    assert not mismatches, "\n".join(mismatches)
    assert Record.objects.count() > 5000
    # Evergreen's 949/852 holdings became copies in branches created on the way.
    assert Item.objects.count() > 1000
    assert Branch.objects.count() > 1
    assert search_services.search(SearchRequest(query="jazz")).total > 100


def test_cyrillic_legacy_files_with_encoding_option(db, shared_data):
    for name, encoding in FORCED_ENCODING.items():
        report = import_file(shared_data / name, actor=Actor.system(), encoding=encoding)
        assert report.rejected == 0 and report.added + report.skipped > 0, name
    # These are UNIMARC-shaped records (no MARC 21 245), so look at the stored record itself.
    stored = b"".join(bytes(raw) for raw in Record.objects.values_list("raw", flat=True)).decode("utf-8")
    assert "Никитенко" in stored

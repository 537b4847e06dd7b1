from __future__ import annotations

import csv
import io

import pymarc
import pytest
from django.core import mail

from kitab.catalogue.models import Record
from kitab.lists import formats
from kitab.lists.errors import ListError
from kitab.lists.mailing import email_records
from kitab.marc.summary import BibSummary
from tests.lists.factories import OPAC, T0


def test_citation_names_lose_dates_and_fuller_forms():
    assert formats.citation_name("Aurand, Samuel Herbert, 1854-") == "Aurand, Samuel Herbert"
    assert formats.citation_name("Clark, Kate Upson, 1851-1935") == "Clark, Kate Upson"
    assert formats.citation_name("Palmer, Florence U. (Florence Ursula)") == "Palmer, Florence U."
    assert formats.citation_name("Nəsimi, İmadəddin, d. 1417?") == "Nəsimi, İmadəddin"


def test_reference_shape():
    summary = BibSummary(title="White butterflies : and other stories", authors=["Clark, Kate Upson, 1851-1935"],
                         year=1900, places=["New York"], publishers=["Taylor"], edition="2nd ed.",
                         isbns=["9780000000002"])
    assert formats.reference(summary) == ("Clark, Kate Upson. 1900. White butterflies : and other stories. "
                                          "2nd ed. New York: Taylor. ISBN 9780000000002.")
    many = BibSummary(title="T", authors=["A, a", "B, b", "C, c", "D, d"])
    assert formats.reference(many).startswith("A, a et al. T.")
    two = BibSummary(title="T", authors=["A, a", "B, b"])
    assert formats.reference(two) == "A, a, and B, b. T."


def test_csv_cells_cannot_start_a_formula():
    items = [formats.RecordSummary(1, BibSummary(title="=HYPERLINK(\"http://evil\")", authors=["+cmd"]))]
    rows = list(csv.reader(io.StringIO(formats.csv_text(items))))
    assert rows[1][0].startswith("'=") and rows[1][1].startswith("'+")


@pytest.mark.django_db
def test_exports_of_real_records(import_demo):
    import_demo(5)
    ids = list(Record.objects.order_by("-pk").values_list("pk", flat=True))  # a list's own order, not the ids'
    url = "https://opac.example/record/{id}/"

    marc = formats.export_bytes("marc", ids, record_url=url)
    records = list(pymarc.MARCReader(marc, to_unicode=True, force_utf8=True))
    assert len(records) == 5
    assert marc == b"".join(bytes(Record.objects.get(pk=i).raw) for i in ids)  # byte for byte, in list order

    text = formats.export_bytes("csv", ids, record_url=url).decode("utf-8")
    assert text.startswith("\ufeffTitle,Authors,Year")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 6
    first = Record.objects.get(pk=ids[0])
    assert rows[1][0].startswith(first.title[:20]) and rows[1][-1] == url.format(id=ids[0])

    ris = formats.export_bytes("ris", ids, record_url=url).decode("utf-8")
    assert ris.count("TY  - ") == 5 and ris.count("ER  - ") == 5
    assert f"UR  - {url.format(id=ids[0])}" in ris
    assert "\n" not in ris.replace("\r\n", "")

    refs = formats.export_bytes("citations", ids).decode("utf-8")
    assert len([line for line in refs.split("\n\n") if line.strip()]) == 5

    with pytest.raises(ValueError):
        formats.export_bytes("docx", ids)


@pytest.mark.django_db
def test_email_records_in_the_chosen_language(import_demo):
    import_demo(3)
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    count = email_records(record_ids=ids + [99999], to="reader@example.org", language="az",
                          record_url="https://opac.example/record/{id}/", actor=OPAC, at=T0)
    assert count == 3
    message = mail.outbox[-1]
    assert message.to == ["reader@example.org"]
    assert f"https://opac.example/record/{ids[0]}/" in message.body
    assert "kataloq" in message.body.lower()  # Azerbaijani text around the references


@pytest.mark.django_db
@pytest.mark.parametrize(("to", "ids", "code"), [
    ("not an address", [1], "bad_address"),
    ("reader@example.org", [], "cart_empty"),
    ("reader@example.org", list(range(1, 200)), "list_full"),
])
def test_email_records_refusals(to, ids, code):
    with pytest.raises(ListError) as excinfo:
        email_records(record_ids=ids, to=to, language="en", record_url="{id}", actor=OPAC, at=T0)
    assert excinfo.value.code == code
    assert not mail.outbox

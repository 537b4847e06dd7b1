"""The label page: the selection, the preview PNG, the PDF download, refusals shown on the page."""

from __future__ import annotations

import pytest

from kitab.core.actor import Actor
from tests.circulation.factories import ItemFactory


@pytest.fixture
def client_(client, django_user_model, db):  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("cat", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_selected_copies_preview_and_pdf(client_):
    items = [ItemFactory(barcode=f"V{n:03d}", call_number="PL 314") for n in range(1, 4)]
    query = "&".join(f"item={i.pk}" for i in items)
    page = client_.get(f"/staff/labels/?{query}")
    html = page.content.decode()
    assert page.status_code == 200 and "3 selected copies." in html
    assert "/staff/labels/preview.png?" in html
    preview = client_.get(f"/staff/labels/preview.png?{query}&kind=both")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview.content.startswith(b"\x89PNG")
    pdf = client_.get(f"/staff/labels/?{query}&pdf=1&layout=a4-3x7-63x38&symbology=code39")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_range_and_refusals(client_):
    page = client_.get("/staff/labels/", {"barcode_range": "N0001-N0010"})
    assert "label(s) on 1 sheet" in page.content.decode()
    refused = client_.get("/staff/labels/", {"barcode_range": "N0010-N0001"})
    assert "The range ends before it starts." in refused.content.decode()
    assert client_.get("/staff/labels/preview.png", {"barcode_range": "bad-range"}).status_code == 400
    start = client_.get("/staff/labels/", {"barcode_range": "N1-N2", "start_at": "99", "layout": "a4-3x8-70x37"})
    assert "Start at a position from 1 to 24" in start.content.decode()


def test_copies_of_a_record_list(client_, import_demo):
    from kitab.catalogue.models import Record
    from kitab.worklists import services

    import_demo(2)
    record = Record.objects.first()
    ItemFactory(record=record, barcode="LL1")
    user_id = int(client_.session["_auth_user_id"])
    lst = services.create_list(owner_id=user_id, name="Labels", actor=Actor.system())
    services.add_records(lst, [record.pk], actor=Actor.system())
    page = client_.get("/staff/labels/", {"list": lst.pk})
    assert "1 copy of the records on the list" in page.content.decode()

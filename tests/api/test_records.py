"""Records: public list, detail with display fields, MARCXML and ISO 2709; staff with catalogue.edit delete."""

from __future__ import annotations

from lxml import etree

from kitab.catalogue.models import DeletedRecord, Record
from kitab.marc.iso2709 import parse_record


def test_records_list_is_paged(anon, import_demo):
    import_demo(30)
    data = anon.get("/api/v1/records/", {"limit": 10, "offset": 10}).json()
    assert data["count"] == 30
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    assert [r["id"] for r in data["results"]] == ids[10:20]
    assert data["next"] and data["previous"]


def test_record_detail_has_display_fields(anon, import_demo):
    import_demo(5)
    record = Record.objects.order_by("pk").first()
    data = anon.get(f"/api/v1/records/{record.pk}/").json()
    assert data["id"] == record.pk
    assert data["title"] == record.title
    assert data["display"]["title"]["text"]
    assert isinstance(data["display"]["authors"], list)
    assert all(isinstance(lang["name"], str) for lang in data["display"]["languages"])


def test_marcxml_and_iso2709(anon, import_demo):
    import_demo(5)
    record = Record.objects.order_by("pk").first()
    xml = anon.get(f"/api/v1/records/{record.pk}/marcxml")
    assert xml.status_code == 200
    assert xml["Content-Type"].startswith("application/marcxml+xml")
    root = etree.fromstring(xml.content)
    assert root.tag == "{http://www.loc.gov/MARC21/slim}record"
    raw = anon.get(f"/api/v1/records/{record.pk}.mrc")
    assert raw.status_code == 200
    assert raw["Content-Type"] == "application/marc"
    assert raw.content == bytes(record.raw)
    parsed, _warnings = parse_record(raw.content)
    assert parsed["245"] is not None


def test_unknown_record_is_404_everywhere(anon, db):
    for url in ("/api/v1/records/999/", "/api/v1/records/999/marcxml", "/api/v1/records/999.mrc",
                "/api/v1/records/999/items/"):
        response = anon.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


def test_delete_needs_catalogue_edit(anon, desk, cataloguer, import_demo):
    import_demo(3)
    record = Record.objects.order_by("pk").first()
    url = f"/api/v1/records/{record.pk}/"
    assert anon.delete(url).status_code == 401
    assert desk.delete(url).status_code == 403
    assert cataloguer.delete(url).status_code == 204
    assert not Record.objects.filter(pk=record.pk).exists()
    assert DeletedRecord.objects.filter(record_id=record.pk).exists()
    assert cataloguer.delete(url).status_code == 404

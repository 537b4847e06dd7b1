"""The staff pages: who may see them, the dashboard, the MARC view and its downloads."""

from __future__ import annotations

import pymarc
from lxml import etree
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kitab.catalogue.models import ImportRun, Record
from kitab.items.models import Branch, Item
from tests.opac.catalogue import VERNACULAR_TURK_DILI

MARCXML_NS = "http://www.loc.gov/MARC21/slim"


def _urls(pk: int) -> list[str]:
    return [
        "/staff/",
        f"/staff/record/{pk}/marc/",
        f"/staff/record/{pk}/marc.mrc",
        f"/staff/record/{pk}/marc.xml",
    ]


def test_staff_pages_send_anonymous_visitors_to_login(client, catalogue):
    for url in _urls(catalogue.pk(VERNACULAR_TURK_DILI)):
        response = client.get(url)
        assertRedirects(response, f"/staff/login/?next={url}", fetch_redirect_response=False)


def test_signed_in_non_staff_account_is_refused_with_a_message(client, catalogue, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="reader password 1")
    client.force_login(reader)
    for url in _urls(catalogue.pk(VERNACULAR_TURK_DILI)):
        response = client.get(url)
        assert response.status_code == 403, url
        assertContains(response, "no access to the staff interface", status_code=403)


def test_login_page_and_successful_staff_login(client, staff_user):
    response = client.get("/staff/login/")
    assert response.status_code == 200
    assertContains(response, 'autocomplete="current-password"')
    response = client.post("/staff/login/", {"username": "librarian", "password": "correct horse battery"})
    assertRedirects(response, "/staff/", fetch_redirect_response=False)
    assert client.get("/staff/").status_code == 200


def test_login_refuses_non_staff_accounts(client, django_user_model):
    django_user_model.objects.create_user("reader", password="reader password 1")
    response = client.post("/staff/login/", {"username": "reader", "password": "reader password 1"})
    assert response.status_code == 200
    assertContains(response, "This account has no access to the staff interface.")
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password(client, staff_user):
    response = client.post("/staff/login/", {"username": "librarian", "password": "wrong"})
    assert response.status_code == 200
    assertContains(response, 'role="alert"')
    assert "_auth_user_id" not in client.session


def test_login_follows_next(client, staff_user):
    response = client.post(
        "/staff/login/?next=/staff/record/1/marc/",
        {"username": "librarian", "password": "correct horse battery", "next": "/staff/record/1/marc/"},
    )
    assertRedirects(response, "/staff/record/1/marc/", fetch_redirect_response=False)


def test_logout_is_a_post(staff_client):
    assert staff_client.get("/staff/logout/").status_code == 405
    response = staff_client.post("/staff/logout/")
    assertRedirects(response, "/", fetch_redirect_response=False)
    assert "_auth_user_id" not in staff_client.session


def test_dashboard_shows_counts_and_import_runs(staff_client, catalogue):
    response = staff_client.get("/staff/")
    assert response.status_code == 200
    assert response.context["record_count"] == Record.objects.count() == catalogue.total
    assert response.context["copy_count"] == Item.objects.count() > 0
    assert response.context["branch_count"] == Branch.objects.count()
    run = ImportRun.objects.get()
    assertContains(response, "opac-test-catalogue.mrc")
    assertContains(response, "finished")
    assertContains(response, f'<td class="num">{run.added}</td>', html=True)
    assertContains(response, 'action="/search/"')
    assertContains(response, "Signed in as librarian")


def test_dashboard_in_azerbaijani(staff_client, catalogue):
    response = staff_client.get("/staff/", HTTP_ACCEPT_LANGUAGE="az")
    assertContains(response, "İdarə paneli")
    assertContains(response, "Son idxallar")


def test_marc_view_shows_leader_fields_and_vernacular(staff_client, catalogue):
    pk = catalogue.pk(VERNACULAR_TURK_DILI)
    response = staff_client.get(f"/staff/record/{pk}/marc/")
    assert response.status_code == 200
    lines = response.context["lines"]
    assert lines[0].tag == "LDR" and lines[0].data
    tags = [line.tag for line in lines]
    assert {"001", "008", "245", "880"} <= set(tags)
    body = response.content.decode()
    assert '<b class="sf-code">$a</b>' in body
    assert '<bdi dir="rtl">تورک ديلى :</bdi>' in body
    assert f'href="/staff/record/{pk}/marc.mrc"' in body
    assert f'href="/staff/record/{pk}/marc.xml"' in body
    assert f'href="/record/{pk}/"' in body


def test_marc_view_of_unknown_record_is_404(staff_client, db):
    assert staff_client.get("/staff/record/424242/marc/").status_code == 404
    assert staff_client.get("/staff/record/424242/marc.mrc").status_code == 404
    assert staff_client.get("/staff/record/424242/marc.xml").status_code == 404


def test_iso2709_download_is_the_stored_record(staff_client, catalogue):
    pk = catalogue.pk(VERNACULAR_TURK_DILI)
    response = staff_client.get(f"/staff/record/{pk}/marc.mrc")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/marc"
    assert response["Content-Disposition"] == f'attachment; filename="record-{pk}.mrc"'
    assert response.content == bytes(Record.objects.get(pk=pk).raw)
    record = pymarc.Record(data=response.content, to_unicode=True, force_utf8=True)
    assert record["001"].data.strip() == VERNACULAR_TURK_DILI


def test_marcxml_download(staff_client, catalogue):
    pk = catalogue.pk(VERNACULAR_TURK_DILI)
    response = staff_client.get(f"/staff/record/{pk}/marc.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/marcxml+xml")
    assert response["Content-Disposition"] == f'attachment; filename="record-{pk}.xml"'
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{MARCXML_NS}}}record"
    titles = root.findall(f"{{{MARCXML_NS}}}datafield[@tag='245']/{{{MARCXML_NS}}}subfield[@code='a']")
    assert titles[0].text.startswith("Türk dīlī")
    vernacular = root.findall(f"{{{MARCXML_NS}}}datafield[@tag='880']")
    assert any("تورک" in "".join(v.itertext()) for v in vernacular)


def test_staff_links_in_header_only_for_staff(client, staff_client, db):
    assertContains(staff_client.get("/"), 'action="/staff/logout/"')
    anonymous = client.__class__().get("/")
    assertNotContains(anonymous, 'action="/staff/logout/"')
    assertContains(anonymous, 'href="/staff/login/"')

"""OPAC list and cart pages: who may see what (404 on other patrons' lists), CSRF-protected posts, downloads,
escaping of what patrons type."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from kitab.catalogue.models import Record
from kitab.lists import services
from kitab.lists.models import ListEntry, PatronList
from tests.lists.factories import OPAC, T0, demo_ids, patron_with_account, signed_in

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def records(import_demo):  # type: ignore[no-untyped-def]
    import_demo(6)
    return demo_ids()


def test_lists_need_a_signed_in_patron(client):
    response = client.get("/lists/")
    assert response.status_code == 302 and "next=%2Flists%2F" in response["Location"]
    response = client.post("/lists/add/", {"record": "1", "list": "new", "new_name": "x"})
    assert response.status_code == 302 and not PatronList.objects.exists()


def test_create_list_add_from_results_and_record_page(client, records):
    patron = patron_with_account()
    signed_in(client, patron)
    page = client.get("/search/?q=the")
    assert page.status_code == 200
    assert b'action="/lists/add/"' in page.content and b'action="/cart/add/"' in page.content

    response = client.post("/lists/add/", {"record": records[0], "list": "new", "new_name": "Reading",
                                           "next": "/search/?q=the"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=the"
    patron_list = PatronList.objects.get(patron=patron)
    assert patron_list.name == "Reading"

    record_page = client.get(f"/record/{records[1]}/")
    assert f'<option value="{patron_list.pk}">Reading</option>'.encode() in record_page.content
    client.post("/lists/add/", {"record": records[1], "list": patron_list.pk, "next": f"/record/{records[1]}/"})
    follow = client.get(f"/record/{records[1]}/")
    assert "1 record added to “Reading”." in follow.content.decode()
    assert list(ListEntry.objects.filter(patron_list=patron_list).values_list("record_id", flat=True)) == \
        records[:2]

    detail = client.get(f"/lists/{patron_list.pk}/")
    assert detail.status_code == 200
    assert Record.objects.get(pk=records[0]).title[:30] in detail.content.decode()


def test_next_must_stay_on_this_site(client, records):
    signed_in(client, patron_with_account())
    response = client.post("/lists/add/", {"record": records[0], "list": "new", "new_name": "x",
                                           "next": "https://evil.example/"})
    assert response["Location"] == "/lists/"


def test_a_patron_gets_404_for_another_patrons_lists(client, records):
    owner, stranger = patron_with_account(), patron_with_account()
    private = services.create_list(patron=owner, name="Private", actor=OPAC, at=T0)
    public = services.create_list(patron=owner, name="Public", actor=OPAC, at=T0, is_public=True)
    services.add_records(private, records[:1], actor=OPAC, at=T0)
    signed_in(client, stranger)
    for target in (private, public):
        assert client.get(f"/lists/{target.pk}/").status_code == 404
        assert client.get(f"/lists/{target.pk}/export/csv/").status_code == 404
        assert client.post(f"/lists/{target.pk}/", {"name": "mine now"}).status_code == 404
        assert client.post(f"/lists/{target.pk}/delete/").status_code == 404
        assert client.post(f"/lists/{target.pk}/remove/", {"record": records[0]}).status_code == 404
    # adding to somebody else's list by id fails with a message and changes nothing
    client.post("/lists/add/", {"record": records[1], "list": private.pk})
    assert ListEntry.objects.filter(patron_list=private).count() == 1
    # the private list's share link does not work either
    assert Client().get(f"/lists/shared/{private.share_token}/").status_code == 404


def test_public_list_link_is_readable_without_login_and_exports(client, records):
    owner = patron_with_account()
    public = services.create_list(patron=owner, name="Azerbaijani poetry", notes=XSS, actor=OPAC, at=T0,
                                  is_public=True)
    services.add_records(public, records[:3], actor=OPAC, at=T0)
    anonymous = Client()
    page = anonymous.get(f"/lists/shared/{public.share_token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Azerbaijani poetry" in html and "<script>alert" not in html and "&lt;script&gt;" in html
    assert owner.card_number not in html and owner.last_name not in html
    download = anonymous.get(f"/lists/shared/{public.share_token}/export/ris/")
    assert download.status_code == 200 and download.content.count(b"TY  - ") == 3
    assert 'filename="azerbaijani-poetry.ris"' in download["Content-Disposition"]
    assert anonymous.get(f"/lists/shared/{public.share_token}/export/exe/").status_code == 404
    assert anonymous.get("/lists/shared/not-a-token/").status_code == 404


def test_owner_edits_exports_and_deletes(client, records):
    patron = patron_with_account()
    signed_in(client, patron)
    patron_list = services.create_list(patron=patron, name="Mine", actor=OPAC, at=T0)
    services.add_records(patron_list, records[:2], actor=OPAC, at=T0)
    bad = client.post(f"/lists/{patron_list.pk}/", {"name": "", "notes": ""})
    assert bad.status_code == 400
    client.post(f"/lists/{patron_list.pk}/", {"name": XSS, "notes": "n", "is_public": "on"})
    patron_list.refresh_from_db()
    assert patron_list.is_public and patron_list.name.startswith("<script>")
    html = client.get(f"/lists/{patron_list.pk}/").content.decode()
    assert "<script>alert" not in html and patron_list.share_token in html
    marc = client.get(f"/lists/{patron_list.pk}/export/marc/")
    assert marc["Content-Type"] == "application/marc" and marc.content.count(b"\x1d") == 2
    client.post(f"/lists/{patron_list.pk}/remove/", {"record": records[0]})
    assert ListEntry.objects.filter(patron_list=patron_list).count() == 1
    assert client.get(f"/lists/{patron_list.pk}/delete/").status_code == 200
    client.post(f"/lists/{patron_list.pk}/delete/")
    assert not PatronList.objects.exists()


def test_forms_need_csrf(records):
    patron = patron_with_account()
    strict = signed_in(Client(enforce_csrf_checks=True), patron)
    assert strict.post("/lists/", {"name": "x"}).status_code == 403
    assert strict.post("/cart/add/", {"record": records[0]}).status_code == 403


def test_cart_without_login_email_print_export_and_to_list(client, records):
    for record_id in records[:3]:
        client.post("/cart/add/", {"record": record_id, "next": "/search/?q=x"})
    page = client.get("/cart/")
    assert page.status_code == 200 and page.content.decode().count('class="list-record"') == 3
    assert "Sign in to save these records to a list." in page.content.decode()
    header = client.get("/").content.decode()
    assert 'class="count"' in header and ">3</span>" in header

    printed = client.get("/cart/print/").content.decode()
    assert printed.count('class="print-reference"') == 3 and "data-print" in printed

    assert client.get("/cart/export/csv/").content.decode("utf-8-sig").count("\n") == 4
    bad = client.post("/cart/email/", {"to": "nobody"})
    assert bad.status_code == 400 and not mail.outbox
    client.post("/cart/email/", {"to": "friend@example.org"})
    assert len(mail.outbox) == 1 and f"/record/{records[0]}/" in mail.outbox[0].body

    client.post("/cart/remove/", {"record": records[0]})
    patron = patron_with_account()
    signed_in(client, patron)  # the cart survives signing in (same session)
    client.post("/lists/add/", {"record": records[1:3], "list": "new", "new_name": "From the cart",
                                "next": "/cart/"})
    patron_list = PatronList.objects.get(patron=patron)
    assert list(ListEntry.objects.filter(patron_list=patron_list).values_list("record_id", flat=True)) == \
        records[1:3]
    client.post("/cart/clear/")
    assert "The cart is empty" in client.get("/cart/").content.decode()


def test_cart_email_is_rate_limited(client, records):
    client.post("/cart/add/", {"record": records[0]})
    for _ in range(5):
        client.post("/cart/email/", {"to": "friend@example.org"})
    refused = client.post("/cart/email/", {"to": "friend@example.org"})
    assert refused.status_code == 400 and len(mail.outbox) == 5


def test_admin_lists_comments_and_saved_searches_read_only(admin_client, records):
    patron = patron_with_account()
    services.create_list(patron=patron, name="Mine", actor=OPAC, at=T0)
    for path in ("/admin/lists/patronlist/", "/admin/comments/comment/", "/admin/savedsearches/savedsearch/"):
        page = admin_client.get(path)
        assert page.status_code == 200, path
    assert admin_client.get("/admin/lists/patronlist/add/").status_code == 403


def test_add_a_whole_results_page_to_the_cart(client, records):
    page = client.get("/search/?q=the").content.decode()
    assert 'class="page-to-cart"' in page
    form = page.split('class="page-to-cart"', 1)[1].split("</form>", 1)[0]
    ids = [int(part.split('"', 1)[0]) for part in form.split('name="record" value="')[1:]]
    assert ids
    client.post("/cart/add/", {"record": ids, "next": "/search/?q=the"})
    assert client.get("/cart/").content.decode().count('class="list-record"') == len(ids)

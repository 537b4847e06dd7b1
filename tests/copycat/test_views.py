"""The staff copy cataloguing pages: who may use them, a search across working and broken targets, imports."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from kitab.catalogue.models import Record
from kitab.copycat.models import RemoteTarget
from kitab.core.actor import Actor
from kitab.patrons.services import assign_staff_role
from tests.staff_accounts import signed_in, staff_user

from .conftest import RemoteLibrary

URL = "/staff/copycat/"


@pytest.fixture
def cataloguer(django_user_model, db) -> Client:  # type: ignore[no-untyped-def]
    return signed_in(staff_user("cataloguer", role="cataloguer"))


@pytest.fixture
def targets(db: None, remote_library: RemoteLibrary, closed_port: int) -> list[RemoteTarget]:
    return [
        RemoteTarget.objects.create(name="Remote Z39.50", host="127.0.0.1", port=remote_library.z3950_port,
                                    database="Default"),
        RemoteTarget.objects.create(name="Remote SRU", protocol="sru", host="127.0.0.1",
                                    port=remote_library.http_port, database="sru", record_syntax="xml"),
        RemoteTarget.objects.create(name="Nowhere", host="127.0.0.1", port=closed_port, database="Default"),
        RemoteTarget.objects.create(name="Switched off", host="127.0.0.1", port=closed_port, enabled=False),
    ]


def test_access(client, db, django_user_model):
    assert reverse("staff:copycat") == URL
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    desk = django_user_model.objects.create_user("desk", password="x", is_staff=True)
    assign_staff_role(desk, role="desk", branch_code=None, actor=Actor.system())
    client.force_login(desk)
    assert client.get(URL).status_code == 403
    assert client.post(reverse("staff:copycat_import"), {"target": 1, "data": "eA=="}).status_code == 403


def test_page_and_nav_link(cataloguer, targets):
    page = cataloguer.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/staff/copycat/" aria-current="page"' in html
    assert "Remote SRU" in html and "Switched off" not in html


def test_no_targets_says_so(cataloguer):
    assert "No remote targets are set up yet" in cataloguer.get(URL).content.decode()


def test_empty_search_asks_for_a_field(cataloguer, targets):
    html = cataloguer.get(URL, {"targets": [targets[0].pk], "title": ""}).content.decode()
    assert "Enter a title, an author or an ISBN." in html


def test_search_import_and_duplicate_note(cataloguer, targets):
    params = {"targets": [t.pk for t in targets[:3]], "title": "Transvaal"}
    response = cataloguer.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("The Transvaal; a condensed history") == 2  # one preview per working target
    assert "Cannot connect to 127.0.0.1" in html  # the dead target's column
    assert "Possible duplicates here" not in html
    column = next(c for c in response.context["columns"] if c["result"].target == targets[1])
    item = column["items"][0]

    imported = cataloguer.post(reverse("staff:copycat_import"),
                               {"target": targets[1].pk, "data": item["data"], "back": response.request["PATH_INFO"]})
    record = Record.objects.get()
    assert imported.status_code == 302
    assert imported["Location"] == f"/staff/copycat/imported/{record.pk}/?status=added"
    done = cataloguer.get(imported["Location"]).content.decode()
    assert f'href="/staff/record/{record.pk}/marc/"' in done and "was added to the catalogue" in done

    again = cataloguer.get(URL, params).content.decode()
    assert "Possible duplicates here" in again and f"/staff/record/{record.pk}/marc/" in again
    # The same record from the Z39.50 target (ISO 2709 this time) matches the imported one: no duplicate.
    z_column = next(c for c in response.context["columns"] if c["result"].target == targets[0])
    second = cataloguer.post(reverse("staff:copycat_import"), {"target": targets[0].pk,
                                                              "data": z_column["items"][0]["data"]})
    assert second["Location"] == f"/staff/copycat/imported/{record.pk}/?status=unchanged"
    assert Record.objects.count() == 1


def test_damaged_import_data_is_a_message_not_an_error(cataloguer, targets):
    response = cataloguer.post(reverse("staff:copycat_import"),
                               {"target": targets[0].pk, "data": "not base64!", "back": "https://evil.example/"},
                               follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == URL
    assert "missing or damaged" in response.content.decode()
    response = cataloguer.post(reverse("staff:copycat_import"),
                               {"target": targets[0].pk, "data": base64.b64encode(b"00010nam  x").decode()},
                               follow=True)
    assert "cannot be read" in response.content.decode()
    assert Record.objects.count() == 0


def test_admin_lists_targets(targets, supervisor_client_admin):
    page = supervisor_client_admin.get("/admin/copycat/remotetarget/")
    assert page.status_code == 200 and "Remote SRU" in page.content.decode()


@pytest.fixture
def supervisor_client_admin(django_user_model, db) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    return client

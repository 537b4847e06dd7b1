"""The staff page of online registrations waiting for approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from kitab.accounts import services
from kitab.accounts.models import RegistrationRequest, RegistrationSettings
from kitab.core import clock
from kitab.core.actor import Actor
from tests.accounts.factories import FORM_AGE, PASSWORD, confirm_url, token_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(main_branch, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    RegistrationSettings.objects.create(branch=None, requires_approval=True)
    now = clock.now() - timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_registration(first_name="Leyla", last_name="<b>Həsənova</b>", email="l@example.org",
                                      branch=main_branch, password=PASSWORD, language="az",
                                      confirm_url=confirm_url, actor=Actor(channel="opac"), at=now,
                                      form_age=FORM_AGE)
    return services.confirm_email(token_from(mail.outbox[0].body), actor=Actor(channel="opac"), at=now)


@pytest.fixture
def admin_client(client, django_user_model):  # type: ignore[no-untyped-def]
    client.force_login(django_user_model.objects.create_superuser("admin", password="admin password"))
    return client


def test_staff_without_the_permission_are_refused(staff_client, pending):
    assert staff_client.get("/staff/registrations/").status_code == 403


def test_approve(admin_client, pending, django_capture_on_commit_callbacks):
    page = admin_client.get("/staff/registrations/").content.decode()
    assert "&lt;b&gt;Həsənova&lt;/b&gt;" in page and "<b>Həsənova" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/staff/registrations/{pending.pk}/", {"decision": "approve"}, follow=True)
    pending.refresh_from_db()
    assert pending.status == RegistrationRequest.Status.APPROVED
    assert pending.patron.card_number in response.content.decode()
    assert pending.patron.card_number in mail.outbox[-1].body


def test_reject_needs_a_reason(admin_client, pending):
    response = admin_client.post(f"/staff/registrations/{pending.pk}/", {"decision": "reject", "reason": ""},
                                 follow=True)
    assert "Give a reason" in response.content.decode()
    admin_client.post(f"/staff/registrations/{pending.pk}/", {"decision": "reject", "reason": "Duplicate"})
    pending.refresh_from_db()
    assert pending.status == RegistrationRequest.Status.REJECTED


def test_settings_form_needs_rules_edit(staff_user, admin_client, main_branch):
    from django.test import Client

    from kitab.accounts import policy

    data = {"branch": "", "open": "on", "requires_approval": "on", "category": "", "card_prefix": "N-"}
    desk = Client()
    desk.force_login(staff_user)
    assert desk.post("/staff/registrations/settings/", data).status_code == 403
    response = admin_client.post("/staff/registrations/settings/", data, follow=True)
    assert "saved" in response.content.decode()
    row = policy.registration_settings(main_branch)
    assert row.requires_approval and row.card_prefix == "N-"
    response = admin_client.post("/staff/registrations/settings/", {**data, "card_prefix": "<x>"}, follow=True)
    assert "Latin letters" in response.content.decode()
    assert policy.registration_settings(main_branch).card_prefix == "N-"

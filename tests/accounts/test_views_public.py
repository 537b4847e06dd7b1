"""Registration, confirmation, sign-in and password reset pages (adapters: parsing, mapping errors, mail links)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from kitab.accounts.models import RegistrationRequest
from kitab.core import clock
from kitab.opac.forms_account import signed_start
from kitab.patrons.models import Patron
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _form(main_branch, **values):  # type: ignore[no-untyped-def]
    return {"first_name": "Leyla", "last_name": "Həsənova", "email": "leyla@example.org", "phone": "",
            "address": "", "date_of_birth": "", "branch": main_branch.pk, "language": "az", "password": PASSWORD,
            "password_again": PASSWORD, "website": "", "started": signed_start(clock.now() - timedelta(seconds=20)),
            **values}


def test_register_confirm_and_sign_in(client, main_branch, django_capture_on_commit_callbacks):
    page = client.get("/account/register/")
    assert page.status_code == 200 and b'name="website"' in page.content and b"csrfmiddlewaretoken" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/register/", _form(main_branch))
    assert response.status_code == 302 and response["Location"] == "/account/register/sent/"
    assert "leyla@example.org" in client.get(response["Location"]).content.decode()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/confirm/" in line).strip()
    assert link.startswith("http://testserver/account/confirm/")
    # following the link only shows a button: mail scanners must not confirm
    assert client.get(link).status_code == 200
    assert RegistrationRequest.objects.get().status == "unconfirmed"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    patron = Patron.objects.get()
    assert patron.card_number in done.content.decode()
    signed_in = client.post("/account/login/", {"identifier": patron.card_number, "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/account/"
    assert signed_in.cookies["kitab_language"].value == "az"  # the patron's language becomes the interface's


def test_registration_errors_are_shown_not_raised(client, main_branch, django_capture_on_commit_callbacks):
    response = client.post("/account/register/", _form(main_branch, password_again="different password"))
    assert response.status_code == 200 and "The two passwords are not the same." in response.content.decode()
    response = client.post("/account/register/", _form(main_branch, website="http://spam"))
    assert "could not be accepted" in response.content.decode()
    response = client.post("/account/register/", _form(main_branch, started="forged"))
    assert "The form has expired" in response.content.decode()
    response = client.post("/account/register/", _form(main_branch, password="password", password_again="password"))
    assert 'aria-invalid="true"' in response.content.decode()
    assert not RegistrationRequest.objects.exists() and not mail.outbox


def test_bad_confirmation_link(client, db):
    response = client.post("/account/confirm/nonsense/")
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_login_errors_and_lockout_message(client, patron, settings):
    settings.KITAB_LOGIN_MAX_FAILURES = 2
    for _attempt in range(2):
        response = client.post("/account/login/", {"identifier": "AB1234", "password": "wrong"})
        assert response.status_code == 400 and "is not right" in response.content.decode()
    response = client.post("/account/login/", {"identifier": "AB1234", "password": PASSWORD})
    assert response.status_code == 400 and "Too many failed sign-in attempts" in response.content.decode()


def test_login_keeps_next_only_inside_the_site(client, patron):
    response = client.post("/account/login/?next=/account/loans/",
                           {"identifier": "AB1234", "password": PASSWORD, "next": "/account/loans/"})
    assert response["Location"] == "/account/loans/"
    client.post("/account/logout/")
    response = client.post("/account/login/", {"identifier": "AB1234", "password": PASSWORD,
                                               "next": "https://evil.example/"})
    assert response["Location"] == "/account/"


def test_password_reset_round_trip(client, patron, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/password/forgotten/", {"identifier": "ab1234"})
    assert "Check your email" in response.content.decode()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/reset/" in line).strip()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and b"new_password1" in form_page.content
    new = "another long library password"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/account/login/"
    assert client.post("/account/login/", {"identifier": "AB1234", "password": new}).status_code == 302
    # the link works once
    client.post("/account/logout/")
    assert b"not valid any more" in client.get(link, follow=True).content


def test_unknown_reset_gets_the_same_answer(client, db):
    response = client.post("/account/password/forgotten/", {"identifier": "nobody@example.org"})
    assert "Check your email" in response.content.decode() and not mail.outbox


def test_every_form_needs_the_csrf_token(patron, main_branch):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/account/login/", {"identifier": "AB1234", "password": PASSWORD}).status_code == 403
    assert strict.post("/account/register/", {}).status_code == 403
    assert strict.post("/account/password/forgotten/", {"identifier": "AB1234"}).status_code == 403

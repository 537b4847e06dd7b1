"""Forgotten passwords: a reset link for online accounts, and a first password for patrons enrolled at a desk."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail

from kitab.accounts import services
from kitab.accounts.models import LoginFailure, PatronAccount
from kitab.core.actor import Actor
from tests.accounts.factories import account_user, patron_with_account
from tests.patrons.factories import T0, PatronFactory

pytestmark = pytest.mark.django_db


def _reset_url(user) -> str:  # type: ignore[no-untyped-def]
    return f"http://testserver/account/reset/{user.pk}/{default_token_generator.make_token(user)}/"


def _request(identifier: str, capture) -> int:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return services.request_password_reset(identifier, reset_url=_reset_url, actor=Actor(channel="opac"), at=T0)


def test_reset_link_by_card_or_email(django_capture_on_commit_callbacks):
    patron = patron_with_account(card_number="AB1234", email="r@example.org", language="tr")
    assert _request("ab1234", django_capture_on_commit_callbacks) == 1
    assert _request("R@example.org", django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["r@example.org"], ["r@example.org"]]
    user = account_user(patron)
    token = mail.outbox[0].body.split(f"/account/reset/{user.pk}/", 1)[1].split("/", 1)[0]
    assert default_token_generator.check_token(user, token)


def test_desk_patron_gets_an_account_to_set_a_first_password(django_capture_on_commit_callbacks):
    patron = PatronFactory(card_number="DESK0001", email="desk@example.org")
    assert _request("DESK0001", django_capture_on_commit_callbacks) == 1
    user = PatronAccount.objects.get(patron=patron).user
    assert not user.has_usable_password()


def test_nothing_sent_without_an_address_or_a_match(django_capture_on_commit_callbacks):
    PatronFactory(card_number="DESK0002", email="")
    assert _request("DESK0002", django_capture_on_commit_callbacks) == 0
    assert _request("nobody@example.org", django_capture_on_commit_callbacks) == 0
    assert not mail.outbox and not PatronAccount.objects.exists()


def test_new_password_clears_the_lockout():
    patron = patron_with_account()
    LoginFailure.objects.create(scope="account", key=f"patron:{patron.pk}", at=T0)
    services.password_changed(account_user(patron), at=T0)
    assert not LoginFailure.objects.exists()


def test_reset_mails_per_patron_are_limited(django_capture_on_commit_callbacks, settings):
    settings.KITAB_RESET_MAILS_PER_HOUR = 2
    patron_with_account(card_number="AB1234", email="r@example.org")
    assert [_request("AB1234", django_capture_on_commit_callbacks) for _ in range(3)] == [1, 1, 0]
    assert len(mail.outbox) == 2

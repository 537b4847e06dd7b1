"""Sign-in by card number or email, throttled per account and per address; the staff login refuses patrons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate

from kitab.accounts import services
from kitab.accounts.errors import AccountError
from kitab.accounts.models import LoginFailure
from tests.accounts.factories import PASSWORD, account_user, patron_with_account
from tests.patrons.factories import T0

pytestmark = pytest.mark.django_db


def _sign_in(identifier: str, password: str = PASSWORD, ip: str = "10.0.0.1", at=T0):  # type: ignore[no-untyped-def]
    return services.authenticate_patron(identifier=identifier, password=password, client_ip=ip, at=at)


def test_card_number_any_case_or_email():
    patron = patron_with_account(card_number="AB1234", email="Reader@Example.org")
    user = account_user(patron)
    assert _sign_in("ab1234") == user
    assert _sign_in(" reader@example.org ") == user


def test_wrong_password_and_unknown_name_give_the_same_error():
    patron_with_account(card_number="AB1234")
    for name in ("AB1234", "NOBODY1"):
        with pytest.raises(AccountError) as excinfo:
            _sign_in(name, "wrong password")
        assert excinfo.value.code == "wrong_password"


def test_patron_without_online_account_cannot_sign_in():
    from tests.patrons.factories import PatronFactory

    PatronFactory(card_number="DESK0001")
    with pytest.raises(AccountError) as excinfo:
        _sign_in("DESK0001")
    assert excinfo.value.code == "wrong_password"


def test_shared_email_needs_the_card_number_unless_only_one_password_fits():
    first = patron_with_account(email="family@example.org")
    patron_with_account(email="family@example.org", password="another long password")
    assert _sign_in("family@example.org") == account_user(first)


def test_account_lockout_and_its_end(settings):
    settings.KITAB_LOGIN_MAX_FAILURES = 3
    settings.KITAB_LOGIN_LOCKOUT_MINUTES = 15
    patron_with_account(card_number="AB1234")
    for minute in range(3):
        with pytest.raises(AccountError):
            _sign_in("AB1234", "guess", at=T0 + timedelta(minutes=minute))
    # locked: even the right password is refused, with a message saying how long
    with pytest.raises(AccountError) as excinfo:
        _sign_in("AB1234", at=T0 + timedelta(minutes=3))
    assert excinfo.value.code == "locked_out"
    assert "14 minutes" in excinfo.value.message
    # the lockout counts per account: the same card typed as email is the same account
    # and ends 15 minutes after the last failure
    assert _sign_in("AB1234", at=T0 + timedelta(minutes=17, seconds=1))
    assert not LoginFailure.objects.filter(scope="account").exists()  # success clears the account's failures


def test_address_lockout_covers_every_account(settings):
    settings.KITAB_LOGIN_MAX_FAILURES_PER_IP = 4
    patrons = [patron_with_account() for _ in range(5)]
    for patron in patrons[:4]:
        with pytest.raises(AccountError):
            _sign_in(patron.card_number, "guess", ip="10.9.9.9")
    with pytest.raises(AccountError) as excinfo:
        _sign_in(patrons[4].card_number, ip="10.9.9.9", at=T0 + timedelta(seconds=5))
    assert excinfo.value.code == "locked_out"
    assert _sign_in(patrons[4].card_number, ip="10.1.1.1")  # another address is not locked


def test_backends_keep_patrons_and_staff_apart(django_user_model):
    patron = patron_with_account(card_number="AB1234")
    user = account_user(patron)
    assert authenticate(None, username="AB1234", password=PASSWORD) == user
    # the generated username and the patron password do not open the staff login (which has no throttle)
    assert authenticate(None, username=user.username, password=PASSWORD) is None
    staff = django_user_model.objects.create_user("librarian", password="staff password", is_staff=True)
    assert authenticate(None, username="librarian", password="staff password") == staff

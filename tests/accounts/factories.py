"""Account helpers for tests: a patron with an online account and a known password."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password

from kitab.accounts import services
from kitab.accounts.models import PatronAccount
from kitab.patrons.models import Patron
from tests.patrons.factories import T0, PatronFactory

PASSWORD = "a long library password"
FORM_AGE = timedelta(seconds=30)


def patron_with_account(password: str = PASSWORD, **values: Any) -> Patron:
    values.setdefault("email", f"reader{Patron.objects.count() + 1}@example.org")
    patron = PatronFactory(**values)
    services._create_account(patron, password_hash=make_password(password), at=T0)
    return patron


def account_user(patron: Patron) -> Any:
    return PatronAccount.objects.get(patron=patron).user


def confirm_url(token: str) -> str:
    return f"http://testserver/account/confirm/{token}/"


def token_from(body: str) -> str:
    return body.split("/account/confirm/", 1)[1].split("/", 1)[0]

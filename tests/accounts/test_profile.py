"""The patron's own profile changes: contacts, language, notice choices."""

from __future__ import annotations

import pytest

from kitab.accounts import selectors, services
from kitab.accounts.errors import AccountError
from kitab.core.actor import Actor
from kitab.patrons.errors import PatronError
from tests.accounts.factories import account_user, patron_with_account
from tests.patrons.factories import T0

pytestmark = pytest.mark.django_db
OPAC = Actor(channel="opac")


def _update(patron, **values):  # type: ignore[no-untyped-def]
    data = {"email": "new@example.org", "phone": "+994 50 123 45 67", "address": "Bakı", "language": "ru",
            "muted_notices": ["due_soon"], **values}
    return services.update_profile(patron, actor=OPAC, at=T0, **data)


def test_contacts_language_and_notices():
    patron = patron_with_account()
    patron = _update(patron)
    assert (patron.email, patron.phone, patron.address, patron.language) == (
        "new@example.org", "+994 50 123 45 67", "Bakı", "ru")
    assert account_user(patron).email == "new@example.org"
    assert not selectors.wants_notice(patron, "due_soon")
    assert selectors.wants_notice(patron, "hold_ready")
    assert selectors.wants_notice(patron, "overdue_1")  # cannot be turned off


@pytest.mark.parametrize(("values", "error", "code"), [
    ({"email": "broken@"}, AccountError, "invalid_email"),
    ({"muted_notices": ["overdue_1"]}, AccountError, "invalid_notice"),
    ({"language": "xx"}, PatronError, "invalid_language"),
])
def test_bad_values_change_nothing(values, error, code):
    patron = patron_with_account(email="old@example.org")
    with pytest.raises(error) as excinfo:
        _update(patron, **values)
    assert excinfo.value.code == code
    patron.refresh_from_db()
    assert patron.email == "old@example.org" and selectors.wants_notice(patron, "due_soon")

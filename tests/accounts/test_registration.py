"""Self-registration: request, email confirmation, staff approval or not, spam protection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from kitab.accounts import services
from kitab.accounts.errors import AccountError
from kitab.accounts.models import PatronAccount, RegistrationRequest, RegistrationSettings
from kitab.core.actor import Actor
from kitab.patrons.models import Patron
from tests.accounts.factories import FORM_AGE, PASSWORD, confirm_url, patron_with_account, token_from
from tests.patrons.factories import T0, BranchFactory, PatronCategoryFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor(channel="opac")


@pytest.fixture
def branch():  # type: ignore[no-untyped-def]
    PatronCategoryFactory(code="ADULT")
    return BranchFactory(code="MAIN", name="Main library")


def _register(branch, django_capture_on_commit_callbacks, **values):  # type: ignore[no-untyped-def]
    data = {"first_name": "Leyla", "last_name": "Həsənova", "email": "leyla@example.org", "branch": branch,
            "password": PASSWORD, "language": "az", "confirm_url": confirm_url, "actor": ACTOR, "at": T0,
            "client_ip": "10.0.0.1", "form_age": FORM_AGE, **values}
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_registration(**data)


def _confirm(token, django_capture_on_commit_callbacks, at=T0):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return services.confirm_email(token, actor=ACTOR, at=at + timedelta(hours=1))


def test_registration_emails_a_link_in_the_chosen_language(branch, django_capture_on_commit_callbacks):
    registration = _register(branch, django_capture_on_commit_callbacks)
    assert registration.status == RegistrationRequest.Status.UNCONFIRMED
    assert registration.password_hash and PASSWORD not in registration.password_hash
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leyla@example.org"]
    assert "/account/confirm/" in message.body
    assert Patron.objects.count() == 0  # nobody is enrolled before the address is confirmed


def test_confirming_enrols_the_patron_when_no_approval_is_needed(branch, django_capture_on_commit_callbacks):
    _register(branch, django_capture_on_commit_callbacks)
    registration = _confirm(token_from(mail.outbox[0].body), django_capture_on_commit_callbacks)
    assert registration.status == RegistrationRequest.Status.APPROVED
    patron = registration.patron
    assert patron.home_branch == branch and patron.language == "az" and patron.email == "leyla@example.org"
    assert patron.card_number.startswith("W")
    user = PatronAccount.objects.get(patron=patron).user
    assert user.check_password(PASSWORD) and not user.is_staff
    assert patron.card_number in mail.outbox[-1].body  # the welcome message gives the card number
    # the link again: nothing new
    again = _confirm(token_from(mail.outbox[0].body), django_capture_on_commit_callbacks)
    assert again.pk == registration.pk and Patron.objects.count() == 1


def test_staff_approval_when_the_branch_requires_it(branch, django_capture_on_commit_callbacks):
    RegistrationSettings.objects.create(branch=None, requires_approval=True, card_prefix="NEW")
    _register(branch, django_capture_on_commit_callbacks)
    registration = _confirm(token_from(mail.outbox[0].body), django_capture_on_commit_callbacks)
    assert registration.status == RegistrationRequest.Status.PENDING
    assert Patron.objects.count() == 0
    staff = Actor(channel="staff", username="librarian")
    with django_capture_on_commit_callbacks(execute=True):
        patron = services.approve_registration(registration, actor=staff, at=T0 + timedelta(days=1))
    assert patron.card_number.startswith("NEW")
    registration.refresh_from_db()
    assert registration.status == RegistrationRequest.Status.APPROVED and registration.decided_by == "staff:librarian"
    with pytest.raises(AccountError) as excinfo:
        services.approve_registration(registration, actor=staff, at=T0)
    assert excinfo.value.code == "not_pending"


def test_rejection_needs_a_reason_and_mails_it(branch, django_capture_on_commit_callbacks):
    RegistrationSettings.objects.create(branch=branch, requires_approval=True)
    _register(branch, django_capture_on_commit_callbacks)
    registration = _confirm(token_from(mail.outbox[0].body), django_capture_on_commit_callbacks)
    staff = Actor(channel="staff", username="librarian")
    with pytest.raises(AccountError) as excinfo:
        services.reject_registration(registration, reason=" ", actor=staff, at=T0)
    assert excinfo.value.code == "missing_reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_registration(registration, reason="Address outside the city", actor=staff, at=T0)
    registration.refresh_from_db()
    assert registration.status == RegistrationRequest.Status.REJECTED and registration.password_hash == ""
    assert "Address outside the city" in mail.outbox[-1].body


def test_expired_and_unknown_links(branch, django_capture_on_commit_callbacks):
    _register(branch, django_capture_on_commit_callbacks)
    token = token_from(mail.outbox[0].body)
    with pytest.raises(AccountError) as excinfo:
        services.confirm_email("nonsense", actor=ACTOR, at=T0)
    assert excinfo.value.code == "invalid_token"
    with pytest.raises(AccountError) as excinfo:
        services.confirm_email(token, actor=ACTOR, at=T0 + timedelta(days=4))
    assert excinfo.value.code == "token_expired"


@pytest.mark.parametrize(("values", "code"), [
    ({"honeypot": "http://spam.example"}, "spam_suspected"),
    ({"form_age": timedelta(seconds=1)}, "spam_suspected"),
    ({"form_age": None}, "form_expired"),
    ({"form_age": timedelta(days=2)}, "form_expired"),
    ({"last_name": " "}, "missing_field"),
    ({"email": "not-an-address"}, "invalid_email"),
    ({"password": "1234"}, "invalid_password"),
    ({"language": "xx"}, "invalid_language"),
])
def test_refused_registrations_leave_nothing(branch, django_capture_on_commit_callbacks, values, code):
    with pytest.raises(AccountError) as excinfo:
        _register(branch, django_capture_on_commit_callbacks, **values)
    assert excinfo.value.code == code
    assert RegistrationRequest.objects.count() == 0 and not mail.outbox


def test_rate_limit_per_address(branch, django_capture_on_commit_callbacks, settings):
    settings.KITAB_REGISTRATIONS_PER_IP_HOUR = 2
    for n in range(2):
        _register(branch, django_capture_on_commit_callbacks, email=f"r{n}@example.org")
    with pytest.raises(AccountError) as excinfo:
        _register(branch, django_capture_on_commit_callbacks, email="r3@example.org")
    assert excinfo.value.code == "too_many_registrations"
    # another address, or an hour later, is fine
    _register(branch, django_capture_on_commit_callbacks, email="r4@example.org", client_ip="10.0.0.2")
    _register(branch, django_capture_on_commit_callbacks, email="r5@example.org", at=T0 + timedelta(hours=2))


def test_closed_branch_refuses(branch, django_capture_on_commit_callbacks):
    RegistrationSettings.objects.create(branch=branch, open=False)
    with pytest.raises(AccountError) as excinfo:
        _register(branch, django_capture_on_commit_callbacks)
    assert excinfo.value.code == "registration_closed"


def test_known_address_gets_a_reminder_not_a_second_account(branch, django_capture_on_commit_callbacks):
    patron_with_account(email="leyla@example.org", home_branch=branch)
    assert _register(branch, django_capture_on_commit_callbacks) is None
    assert RegistrationRequest.objects.count() == 0
    assert len(mail.outbox) == 1 and "/account/confirm/" not in mail.outbox[0].body

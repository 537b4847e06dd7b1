"""Registration settings per branch with defaults, and the purge of registrations nobody needs any more."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from kitab.accounts import policy, services
from kitab.accounts.errors import AccountError
from kitab.accounts.models import RegistrationRequest
from kitab.core.actor import Actor
from tests.accounts.factories import FORM_AGE, PASSWORD, confirm_url, token_from
from tests.patrons.factories import T0, BranchFactory

pytestmark = pytest.mark.django_db
STAFF = Actor(channel="staff", username="manager")


def test_branch_row_overrides_the_defaults(main_branch):
    east = BranchFactory(code="EAST", name="East")
    assert policy.registration_settings(main_branch).requires_approval is False  # built-in defaults
    services.save_registration_settings(branch=None, open=True, requires_approval=True, category=None,
                                        card_prefix="W", actor=STAFF, at=T0)
    services.save_registration_settings(branch=east, open=False, requires_approval=False, category=None,
                                        card_prefix="E-", actor=STAFF, at=T0)
    assert policy.registration_settings(main_branch).requires_approval is True
    assert policy.registration_settings(east).card_prefix == "E-"
    assert [b.code for b in policy.registration_branches()] == ["MAIN"]  # East is closed
    with pytest.raises(AccountError) as excinfo:
        services.save_registration_settings(branch=east, open=True, requires_approval=False, category=None,
                                            card_prefix="Ə 1", actor=STAFF, at=T0)
    assert excinfo.value.code == "invalid_prefix"


def _register(branch, email, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return services.request_registration(first_name="A", last_name="B", email=email, branch=branch,
                                             password=PASSWORD, language="en", confirm_url=confirm_url,
                                             actor=Actor(channel="opac"), at=T0, form_age=FORM_AGE)


def test_purge_keeps_what_is_still_needed(main_branch, django_capture_on_commit_callbacks):
    services.save_registration_settings(branch=None, open=True, requires_approval=True, category=None,
                                        card_prefix="W", actor=STAFF, at=T0)
    unconfirmed = _register(main_branch, "u@example.org", django_capture_on_commit_callbacks)
    pending = _register(main_branch, "p@example.org", django_capture_on_commit_callbacks)
    services.confirm_email(token_from(mail.outbox[-1].body), actor=Actor(channel="opac"), at=T0)
    rejected = _register(main_branch, "r@example.org", django_capture_on_commit_callbacks)
    services.confirm_email(token_from(mail.outbox[-1].body), actor=Actor(channel="opac"), at=T0)
    services.reject_registration(rejected, reason="No", actor=STAFF, at=T0)
    assert services.purge_registrations(at=T0 + timedelta(days=1), actor=STAFF) == 0  # nothing stale yet
    out = StringIO()
    call_command("purge_registrations", "--days", "10", stdout=out)  # run "now", long after T0
    assert "2 registration request(s) deleted" in out.getvalue()
    assert list(RegistrationRequest.objects.values_list("pk", flat=True)) == [pending.pk]
    assert not RegistrationRequest.objects.filter(pk=unconfirmed.pk).exists()

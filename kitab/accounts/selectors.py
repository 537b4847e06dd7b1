"""Patron account read queries: the patron behind a signed-in user, registrations waiting for staff, history."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kitab.patrons.models import Patron

from .models import PatronAccount, PatronPreferences, ReadingHistoryEntry, RegistrationRequest


def patron_for_user(user: Any) -> Patron | None:
    """The patron signed in as `user`, or None (anonymous, staff without a patron account, anonymised patron).
    This is the one place the OPAC resolves `request.user` to a patron."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    account = (PatronAccount.objects.select_related("patron__category", "patron__home_branch")
               .filter(user_id=user.pk).first())
    if account is None or account.patron.is_anonymised:
        return None
    return account.patron


def pending_registrations() -> QuerySet[RegistrationRequest]:
    """Confirmed registrations waiting for a librarian, oldest first."""
    return (RegistrationRequest.objects.filter(status=RegistrationRequest.Status.PENDING)
            .select_related("branch").order_by("confirmed_at", "pk"))


def recent_decisions(limit: int = 20) -> QuerySet[RegistrationRequest]:
    return (RegistrationRequest.objects.filter(status__in=[RegistrationRequest.Status.APPROVED,
                                                           RegistrationRequest.Status.REJECTED])
            .select_related("branch", "patron").order_by("-decided_at", "-pk")[:limit])


def reading_history(patron: Patron) -> QuerySet[ReadingHistoryEntry]:
    return ReadingHistoryEntry.objects.filter(patron=patron).order_by("-borrowed_at", "-pk")


def preferences(patron: Patron) -> PatronPreferences:
    """The patron's saved preferences, or the defaults (unsaved) when they never changed any."""
    return PatronPreferences.objects.filter(patron=patron).first() or PatronPreferences(patron=patron)


def wants_notice(patron: Patron, kind: str) -> bool:
    """Whether the patron wants notices of `kind` by email (kinds they cannot turn off always say yes)."""
    return preferences(patron).wants(kind)

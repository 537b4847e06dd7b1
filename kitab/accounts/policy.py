"""Account decisions: which registration settings apply, what looks like spam, when sign-in is locked. Reads only.

Limits are deployment settings (config/settings/base.py reads them from the environment, see docs/opac.md):
KITAB_LOGIN_MAX_FAILURES failed sign-ins for one account, or KITAB_LOGIN_MAX_FAILURES_PER_IP from one address,
within KITAB_LOGIN_LOCKOUT_MINUTES lock further attempts until that many minutes after the last failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kitab.items.models import Branch

from .errors import AccountError
from .models import LoginFailure, RegistrationRequest, RegistrationSettings

# A person needs some seconds to fill in the registration form; a robot posts at once. A form older than the
# maximum is refused too, so a captured form cannot be replayed for ever.
MIN_FORM_SECONDS = 3
MAX_FORM_AGE = timedelta(days=1)
CONFIRMATION_VALID_FOR = timedelta(days=3)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_failures_per_account() -> int:
    return _setting("KITAB_LOGIN_MAX_FAILURES", 5)


def max_failures_per_ip() -> int:
    return _setting("KITAB_LOGIN_MAX_FAILURES_PER_IP", 20)


def lockout_period() -> timedelta:
    return timedelta(minutes=_setting("KITAB_LOGIN_LOCKOUT_MINUTES", 15))


def max_registrations_per_ip() -> int:
    """Registration requests one address may send per hour."""
    return _setting("KITAB_REGISTRATIONS_PER_IP_HOUR", 5)


def max_reset_mails_per_hour() -> int:
    """Password-reset emails one patron may be sent per hour."""
    return _setting("KITAB_RESET_MAILS_PER_HOUR", 3)


def reset_mail_allowed(patron_id: int, at: datetime) -> bool:
    """Whether another password-reset email may go to this patron now."""
    sent = LoginFailure.objects.filter(scope=LoginFailure.Scope.RESET, key=f"patron:{patron_id}",
                                       at__gt=at - timedelta(hours=1)).count()
    return sent < max_reset_mails_per_hour()


def registration_settings(branch: Branch | None) -> RegistrationSettings:
    """The branch's own registration settings, else the all-branch row, else the built-in defaults (unsaved)."""
    where = Q(branch__isnull=True) | Q(branch=branch) if branch is not None else Q(branch__isnull=True)
    rows = {row.branch_id: row for row in RegistrationSettings.objects.filter(where).select_related("category")}
    return (rows.get(branch.pk) if branch is not None else None) or rows.get(None) or RegistrationSettings()


def registration_branches() -> list[Branch]:
    """Branches a new patron may choose as their home branch (self-registration open there)."""
    return [branch for branch in Branch.objects.order_by("name", "code") if registration_settings(branch).open]


def check_spam(*, honeypot: str, form_age: timedelta | None, client_ip: str | None, at: datetime) -> None:
    """Refuse a registration that looks automated: the hidden field filled in, a form sent too fast or too old
    (or without its signed time stamp), or too many registrations from one address in the last hour.

    Raises AccountError: spam_suspected, form_expired, too_many_registrations."""
    if honeypot.strip():
        raise AccountError("spam_suspected", _("The registration could not be accepted. Please try again."))
    if form_age is None or form_age > MAX_FORM_AGE:
        raise AccountError("form_expired", _("The form has expired. Please fill it in again."))
    if form_age < timedelta(seconds=MIN_FORM_SECONDS):
        raise AccountError("spam_suspected", _("The registration could not be accepted. Please try again."))
    if client_ip:
        recent = RegistrationRequest.objects.filter(client_ip=client_ip, created_at__gt=at - timedelta(hours=1))
        if recent.count() >= max_registrations_per_ip():
            raise AccountError("too_many_registrations",
                               _("Too many registrations were sent from your network. Please try again later "
                                 "or register at the library."))


@dataclass(frozen=True, slots=True)
class Lockout:
    until: datetime
    scope: str  # "account" or "ip"

    def message(self, at: datetime) -> str:
        minutes = max(1, int((self.until - at).total_seconds() + 59) // 60)
        return ngettext(
            "Too many failed sign-in attempts. Please wait %(minutes)d minute and try again, or reset your "
            "password.",
            "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again, or reset your "
            "password.", minutes) % {"minutes": minutes}


def _lockout(scope: str, key: str, limit: int, at: datetime) -> Lockout | None:
    window = lockout_period()
    times = list(LoginFailure.objects.filter(scope=scope, key=key, at__gt=at - window, at__lte=at)
                 .order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return Lockout(until=times[0] + window, scope=scope)


def login_lockout(*, account_key: str, client_ip: str | None, at: datetime) -> Lockout | None:
    """Whether sign-in is locked for this account or this address now (the later lockout when both are)."""
    found = [lock for lock in (
        _lockout(LoginFailure.Scope.ACCOUNT, account_key, max_failures_per_account(), at),
        _lockout(LoginFailure.Scope.IP, client_ip, max_failures_per_ip(), at) if client_ip else None,
    ) if lock is not None]
    return max(found, key=lambda lock: lock.until) if found else None

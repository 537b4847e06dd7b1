"""Patron account writes: self-registration (email confirmation, staff approval), sign-in with throttling,
password reset mail, profile and notice choices, reading history.

Every service takes the actor and the time; none reads a request. Links in emails are built by the adapter and
passed in as callables (`confirm_url(token)`, `reset_url(user)`), because only the adapter knows the host name.
Mail is sent once the transaction commits, in the patron's language.
"""

from __future__ import annotations

import csv
import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kitab.circulation.models import Loan
from kitab.core.actor import Actor
from kitab.items.models import Branch
from kitab.patrons import services as patron_services
from kitab.patrons.models import Patron, PatronCategory

from . import policy
from .errors import AccountError
from .models import (
    LoginFailure,
    NoticeChoice,
    PatronAccount,
    PatronPreferences,
    ReadingHistoryEntry,
    RegistrationRequest,
    RegistrationSettings,
)

User = get_user_model()
# Runs the password hasher once for an unknown account too, so a sign-in does not reveal by its speed whether
# the card number or email exists.
_DUMMY_HASH = make_password("kitab-dummy-password-for-timing")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send(template: str, *, to: str, language: str, context: dict[str, Any]) -> None:
    """Render `accounts/email/<template>.txt` (first line: subject) in `language` and send it after commit."""
    with translation.override(language):
        text = render_to_string(f"accounts/email/{template}.txt",
                                {"library_name": settings.KITAB_LIBRARY_NAME, **context})
    subject, _sep, body = text.strip().partition("\n")
    message = EmailMessage(" ".join(subject.split()), body.strip() + "\n", to=[to])
    transaction.on_commit(lambda: message.send())


def _check_password(password: str, user: Any = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise AccountError("invalid_password", " ".join(error.messages)) from error


def _check_language(language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise AccountError("invalid_language", _("Unknown language: %(language)s.") % {"language": language})


# -- registration --------------------------------------------------------------------------------------------


@transaction.atomic
def request_registration(*, first_name: str, last_name: str, email: str, branch: Branch, password: str,
                         language: str, confirm_url: Callable[[str], str], actor: Actor, at: datetime,
                         phone: str = "", address: str = "", date_of_birth: date | None = None,
                         client_ip: str | None = None, honeypot: str = "",
                         form_age: timedelta | None = None) -> RegistrationRequest | None:
    """Take a self-registration and email a confirmation link (`confirm_url(token)`, valid for three days).

    Returns the request, or None when the email address already belongs to a patron with online access: that
    address is sent a reminder with a password-reset hint instead, so the form never reveals who is registered.

    Raises AccountError: spam_suspected, form_expired, too_many_registrations (policy.check_spam),
    registration_closed, missing_field, invalid_email, invalid_language, invalid_password.
    """
    policy.check_spam(honeypot=honeypot, form_age=form_age, client_ip=client_ip, at=at)
    if not policy.registration_settings(branch).open:
        raise AccountError("registration_closed",
                           _("Online registration is not open at %(branch)s.") % {"branch": branch.name})
    email = email.strip()
    if not last_name.strip():
        raise AccountError("missing_field", _("The last name is required."))
    try:
        validate_email(email)
    except ValidationError as error:
        raise AccountError("invalid_email", _("Enter a valid email address.")) from error
    _check_language(language)
    _check_password(password)
    if PatronAccount.objects.filter(patron__email__iexact=email, patron__is_anonymised=False).exists():
        _send("already_registered", to=email, language=language, context={})
        return None
    token = secrets.token_urlsafe(32)
    registration = RegistrationRequest.objects.create(
        first_name=first_name.strip(), last_name=last_name.strip(), email=email, phone=phone.strip(),
        address=address.strip(), date_of_birth=date_of_birth, language=language, branch=branch,
        password_hash=make_password(password), token_hash=_token_hash(token),
        token_expires_at=at + policy.CONFIRMATION_VALID_FOR, created_at=at, client_ip=client_ip or None)
    _send("confirm_registration", to=email, language=language,
          context={"registration": registration, "url": confirm_url(token),
                   "valid_days": policy.CONFIRMATION_VALID_FOR.days})
    return registration


@transaction.atomic
def confirm_email(token: str, *, actor: Actor, at: datetime) -> RegistrationRequest:
    """Confirm the email address of a registration. Where the branch needs staff approval the request waits
    for it (status pending); otherwise the patron is enrolled at once (status approved) and sent their card
    number. Following the link again changes nothing.

    Raises AccountError: invalid_token, token_expired; and approve_registration's errors.
    """
    registration = (RegistrationRequest.objects.select_for_update().select_related("branch")
                    .filter(token_hash=_token_hash(token or "")).first())
    if registration is None:
        raise AccountError("invalid_token", _("This confirmation link is not valid."))
    if registration.status != RegistrationRequest.Status.UNCONFIRMED:
        return registration
    if registration.token_expires_at < at:
        raise AccountError("token_expired", _("This confirmation link has expired. Please register again."))
    registration.confirmed_at = at
    registration.status = RegistrationRequest.Status.PENDING
    registration.save(update_fields=["confirmed_at", "status"])
    if not policy.registration_settings(registration.branch).requires_approval:
        approve_registration(registration, actor=actor, at=at)
        registration.refresh_from_db()
    return registration


def _card_number(prefix: str) -> str:
    for _attempt in range(20):
        candidate = f"{prefix}{secrets.randbelow(10**8):08d}"
        if not Patron.objects.filter(card_number=candidate).exists():
            return candidate
    raise AccountError("card_number_unavailable", _("No free card number could be found. Please try again."))


def _category(settings_row: Any) -> PatronCategory:
    category = settings_row.category or PatronCategory.objects.order_by("code").first()
    if category is None:
        raise AccountError("no_category", _("The library has not set up patron categories yet."))
    return category


@transaction.atomic
def approve_registration(registration: RegistrationRequest, *, actor: Actor, at: datetime) -> Patron:
    """Enrol the patron of a confirmed registration (status pending): a Patron with a new card number in the
    branch's registration category, and their online account with the password they chose. Emails the card
    number.

    Raises AccountError: not_pending, no_category, card_number_unavailable; PatronError from
    kitab.patrons.services.register_patron."""
    registration = RegistrationRequest.objects.select_for_update().select_related("branch").get(pk=registration.pk)
    if registration.status != RegistrationRequest.Status.PENDING:
        raise AccountError("not_pending", _("This registration is not waiting for approval (%(status)s).")
                           % {"status": registration.get_status_display()})
    row = policy.registration_settings(registration.branch)
    patron = patron_services.register_patron(
        card_number=_card_number(row.card_prefix), first_name=registration.first_name,
        last_name=registration.last_name, category=_category(row), home_branch=registration.branch, actor=actor,
        at=at, date_of_birth=registration.date_of_birth, email=registration.email, phone=registration.phone,
        address=registration.address, language=registration.language,
        notes=_("Registered online on %(date)s.") % {"date": at.date().isoformat()})
    _create_account(patron, password_hash=registration.password_hash, at=at)
    registration.status = RegistrationRequest.Status.APPROVED
    registration.patron = patron
    registration.decided_at = at
    registration.decided_by = actor.label()
    registration.password_hash = ""  # it lives on the account's user now
    registration.save(update_fields=["status", "patron", "decided_at", "decided_by", "password_hash"])
    _send("welcome", to=patron.email, language=patron.language, context={"patron": patron})
    return patron


@transaction.atomic
def reject_registration(registration: RegistrationRequest, *, reason: str, actor: Actor,
                        at: datetime) -> RegistrationRequest:
    """Turn down a registration waiting for approval; the applicant is emailed the reason.

    Raises AccountError: missing_reason, not_pending."""
    if not reason.strip():
        raise AccountError("missing_reason", _("Give a reason for turning down the registration."))
    registration = RegistrationRequest.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationRequest.Status.PENDING:
        raise AccountError("not_pending", _("This registration is not waiting for approval (%(status)s).")
                           % {"status": registration.get_status_display()})
    registration.status = RegistrationRequest.Status.REJECTED
    registration.rejection_reason = reason.strip()
    registration.decided_at = at
    registration.decided_by = actor.label()
    registration.password_hash = ""  # nothing left to sign in with
    registration.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by", "password_hash"])
    _send("registration_rejected", to=registration.email, language=registration.language,
          context={"registration": registration})
    return registration


def _create_account(patron: Patron, *, password_hash: str | None, at: datetime) -> PatronAccount:
    user = User(username=f"patron-{patron.pk}-{secrets.token_hex(4)}", email=patron.email, is_staff=False,
                is_active=True, first_name=patron.first_name[:150], last_name=patron.last_name[:150])
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.save()
    PatronPreferences.objects.get_or_create(patron=patron, defaults={"updated_at": at})
    return PatronAccount.objects.create(user=user, patron=patron, created_at=at)


@transaction.atomic
def save_registration_settings(*, branch: Branch | None, open: bool, requires_approval: bool,
                               category: PatronCategory | None, card_prefix: str, actor: Actor,
                               at: datetime) -> RegistrationSettings:
    """Set the self-registration settings of `branch` (None: the defaults of every branch without its own row).

    Raises AccountError invalid_prefix when the card prefix has characters a card number may not have."""
    card_prefix = card_prefix.strip()
    if not re.fullmatch(r"[A-Za-z0-9-]{0,8}", card_prefix):
        raise AccountError("invalid_prefix", _("The card number prefix may only have Latin letters, digits and "
                                               "hyphens (at most 8)."))
    row = RegistrationSettings.objects.filter(branch=branch).first() or RegistrationSettings(branch=branch)
    row.open, row.requires_approval, row.category, row.card_prefix = open, requires_approval, category, card_prefix
    row.save()
    return row


@transaction.atomic
def purge_registrations(*, at: datetime, actor: Actor, keep_decided_days: int = 30) -> int:
    """Delete what registrations no longer need to keep: unconfirmed ones whose link has expired, and turned-down
    ones decided more than `keep_decided_days` ago (their personal data has no further use). Approved requests
    stay as the record of who approved whom (their password hash was cleared at approval). Returns how many
    requests were deleted."""
    stale = RegistrationRequest.objects.filter(
        models.Q(status=RegistrationRequest.Status.UNCONFIRMED, token_expires_at__lt=at)
        | models.Q(status=RegistrationRequest.Status.REJECTED, decided_at__lt=at - timedelta(days=keep_decided_days)))
    deleted, _by_model = stale.delete()
    return deleted


# -- signing in ----------------------------------------------------------------------------------------------


def find_patrons(identifier: str) -> list[Patron]:
    """Patrons a sign-in name may mean: the card number (exactly, any case), else everyone with that email."""
    identifier = identifier.strip()
    if not identifier:
        return []
    patrons = Patron.objects.filter(is_anonymised=False).select_related("online_account__user")
    by_card = list(patrons.filter(card_number__iexact=identifier))
    if by_card or "@" not in identifier:
        return by_card
    return list(patrons.filter(email__iexact=identifier).order_by("pk"))


def _record_failure(account_key: str, client_ip: str | None, at: datetime) -> None:
    LoginFailure.objects.create(scope=LoginFailure.Scope.ACCOUNT, key=account_key, at=at)
    if client_ip:
        LoginFailure.objects.create(scope=LoginFailure.Scope.IP, key=client_ip, at=at)


def authenticate_patron(*, identifier: str, password: str, client_ip: str | None, at: datetime) -> Any:
    """The User of the patron whose card number or email is `identifier` and whose password is `password`.

    Failures count per account and per client address; past the limits (policy.login_lockout) every attempt
    is refused for the lockout period, right password or not. A success clears the account's failures.
    Not atomic on purpose: the failure rows must stay when the refusal is raised.

    Raises AccountError: locked_out (message says how long), wrong_password (also for an unknown name)."""
    candidates = [p for p in find_patrons(identifier) if hasattr(p, "online_account")]
    account_key = f"patron:{candidates[0].pk}" if len(candidates) == 1 else f"name:{identifier.strip().lower()}"
    lock = policy.login_lockout(account_key=account_key, client_ip=client_ip, at=at)
    if lock is not None:
        raise AccountError("locked_out", lock.message(at))
    users = [p.online_account.user for p in candidates]
    matching = [u for u in users if u.is_active and u.check_password(password)]
    if not users:
        check_password(password, _DUMMY_HASH)
    if len(matching) != 1:
        _record_failure(account_key, client_ip, at)
        raise AccountError("wrong_password", _("The card number, email or password is not right. Letters in the "
                                               "password must be typed in the same case."))
    LoginFailure.objects.filter(scope=LoginFailure.Scope.ACCOUNT, key=account_key).delete()
    return matching[0]


@transaction.atomic
def request_password_reset(identifier: str, *, reset_url: Callable[[Any], str], actor: Actor,
                           at: datetime) -> int:
    """Email a password-reset link (`reset_url(user)`, Django's signed token) to each patron the card number or
    email names. A patron registered at the desk, with an email address but no online account yet, gets an
    account without a password, so the same link sets their first password. At most
    KITAB_RESET_MAILS_PER_HOUR (3) such emails go to one patron per hour. Returns how many emails go out; the
    adapter must not show it (it would reveal who is registered)."""
    sent = 0
    for patron in find_patrons(identifier):
        if not patron.email:
            continue
        account = getattr(patron, "online_account", None)
        if account is None:
            account = _create_account(patron, password_hash=None, at=at)
        if not account.user.is_active or not policy.reset_mail_allowed(patron.pk, at):
            continue
        LoginFailure.objects.create(scope=LoginFailure.Scope.RESET, key=f"patron:{patron.pk}", at=at)
        _send("password_reset", to=patron.email, language=patron.language,
              context={"patron": patron, "url": reset_url(account.user)})
        sent += 1
    return sent


def password_changed(user: Any, *, at: datetime) -> None:
    """After a password reset or change: earlier failed sign-ins no longer lock the account."""
    account = PatronAccount.objects.filter(user=user).first()
    if account is not None:
        LoginFailure.objects.filter(scope=LoginFailure.Scope.ACCOUNT, key=f"patron:{account.patron_id}").delete()


# -- profile -------------------------------------------------------------------------------------------------


def preferences_for(patron: Patron, *, at: datetime) -> PatronPreferences:
    prefs, _created = PatronPreferences.objects.get_or_create(patron=patron, defaults={"updated_at": at})
    return prefs


@transaction.atomic
def update_profile(patron: Patron, *, actor: Actor, at: datetime, email: str, phone: str, address: str,
                   language: str, muted_notices: list[str]) -> Patron:
    """The patron changes their own contacts, language and notice choices (the rest is for staff).

    Raises AccountError: invalid_email, invalid_notice; PatronError from kitab.patrons.services.update_patron
    (invalid_language, patron_anonymised)."""
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise AccountError("invalid_email", _("Enter a valid email address.")) from error
    unknown = set(muted_notices) - set(NoticeChoice.values)
    if unknown:
        raise AccountError("invalid_notice", _("Unknown notice: %(kind)s.") % {"kind": ", ".join(sorted(unknown))})
    patron = patron_services.update_patron(patron, actor=actor, at=at, email=email, phone=phone.strip(),
                                           address=address.strip(), language=language)
    User.objects.filter(patron_account__patron=patron).update(email=email)
    prefs = preferences_for(patron, at=at)
    prefs.muted_notices = sorted(set(muted_notices))
    prefs.updated_at = at
    prefs.save(update_fields=["muted_notices", "updated_at"])
    return patron


# -- reading history -----------------------------------------------------------------------------------------


@transaction.atomic
def set_reading_history(patron: Patron, *, enabled: bool, actor: Actor, at: datetime) -> PatronPreferences:
    """Switch keeping the reading history on or off. Switching off stops recording; what was kept stays until
    the patron erases it (erase_reading_history)."""
    prefs = preferences_for(patron, at=at)
    prefs = PatronPreferences.objects.select_for_update().get(pk=prefs.pk)
    if prefs.keep_reading_history != enabled:
        prefs.keep_reading_history = enabled
        prefs.reading_history_since = at if enabled else None
        prefs.updated_at = at
        prefs.save(update_fields=["keep_reading_history", "reading_history_since", "updated_at"])
    return prefs


@transaction.atomic
def erase_reading_history(patron: Patron, *, actor: Actor, at: datetime) -> int:
    """Delete every entry of the patron's reading history. Returns how many were deleted."""
    deleted, _by_model = ReadingHistoryEntry.objects.filter(patron=patron).delete()
    return deleted


def record_reading(loan: Loan, *, keeps: bool | None = None) -> ReadingHistoryEntry | None:
    """Add a checkout to the borrower's reading history when they have it switched on (called by the receiver of
    circulation's loan_checked_out signal). A loan is recorded once. `keeps` is the preference when the caller
    has read it already (checkout reads it in its own transaction); None reads it here."""
    if keeps is None:
        keeps = PatronPreferences.objects.filter(patron_id=loan.patron_id, keep_reading_history=True).exists()
    if not keeps:
        return None
    item = loan.item
    record = item.record
    entry, _created = ReadingHistoryEntry.objects.get_or_create(
        loan=loan, defaults={"patron_id": loan.patron_id, "record": record, "title": record.title or str(item),
                             "author": record.author, "barcode": item.barcode or "", "borrowed_at": loan.issued_at})
    return entry


def write_reading_history_csv(patron: Patron, out: IO[str]) -> int:
    """Write the patron's reading history as CSV (newest first, header row in the current language)."""
    writer = csv.writer(out)
    writer.writerow([_("Borrowed"), _("Title"), _("Author"), _("Barcode")])
    rows = 0
    for entry in ReadingHistoryEntry.objects.filter(patron=patron).order_by("-borrowed_at", "-pk"):
        writer.writerow([entry.borrowed_at.date().isoformat(), entry.title, entry.author, entry.barcode])
        rows += 1
    return rows


def forget_patron(patron: Patron) -> None:
    """An anonymised patron keeps no reading history and no online account (receiver of the patron's save)."""
    ReadingHistoryEntry.objects.filter(patron=patron).delete()
    User.objects.filter(patron_account__patron=patron).delete()
    PatronPreferences.objects.filter(patron=patron).delete()


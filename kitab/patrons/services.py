"""Patron writes: registration, changes, card renewal, manual blocks, merging duplicates, anonymisation;
staff role assignments."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.items.models import Branch

from .errors import PatronError
from .models import (
    Patron,
    PatronBlock,
    PatronCategory,
    PatronEvent,
    StaffAssignment,
    StaffRole,
    card_number_pattern,
)

# Fields update_patron may change; the card number goes through the same format and uniqueness checks.
EDITABLE_FIELDS = frozenset({
    "card_number", "first_name", "last_name", "date_of_birth", "email", "phone", "address", "language",
    "home_branch", "category", "expires_on", "notes", "guarantor",
})


def _check_card_number(card_number: str, *, exclude_pk: int | None = None) -> None:
    if not re.fullmatch(card_number_pattern(), card_number or ""):
        raise PatronError("invalid_card_number",
                          _("Card number %(card)s has the wrong format.") % {"card": card_number})
    taken = Patron.objects.filter(card_number=card_number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise PatronError("card_number_taken",
                          _("Card number %(card)s is already in use.") % {"card": card_number})


def _check_language(language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise PatronError("invalid_language", _("Unknown language: %(language)s.") % {"language": language})


def _check_guarantor(category: PatronCategory, guarantor: Patron | None, patron_pk: int | None) -> None:
    if guarantor is not None and (guarantor.pk == patron_pk or guarantor.is_anonymised):
        raise PatronError("invalid_guarantor", _("This patron cannot be the guarantor."))
    if category.requires_guarantor and guarantor is None:
        raise PatronError("guarantor_required",
                          _("Patrons in category %(category)s need a guarantor.") % {"category": category.name})


def _event(patron: Patron, action: str, *, actor: Actor, at: datetime, detail: str = "") -> None:
    PatronEvent.objects.create(patron=patron, action=action, at=at, detail=detail[:300], actor_channel=actor.channel,
                               actor_name=actor.label(), actor_branch=actor.branch_code or "")


@transaction.atomic
def register_patron(*, card_number: str, last_name: str, category: PatronCategory, home_branch: Branch,
                    actor: Actor, at: datetime, first_name: str = "", date_of_birth: date | None = None,
                    email: str = "", phone: str = "", address: str = "", language: str | None = None,
                    notes: str = "", guarantor: Patron | None = None, expires_on: date | None = None) -> Patron:
    """Enrol a patron; the card expires on `expires_on`, by default after the category's enrolment period,
    counted from `at`.

    Raises PatronError: invalid_card_number, card_number_taken, missing_field (no last name),
    invalid_language, guarantor_required, invalid_guarantor.
    """
    card_number = card_number.strip()
    _check_card_number(card_number)
    if not last_name.strip():
        raise PatronError("missing_field", _("The last name is required."))
    language = language or settings.LANGUAGE_CODE
    _check_language(language)
    _check_guarantor(category, guarantor, None)
    today = timezone.localdate(at)
    patron = Patron(
        card_number=card_number, first_name=first_name.strip(), last_name=last_name.strip(),
        date_of_birth=date_of_birth, email=email.strip(), phone=phone.strip(), address=address, language=language,
        home_branch=home_branch, category=category, notes=notes, guarantor=guarantor,
        expires_on=expires_on or today + timedelta(days=category.enrolment_period_days), created_at=at, updated_at=at,
    )
    patron.save()
    _event(patron, PatronEvent.Action.REGISTERED, actor=actor, at=at)
    return patron


@transaction.atomic
def update_patron(patron: Patron, *, actor: Actor, at: datetime, **changes: Any) -> Patron:
    """Change a patron's details (fields in EDITABLE_FIELDS only), with the same checks as registration.

    Raises PatronError: unknown_field, patron_anonymised, invalid_card_number, card_number_taken, missing_field,
    invalid_language, guarantor_required, invalid_guarantor.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise PatronError("unknown_field", _("These fields cannot be changed: %(fields)s.")
                          % {"fields": ", ".join(sorted(unknown))})
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    if patron.is_anonymised:
        raise PatronError("patron_anonymised", _("This patron record has been anonymised."))
    if "card_number" in changes:
        changes["card_number"] = changes["card_number"].strip()
        _check_card_number(changes["card_number"], exclude_pk=patron.pk)
    if "last_name" in changes and not str(changes["last_name"]).strip():
        raise PatronError("missing_field", _("The last name is required."))
    if "language" in changes:
        _check_language(changes["language"])
    changed = [name for name, value in changes.items() if getattr(patron, name) != value]
    for name, value in changes.items():
        setattr(patron, name, value)
    if "category" in changes or "guarantor" in changes:
        _check_guarantor(patron.category, patron.guarantor, patron.pk)
    patron.updated_at = at
    patron.save()
    if changed:
        _event(patron, PatronEvent.Action.UPDATED, actor=actor, at=at,
               detail=", ".join(str(Patron._meta.get_field(name).verbose_name) for name in changed))
    return patron


@transaction.atomic
def renew_card(patron: Patron, *, actor: Actor, at: datetime) -> Patron:
    """Extend the card by the category's enrolment period, counted from the later of today and the current
    expiry date (an early renewal loses nothing; a late one does not backdate). Raises patron_anonymised."""
    patron = Patron.objects.select_for_update(of=("self",)).select_related("category").get(pk=patron.pk)
    if patron.is_anonymised:
        raise PatronError("patron_anonymised", _("This patron record has been anonymised."))
    start = max(timezone.localdate(at), patron.expires_on)
    patron.expires_on = start + timedelta(days=patron.category.enrolment_period_days)
    patron.updated_at = at
    patron.save(update_fields=["expires_on", "updated_at"])
    _event(patron, PatronEvent.Action.CARD_RENEWED, actor=actor, at=at, detail=patron.expires_on.isoformat())
    return patron


@transaction.atomic
def block_patron(patron: Patron, *, reason: str, actor: Actor, at: datetime) -> PatronBlock:
    """Put a manual block on a patron (loans and renewals are refused with code patron_blocked).

    Raises PatronError missing_field when the reason is empty."""
    if not reason.strip():
        raise PatronError("missing_field", _("A block needs a reason."))
    block = PatronBlock.objects.create(patron=patron, reason=reason.strip(), created_at=at, created_by=actor.label())
    _event(patron, PatronEvent.Action.BLOCKED, actor=actor, at=at)
    return block


@transaction.atomic
def unblock_patron(patron: Patron, *, actor: Actor, at: datetime, block: PatronBlock | None = None) -> int:
    """Lift one manual block (`block`) or all of the patron's active ones. Returns how many were lifted.

    Raises PatronError block_not_found when `block` is not an active block of this patron."""
    blocks = PatronBlock.objects.select_for_update().filter(patron=patron, lifted_at__isnull=True)
    if block is not None:
        blocks = blocks.filter(pk=block.pk)
        if not blocks.exists():
            raise PatronError("block_not_found", _("This block does not exist or was already lifted."))
    lifted = blocks.update(lifted_at=at, lifted_by=actor.label())
    if lifted:
        _event(patron, PatronEvent.Action.UNBLOCKED, actor=actor, at=at)
    return lifted


@transaction.atomic
def merge_patrons(*, keep: Patron, remove: Patron, actor: Actor, at: datetime) -> Patron:
    """Fold a duplicate record into `keep`: its loans, fine ledger rows, blocks, holds, notice log, record history
    and guarantees move over (a hold on a title `keep` already holds is cancelled), a note records the merge,
    and the duplicate is deleted. All or nothing. Raises merge_same_patron."""
    from kitab.circulation.models import FineEntry, Loan
    from kitab.holds import services as holds
    from kitab.holds.models import Hold
    from kitab.notices.models import NoticeLog

    if keep.pk == remove.pk:
        raise PatronError("merge_same_patron", _("A patron cannot be merged with itself."))
    # Lock both rows in a fixed order, so two merges of the same pair cannot deadlock.
    locked = {p.pk: p for p in Patron.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk]).order_by("pk")}
    keep, remove = locked[keep.pk], locked[remove.pk]
    Loan.objects.filter(patron=remove).update(patron=keep)
    FineEntry.objects.filter(patron=remove).update(patron=keep)
    PatronBlock.objects.filter(patron=remove).update(patron=keep)
    held = set(Hold.objects.active().filter(patron=keep).values_list("record_id", flat=True))
    for hold in Hold.objects.active().filter(patron=remove, record_id__in=held):
        holds.cancel_hold(hold, actor=actor, at=at, reason=_("Duplicate of a hold of card %(card)s (records merged)")
                          % {"card": keep.card_number})
    Hold.objects.filter(patron=remove).update(patron=keep)
    NoticeLog.objects.filter(patron=remove).update(patron=keep)
    PatronEvent.objects.filter(patron=remove).update(patron=keep)
    Patron.objects.filter(guarantor=remove).exclude(pk=keep.pk).update(guarantor=keep)
    if keep.guarantor_id == remove.pk:
        keep.guarantor = None
    note = _("Merged with card %(card)s (%(name)s) on %(date)s by %(actor)s.") % {
        "card": remove.card_number, "name": remove.full_name, "date": timezone.localdate(at).isoformat(),
        "actor": actor.label(),
    }
    keep.notes = "\n".join(part for part in (keep.notes, note) if part)
    keep.updated_at = at
    keep.save()
    _event(keep, PatronEvent.Action.MERGED, actor=actor, at=at, detail=remove.card_number)
    # The duplicate's lists, comments and searches (OPAC) move too, instead of going with the deleted row.
    from kitab.comments.services import merge_patron_comments
    from kitab.lists.services import merge_patron_lists
    from kitab.savedsearches.services import merge_patron_searches

    merge_patron_lists(keep=keep, remove=remove, actor=actor, at=at)
    merge_patron_comments(keep=keep, remove=remove, actor=actor, at=at)
    merge_patron_searches(keep=keep, remove=remove, actor=actor, at=at)
    remove.delete()
    return keep


@transaction.atomic
def anonymise_patron(patron: Patron, *, actor: Actor, at: datetime) -> Patron:
    """Remove everything that identifies the patron, keeping what statistics need (category, home branch,
    year of birth, the loan history rows). Refused while the patron has open loans or a fine balance.

    Raises PatronError: has_open_loans, has_outstanding_fines.
    """
    from kitab.circulation import fines
    from kitab.circulation.models import Loan

    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    if patron.is_anonymised:
        return patron
    if Loan.objects.open().filter(patron=patron).exists():
        raise PatronError("has_open_loans", _("The patron still has items on loan."))
    if fines.balance(patron) != 0:
        raise PatronError("has_outstanding_fines", _("The patron's fine account is not settled."))
    patron.card_number = f"ANON-{patron.pk}"
    patron.first_name = ""
    patron.last_name = _("Anonymised patron")
    if patron.date_of_birth:
        patron.date_of_birth = patron.date_of_birth.replace(month=1, day=1)
    patron.email = patron.phone = patron.address = patron.notes = ""
    patron.guarantor = None
    patron.is_anonymised = True
    patron.updated_at = at
    patron.save()
    Patron.objects.filter(guarantor=patron).update(guarantor=None)
    PatronBlock.objects.filter(patron=patron).update(reason="")
    PatronEvent.objects.filter(patron=patron).update(detail="")  # merged card numbers, changed field names
    # What the patron made in the OPAC: lists, searches and unpublished comments go; published comments stay
    # with their records, signed "A former reader".
    from kitab.comments.services import erase_patron_comments
    from kitab.lists.services import erase_patron_lists
    from kitab.savedsearches.services import erase_patron_searches

    erase_patron_lists(patron=patron, actor=actor, at=at)
    erase_patron_comments(patron=patron, actor=actor, at=at)
    erase_patron_searches(patron=patron, actor=actor, at=at)
    _event(patron, PatronEvent.Action.ANONYMISED, actor=actor, at=at)
    return patron


@transaction.atomic
def assign_staff_role(user: Any, *, role: str, branch_code: str | None, actor: Actor) -> StaffAssignment:
    """Give `user` the staff role with code `role` at branch `branch_code` (None: at every branch).
    Assigning a role the user already holds there changes nothing.

    Raises PatronError: unknown_role, unknown_branch.
    """
    staff_role = StaffRole.objects.filter(code=role).first()
    if staff_role is None:
        raise PatronError("unknown_role", _("Unknown staff role: %(role)s.") % {"role": role})
    branch = None
    if branch_code:
        branch = Branch.objects.filter(code=branch_code).first()
        if branch is None:
            raise PatronError("unknown_branch", _("Unknown branch: %(code)s.") % {"code": branch_code})
    assignment, _created = StaffAssignment.objects.get_or_create(user=user, role=staff_role, branch=branch)
    return assignment

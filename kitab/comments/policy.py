"""What other readers see of a commenter, and how many comments may wait for moderation at once."""

from __future__ import annotations

from django.utils.translation import gettext

from kitab.patrons.models import Patron

# One reader cannot fill the moderation queue.
MAX_PENDING_PER_PATRON = 20


def display_name(patron: Patron) -> str:
    """The name shown with a published comment: the first name and the family name's initial ("Aysel M."), never
    the card number or the full family name. A patron without a first name shows as the initial only; an
    anonymised patron's published comments read "A former reader"."""
    if patron.is_anonymised:
        return gettext("A former reader")
    first = (patron.first_name or "").strip()
    last = (patron.last_name or "").strip()
    initial = f"{last[0]}." if last else ""
    return " ".join(part for part in (first, initial) if part) or "—"

"""Reactions to other apps: a checkout goes into the borrower's reading history (when they keep one); an
anonymised patron loses their reading history and online account."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from kitab.circulation.signals import loan_checked_out
from kitab.patrons.models import Patron

# The question checkout asks about every borrower for us (kitab.circulation.selectors.register_patron_flag),
# so that most checkouts, of patrons who keep no history, cost this app no query at all.
KEEPS_READING_HISTORY = "accounts.keeps_reading_history"


def on_checkout(sender: type, *, loan: Any, patron_flags: dict[str, bool] | None = None, **kwargs: Any) -> None:
    from .services import record_reading

    keeps = patron_flags.get(KEEPS_READING_HISTORY) if patron_flags is not None else None
    if keeps is False:
        return
    record_reading(loan, keeps=keeps)


def on_patron_saved(sender: type, *, instance: Patron, **kwargs: Any) -> None:
    if instance.is_anonymised:
        from .services import forget_patron

        forget_patron(instance)


def connect() -> None:
    from kitab.circulation.selectors import register_patron_flag

    from .models import PatronPreferences

    register_patron_flag(KEEPS_READING_HISTORY, f"EXISTS (SELECT 1 FROM {PatronPreferences._meta.db_table} "
                         "WHERE patron_id = %(patron)s AND keep_reading_history)")
    loan_checked_out.connect(on_checkout, dispatch_uid="accounts-reading-history")
    post_save.connect(on_patron_saved, sender=Patron, dispatch_uid="accounts-forget-anonymised")

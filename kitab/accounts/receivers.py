"""Reactions to other apps: a checkout goes into the borrower's reading history (when they keep one); an
anonymised patron loses their reading history and online account."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from kitab.circulation.signals import loan_checked_out
from kitab.patrons.models import Patron


def on_checkout(sender: type, *, loan: Any, **kwargs: Any) -> None:
    from .services import record_reading

    record_reading(loan)


def on_patron_saved(sender: type, *, instance: Patron, **kwargs: Any) -> None:
    if instance.is_anonymised:
        from .services import forget_patron

        forget_patron(instance)


def connect() -> None:
    loan_checked_out.connect(on_checkout, dispatch_uid="accounts-reading-history")
    post_save.connect(on_patron_saved, sender=Patron, dispatch_uid="accounts-forget-anonymised")

"""The cart (Koha's "folder"): records a visitor collects during one visit, kept in their session.

It needs no login and leaves nothing in the database. Only record ids are kept; a record deleted meanwhile simply
drops out when the cart is shown or exported.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from kitab.catalogue.models import Record

from .errors import ListError

SESSION_KEY = "kitab_cart"
MAIL_LOG_KEY = "kitab_cart_mail"
MAX_CART = 500
# An anonymous visitor may mail the cart: limit how often, so the form cannot be used to send mail in bulk.
MAIL_LIMIT = 5
MAIL_WINDOW = timedelta(hours=1)


class Cart:
    def __init__(self, session: MutableMapping[str, Any]) -> None:
        self.session = session

    def ids(self) -> list[int]:
        value = self.session.get(SESSION_KEY) or []
        return [int(i) for i in value if isinstance(i, int)]

    def __len__(self) -> int:
        return len(self.ids())

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.ids()

    def _store(self, ids: list[int]) -> None:
        self.session[SESSION_KEY] = ids

    def add(self, record_ids: Iterable[int]) -> int:
        """Add records (existing ones only, each once). Returns how many were new.
        Raises ListError: record_not_found, cart_full."""
        wanted = list(dict.fromkeys(int(i) for i in record_ids))
        found = set(Record.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if not found:
            raise ListError("record_not_found", _("This record is not in the catalogue (any more)."))
        ids = self.ids()
        new = [i for i in wanted if i in found and i not in ids]
        if len(ids) + len(new) > MAX_CART:
            raise ListError("cart_full", _("The cart holds at most %(max)d records.") % {"max": MAX_CART})
        self._store(ids + new)
        return len(new)

    def remove(self, record_id: int) -> bool:
        ids = self.ids()
        if record_id not in ids:
            return False
        self._store([i for i in ids if i != record_id])
        return True

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def note_mail(self, *, at: datetime) -> None:
        """Count one mail sent from this session. Raises ListError email_limit past MAIL_LIMIT an hour."""
        recent = [t for t in (self.session.get(MAIL_LOG_KEY) or [])
                  if isinstance(t, (int, float)) and t > (at - MAIL_WINDOW).timestamp()]
        if len(recent) >= MAIL_LIMIT:
            raise ListError("email_limit", _("You have sent the maximum number of emails for now. "
                                             "Please try again later."))
        self.session[MAIL_LOG_KEY] = [*recent, at.timestamp()]

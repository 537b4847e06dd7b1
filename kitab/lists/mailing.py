"""Mailing records (the cart) to an address: a plain-text message with a reference and a link per record."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kitab.core.actor import Actor

from .errors import ListError
from .formats import reference, summaries

MAX_MAILED_RECORDS = 100


def email_records(*, record_ids: list[int], to: str, language: str, record_url: str, actor: Actor,
                  at: datetime) -> int:
    """Send the records to `to` in `language`; `record_url` has an `{id}` slot. Returns how many were listed.

    Raises ListError: bad_address, cart_empty (no record left), list_full (more than MAX_MAILED_RECORDS)."""
    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError:
        raise ListError("bad_address", _("Enter a valid email address.")) from None
    if len(record_ids) > MAX_MAILED_RECORDS:
        raise ListError("list_full", _("At most %(max)d records can be sent in one email.")
                        % {"max": MAX_MAILED_RECORDS})
    items = summaries(record_ids)
    if not items:
        raise ListError("cart_empty", _("There are no records to send."))
    with translation.override(language):
        entries = [{"reference": reference(i.summary), "url": record_url.format(id=i.record_id)} for i in items]
        subject = _("Records from %(library)s") % {"library": settings.KITAB_LIBRARY_NAME}
        body = render_to_string("lists/email_records.txt", {
            "entries": entries, "library_name": settings.KITAB_LIBRARY_NAME, "at": at,
        })
    EmailMessage(subject, body, to=[to]).send()
    return len(items)

"""Signals the catalogue sends for other apps to react to (never for its own main flow)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the transaction that stored bibliographic records (an import batch, a saved record), after the
#: records were written. kwargs: `records`: {record id: pymarc.Record as stored}. The authorities app links
#: the records' headings here, so the search documents built after it carry the authorities' variant forms.
records_stored = Signal()

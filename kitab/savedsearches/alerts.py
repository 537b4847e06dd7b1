"""Email alerts for saved searches: which records added since the last run each saved search finds, reported once.

`run_alerts` is what `kitab alerts run` calls (from cron, as often as you like). For every saved search with its
alert on, it takes the records created since its last check (less LATE_MARGIN, for import batches that commit late
or records the index has not seen yet), asks the one search service which of them the saved search finds
(`SearchRequest.record_ids`), drops those already reported (`AlertedRecord`, unique per saved search and record),
and mails the rest to the patron in their language. The log rows and the check time are written in the same
transaction as the mail is sent; a failed send rolls them back, so the next run tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.search.services import search
from kitab.search.types import SearchError

from .models import AlertedRecord, SavedSearch

log = logging.getLogger(__name__)

LATE_MARGIN = timedelta(days=1)
CHUNK = 1000
MAX_LISTED = 50  # records listed in one email; the link to the search shows the rest


@dataclass(slots=True)
class AlertResult:
    saved_search_id: int
    card_number: str
    name: str
    new_records: int
    status: str  # sent | nothing_new | no_email | failed | would_send (dry run)


@dataclass(slots=True)
class AlertReport:
    results: list[AlertResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def _opac_url(path: str) -> str:
    return settings.KITAB_OPAC_URL.rstrip("/") + path


def new_matches(saved: SavedSearch, *, at: datetime) -> list[int]:
    """Ids of records added since the saved search's last check that it finds and that were not reported yet."""
    since = saved.alerts_since or saved.created_at
    if saved.last_checked_at is not None:
        since = max(since, saved.last_checked_at - LATE_MARGIN)
    candidates = list(Record.objects.filter(created_at__gt=since, created_at__lte=at).order_by("pk")
                      .values_list("pk", flat=True))
    if not candidates:
        return []
    spec = saved.spec
    found: list[int] = []
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start : start + CHUNK]
        result = search(spec.to_request(record_ids=chunk, limit=len(chunk), offset=0, facets=False))
        found.extend(hit.record_id for hit in result.hits)
    if not found:
        return []
    reported = set(AlertedRecord.objects.filter(saved_search=saved, record_id__in=found)
                   .values_list("record_id", flat=True))
    return [record_id for record_id in found if record_id not in reported]


def _send(saved: SavedSearch, record_ids: list[int]) -> None:
    patron = saved.patron
    records = Record.objects.filter(pk__in=record_ids[:MAX_LISTED]).defer("raw").in_bulk()
    with translation.override(patron.language):
        entries = [{"title": r.title or _("[Untitled]"), "author": r.author, "year": r.year,
                    "url": _opac_url(reverse("opac:record", args=[r.pk]))}
                   for r in (records[i] for i in record_ids[:MAX_LISTED] if i in records)]
        subject = translation.ngettext(
            "%(count)d new record for your search “%(name)s”",
            "%(count)d new records for your search “%(name)s”", len(record_ids),
        ) % {"count": len(record_ids), "name": saved.name}
        body = render_to_string("savedsearches/alert_email.txt", {
            "patron": patron, "saved": saved, "entries": entries, "count": len(record_ids),
            "more": max(0, len(record_ids) - MAX_LISTED), "library_name": settings.KITAB_LIBRARY_NAME,
            "search_url": _opac_url(reverse("opac:search") + "?" + saved.spec.querystring()),
            "manage_url": _opac_url(reverse("savedsearches:index")),
        })
    EmailMessage(subject, body, to=[patron.email]).send()


def run_alerts(*, at: datetime, actor: Actor, dry_run: bool = False) -> AlertReport:
    """Check every saved search with its alert on and mail each patron the new records, once each."""
    report = AlertReport()
    for saved in SavedSearch.objects.filter(alert=True).select_related("patron").order_by("pk").iterator():
        patron = saved.patron
        if patron.is_anonymised or not patron.email:
            report.results.append(AlertResult(saved.pk, patron.card_number, saved.name, 0, "no_email"))
            continue
        try:
            with transaction.atomic():
                locked = SavedSearch.objects.select_for_update().select_related("patron").filter(
                    pk=saved.pk, alert=True).first()
                if locked is None:  # switched off or deleted meanwhile
                    continue
                fresh = new_matches(locked, at=at)
                status = "nothing_new"
                if fresh and dry_run:
                    status = "would_send"
                elif fresh:
                    AlertedRecord.objects.bulk_create(
                        [AlertedRecord(saved_search=locked, record_id=i, alerted_at=at) for i in fresh])
                    _send(locked, fresh)
                    status = "sent"
                if not dry_run:
                    SavedSearch.objects.filter(pk=locked.pk).update(last_checked_at=at)
        except (SearchError, OSError) as error:  # a broken query or an unreachable mail server: the next run retries
            log.warning("saved search %s: alert failed: %s", saved.pk, error)
            report.results.append(AlertResult(saved.pk, patron.card_number, saved.name, 0, "failed"))
            continue
        report.results.append(AlertResult(saved.pk, patron.card_number, saved.name, len(fresh), status))
    return report

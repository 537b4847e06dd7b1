"""Patron notices: find what is due, render it in the patron's language, send it by email, log it once.

`run_notices` is meant to run from cron (`kitab notices run`) every hour or day. What it sends:

- due_soon: a current loan due within the schedule's `due_soon_days` (calendar days);
- overdue_1/2/3: a current loan overdue by at least the schedule's days for that level; only the highest level
  reached is sent, so a loan found very late gets one final notice, not three at once;
- hold_ready: a hold on the hold shelf (status ready). This is the one place hold-ready notices are sent:
  holds.services does not mail, so a rolled-back trap never mails anyone, and a patron hears within one
  run of the copy reaching the shelf;
- hold_expired: a hold that expired (not filled in time, or not collected);
- fine: a charge (overdue fine once the item is back, lost item, manual) with something still to pay.

Holds and fines older than LOOKBACK are left alone, so the first run on an old database does not mail
everyone about everything. Each notice has a `key` (kind + loan + due date, kind + hold, kind + fine entry)
that is unique in NoticeLog: the row is written before the message is sent (a concurrent run that gets
there second skips it) and removed again when sending fails, so the next run retries it. Patrons without an
email address get a log row with status no_address, for printing.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone, translation

from kitab.circulation.models import FineEntry, Loan
from kitab.circulation.policy import balance
from kitab.core.actor import Actor
from kitab.holds.models import Hold
from kitab.patrons.models import Patron

from .models import Kind, NoticeLog, NoticeSchedule, NoticeTemplate

log = logging.getLogger(__name__)
LOOKBACK = timedelta(days=14)
DEFAULT_SCHEDULE = NoticeSchedule()  # the model's defaults: 2 days before, 1 / 7 / 14 days after


@dataclass(slots=True)
class NoticeOutcome:
    key: str
    kind: str
    card_number: str
    to: str
    language: str
    subject: str
    # sent, no_address; in a dry run would_send, would_print; failed (not logged: retried next run)
    status: str
    error: str = ""


@dataclass(slots=True)
class RunReport:
    at: datetime
    dry_run: bool
    notices: list[NoticeOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for n in self.notices if n.status == status)


@dataclass(slots=True)
class _Due:
    key: str
    kind: str
    patron: Patron
    context: dict[str, Any]
    refs: dict[str, Any]  # loan, due_at, hold, fine for the log row


def _schedules() -> tuple[NoticeSchedule, dict[int, NoticeSchedule]]:
    rows = list(NoticeSchedule.objects.all())
    default = next((r for r in rows if r.patron_category_id is None), DEFAULT_SCHEDULE)
    return default, {r.patron_category_id: r for r in rows if r.patron_category_id is not None}


def _loan_kind(loan: Loan, schedule: NoticeSchedule, at: datetime) -> str | None:
    days = (timezone.localdate(at) - timezone.localdate(loan.due_at)).days
    if loan.due_at >= at:
        return Kind.DUE_SOON if schedule.due_soon_days and -days <= schedule.due_soon_days else None
    for kind, after in ((Kind.OVERDUE_3, schedule.overdue_3_days), (Kind.OVERDUE_2, schedule.overdue_2_days)):
        if after and days >= after:
            return kind
    return Kind.OVERDUE_1 if days >= schedule.overdue_1_days else None


def _common(patron: Patron) -> dict[str, Any]:
    return {"patron": patron, "patron_name": patron.full_name, "library_name": settings.KITAB_LIBRARY_NAME}


def _only(rows: Any, patron: Patron | None) -> Any:
    return rows if patron is None else rows.filter(patron=patron)


def _loan_notices(at: datetime, patron: Patron | None = None) -> Iterator[_Due]:
    default, by_category = _schedules()
    horizon = max([default.due_soon_days, *(s.due_soon_days for s in by_category.values())])
    loans = (_only(Loan.objects.current(), patron)
             .filter(due_at__lte=at + timedelta(days=horizon + 1), patron__is_anonymised=False).select_related("patron", "item__record", "branch").order_by("due_at", "pk"))
    for loan in loans:
        kind = _loan_kind(loan, by_category.get(loan.patron.category_id, default), at)
        if kind is None:
            continue
        context = {**_common(loan.patron), "loan": loan, "title": loan.item.record.title, "barcode": str(loan.item),
                   "due_at": loan.due_at, "branch": loan.branch.name,
                   "days_overdue": max(0, (timezone.localdate(at) - timezone.localdate(loan.due_at)).days)}
        yield _Due(f"{kind}:loan:{loan.pk}:{int(loan.due_at.timestamp())}", kind, loan.patron, context,
                   {"loan": loan, "due_at": loan.due_at})


def _hold_notices(at: datetime, patron: Patron | None = None) -> Iterator[_Due]:
    since = at - LOOKBACK
    ready = _only(Hold.objects, patron).filter(status=Hold.Status.READY, ready_at__gte=since)
    expired = _only(Hold.objects, patron).filter(status=Hold.Status.EXPIRED, expired_at__gte=since, expired_at__lte=at)
    for kind, holds in ((Kind.HOLD_READY, ready), (Kind.HOLD_EXPIRED, expired)):
        for hold in (holds.filter(patron__is_anonymised=False).select_related("patron", "record", "pickup_branch")
                     .order_by("pk")):
            context = {**_common(hold.patron), "hold": hold, "title": hold.record.title,
                       "pickup_branch": hold.pickup_branch.name, "pickup_deadline": hold.pickup_deadline,
                       "uncollected": hold.expired_uncollected}
            yield _Due(f"{kind}:hold:{hold.pk}", kind, hold.patron, context, {"hold": hold})


def _fine_notices(at: datetime, patron: Patron | None = None) -> Iterator[_Due]:
    fines = (_only(FineEntry.objects, patron).filter(kind__in=FineEntry.CHARGES, is_running=False, outstanding__gt=0,
                                      updated_at__gte=at - LOOKBACK, updated_at__lte=at,
                                      patron__is_anonymised=False)
             .select_related("patron", "loan__item__record").order_by("pk"))
    for fine in fines:
        context = {**_common(fine.patron), "fine": fine, "amount": fine.outstanding,
                   "title": fine.loan.item.record.title if fine.loan else "", "balance": balance(fine.patron)}
        yield _Due(f"{Kind.FINE}:fine:{fine.pk}", Kind.FINE, fine.patron, context, {"fine": fine})


def due_notices(*, at: datetime, patron: Patron | None = None) -> list[_Due]:
    """Every notice due at `at` (to `patron` only, when given) that has not been logged yet."""
    due = [*_loan_notices(at, patron), *_hold_notices(at, patron), *_fine_notices(at, patron)]
    done = set(NoticeLog.objects.filter(key__in=[d.key for d in due]).values_list("key", flat=True))
    muted = _muted()
    return [d for d in due if d.key not in done and (d.patron.pk, d.kind) not in muted]


def _muted() -> set[tuple[int, str]]:
    """(patron id, kind) of the notices patrons turned off in their OPAC account (kitab.accounts; overdue and
    fine notices cannot be turned off there). Few patrons change the defaults, so this is a short list."""
    from kitab.accounts.models import PatronPreferences

    rows = PatronPreferences.objects.exclude(muted_notices=[]).values_list("patron_id", "muted_notices")
    return {(patron_id, kind) for patron_id, kinds in rows for kind in kinds}


def render(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str] | None:
    """(subject, body) of `kind` in `language` (else the site language), rendered in that language; None when
    neither template exists."""
    templates = {t.language: t for t in NoticeTemplate.objects.filter(kind=kind,
                                                                       language__in=[language, settings.LANGUAGE_CODE])}
    template = templates.get(language) or templates.get(settings.LANGUAGE_CODE)
    if template is None:
        return None
    with translation.override(template.language):
        if "fine" in context:
            context = {**context, "fine_kind": str(context["fine"].get_kind_display())}
        subject = Template(template.subject).render(Context(context, autoescape=False))
        body = Template(template.body).render(Context(context, autoescape=False))
    return " ".join(subject.split()), body.strip() + "\n"


def _deliver(due: _Due, subject: str, body: str, language: str, *, at: datetime, actor: Actor,
             connection: Any) -> NoticeOutcome:
    address = due.patron.email.strip()
    outcome = NoticeOutcome(due.key, due.kind, due.patron.card_number, address, language, subject,
                            NoticeLog.Status.SENT if address else NoticeLog.Status.NO_ADDRESS)
    try:
        with transaction.atomic():
            entry = NoticeLog.objects.create(
                key=due.key, kind=due.kind, patron=due.patron, status=outcome.status, language=language,
                channel=NoticeLog.Channel.EMAIL if address else NoticeLog.Channel.PRINT, to_address=address,
                subject=subject, body=body, sent_at=at, sent_by=actor.label(), **due.refs)
    except IntegrityError:
        outcome.status, outcome.error = "skipped", "already_logged"  # a concurrent run logged it first
        return outcome
    if not address:
        return outcome
    try:
        EmailMessage(subject, body, to=[address], connection=connection).send()
    except (smtplib.SMTPException, OSError) as error:
        log.warning("notice %s to %s failed: %s", due.key, address, error)
        entry.delete()  # not sent: the next run tries again
        outcome.status, outcome.error = "failed", str(error)
    return outcome


def run_notices(*, at: datetime, actor: Actor, dry_run: bool = False, patron: Patron | None = None) -> RunReport:
    """Send every notice due at `at` (see the module docstring) and log each one; with `patron`, only that
    patron's (the staff patron page sends them on request instead of waiting for the scheduled run).

    Safe to run twice, or twice at once: a notice already logged is not sent again. `dry_run=True` renders
    what would be sent and changes nothing. Never raises for one bad notice: a missing template or a refused
    message is reported as failed and left for the next run.
    """
    report = RunReport(at=at, dry_run=dry_run)
    connection = None if dry_run else get_connection()
    for due in due_notices(at=at, patron=patron):
        language = due.patron.language or settings.LANGUAGE_CODE
        rendered = render(due.kind, language, due.context)
        if rendered is None:
            report.notices.append(NoticeOutcome(due.key, due.kind, due.patron.card_number, due.patron.email,
                                                language, "", "failed", "no_template"))
            continue
        subject, body = rendered
        if dry_run:
            status = "would_send" if due.patron.email.strip() else "would_print"
            report.notices.append(NoticeOutcome(due.key, due.kind, due.patron.card_number, due.patron.email.strip(),
                                                language, subject, status))
            continue
        report.notices.append(_deliver(due, subject, body, language, at=at, actor=actor, connection=connection))
    return report

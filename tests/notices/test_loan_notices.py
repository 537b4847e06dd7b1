"""Due soon and overdue notices, in the patron's language, at the scheduled days; only the highest level."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.circulation import services as circulation
from kitab.notices.models import NoticeLog, NoticeSchedule
from kitab.notices.services import run_notices
from tests.circulation.factories import ItemFactory

DAY = timedelta(days=1)
# A 14-day loan made on Monday 3 March 2025 is due on Monday 17 March, 23:59:59.

EXPECTED = {
    # kind: (days after t0 to run, English subject start, English body, Azerbaijani subject start, Azerbaijani body)
    "due_soon": (12, "Reminder:", "is due back soon", "Xatırlatma:", "qaytarılma vaxtı yaxınlaşır"),
    "overdue_1": (15, "Overdue:", "is now overdue", "Gecikmə:", "qaytarılma vaxtı keçib"),
    "overdue_2": (21, "Second reminder:", "still not been returned", "İkinci xatırlatma:", "artıq yazmışdıq"),
    "overdue_3": (28, "Final notice:", "declared lost", "Son xəbərdarlıq:", "itmiş hesab oluna bilər"),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_loan_notice_in_english_and_azerbaijani(kind, reader, oxucu, desk, t0, mailoutbox) -> None:
    days, en_subject, en_body, az_subject, az_body = EXPECTED[kind]
    for patron in (reader, oxucu):
        circulation.checkout(ItemFactory(record__title="Əli və Nino"), patron, actor=desk, at=t0)
    report = run_notices(at=t0 + days * DAY, actor=desk)
    assert [n.kind for n in report.notices] == [kind, kind]
    by_address = {m.to[0]: m for m in mailoutbox}
    english, azerbaijani = by_address["reader@example.org"], by_address["oxucu@example.az"]
    assert english.subject.startswith(en_subject) and "Əli və Nino" in english.subject
    assert en_body in english.body and "Dear Ann Reader," in english.body
    assert azerbaijani.subject.startswith(az_subject)
    assert az_body in azerbaijani.body and "Hörmətli Aysel Məmmədova," in azerbaijani.body
    assert "Dear" not in azerbaijani.body
    assert NoticeLog.objects.filter(kind=kind, status="sent").count() == 2


def test_dates_are_written_in_the_patrons_language(reader, oxucu, desk, t0, mailoutbox) -> None:
    for patron in (reader, oxucu):
        circulation.checkout(ItemFactory(), patron, actor=desk, at=t0)
    run_notices(at=t0 + 12 * DAY, actor=desk)
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "March 17, 2025" in by_address["reader@example.org"].body
    assert "mart" in by_address["oxucu@example.az"].body.lower()


def test_nothing_before_the_schedule_and_only_the_highest_level(reader, desk, t0, mailoutbox) -> None:
    loan = circulation.checkout(ItemFactory(), reader, actor=desk, at=t0)
    assert run_notices(at=t0 + 10 * DAY, actor=desk).notices == []  # due in 4 days, notice 2 days before
    report = run_notices(at=t0 + 40 * DAY, actor=desk)  # found very late: one final notice, not three
    assert [n.kind for n in report.notices] == ["overdue_3"]
    assert run_notices(at=t0 + 41 * DAY, actor=desk).notices == []
    assert NoticeLog.objects.get().loan == loan


def test_a_renewed_loan_gets_notices_for_its_new_due_date(reader, desk, t0, mailoutbox) -> None:
    loan = circulation.checkout(ItemFactory(), reader, actor=desk, at=t0)
    run_notices(at=t0 + 12 * DAY, actor=desk)
    circulation.renew(loan, actor=desk, at=t0 + 13 * DAY)  # due 30 March now
    assert [n.kind for n in run_notices(at=t0 + 25 * DAY, actor=desk).notices] == ["due_soon"]
    assert len(mailoutbox) == 2


def test_schedule_per_category(reader, desk, t0, mailoutbox) -> None:
    NoticeSchedule.objects.create(patron_category=reader.category, due_soon_days=0, overdue_1_days=3)
    circulation.checkout(ItemFactory(), reader, actor=desk, at=t0)
    assert run_notices(at=t0 + 13 * DAY, actor=desk).notices == []  # no due soon notice for this category
    assert run_notices(at=t0 + 16 * DAY, actor=desk).notices == []  # 2 days overdue: not yet
    assert [n.kind for n in run_notices(at=t0 + 17 * DAY, actor=desk).notices] == ["overdue_1"]

"""Patrons without an email address get a log entry to print, once, and no email."""

from __future__ import annotations

from datetime import timedelta

from kitab.circulation import services as circulation
from kitab.notices.models import NoticeLog
from kitab.notices.services import run_notices
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory


def test_no_address_is_logged_for_print(rule, desk, t0, mailoutbox) -> None:
    patron = PatronFactory(email="", language="ru")
    circulation.checkout(ItemFactory(), patron, actor=desk, at=t0)
    report = run_notices(at=t0 + timedelta(days=15), actor=desk)
    assert [n.status for n in report.notices] == ["no_address"]
    entry = NoticeLog.objects.get()
    assert (entry.status, entry.channel, entry.language) == ("no_address", "print", "ru")
    assert entry.subject.startswith("Просрочен возврат:") and "Здравствуйте" in entry.body
    assert mailoutbox == []
    assert run_notices(at=t0 + timedelta(days=16), actor=desk).notices == []


def test_anonymised_patrons_get_nothing(rule, desk, t0, mailoutbox) -> None:
    patron = PatronFactory(email="gone@example.org")
    circulation.checkout(ItemFactory(), patron, actor=desk, at=t0)
    patron.is_anonymised = True
    patron.save()
    assert run_notices(at=t0 + timedelta(days=15), actor=desk).notices == []

"""run_notices is safe to run again: each notice is logged once and sent once; a failed send is retried."""

from __future__ import annotations

from datetime import timedelta

from django.core.mail.backends.locmem import EmailBackend

from kitab.circulation import services as circulation
from kitab.notices.models import NoticeLog
from kitab.notices.services import run_notices
from tests.circulation.factories import ItemFactory

DAY = timedelta(days=1)


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")


def test_twice_sends_once(reader, desk, t0, mailoutbox) -> None:
    circulation.checkout(ItemFactory(), reader, actor=desk, at=t0)
    assert run_notices(at=t0 + 15 * DAY, actor=desk).count("sent") == 1
    assert run_notices(at=t0 + 15 * DAY, actor=desk).notices == []
    assert len(mailoutbox) == 1
    entry = NoticeLog.objects.get()
    assert (entry.kind, entry.to_address, entry.sent_by, entry.channel) == (
        "overdue_1", "reader@example.org", "staff:librarian", "email")


def test_failed_send_is_retried(reader, desk, t0, mailoutbox, settings) -> None:
    circulation.checkout(ItemFactory(), reader, actor=desk, at=t0)
    settings.EMAIL_BACKEND = "tests.notices.test_run_twice.RefusingBackend"
    report = run_notices(at=t0 + 15 * DAY, actor=desk)
    assert [(n.status, n.error) for n in report.notices] == [("failed", "mail server down")]
    assert NoticeLog.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run_notices(at=t0 + 15 * DAY, actor=desk).count("sent") == 1
    assert len(mailoutbox) == 1

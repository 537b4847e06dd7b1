"""A dry run renders what is due and changes nothing."""

from __future__ import annotations

from datetime import timedelta

from kitab.circulation import services as circulation
from kitab.notices.models import NoticeLog
from kitab.notices.services import run_notices
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory


def test_dry_run(reader, desk, t0, mailoutbox) -> None:
    circulation.checkout(ItemFactory(), reader, actor=desk, at=t0)
    circulation.checkout(ItemFactory(), PatronFactory(email=""), actor=desk, at=t0)
    report = run_notices(at=t0 + timedelta(days=15), actor=desk, dry_run=True)
    assert report.dry_run
    assert sorted(n.status for n in report.notices) == ["would_print", "would_send"]
    assert all(n.subject.startswith("Overdue:") for n in report.notices)
    assert mailoutbox == [] and NoticeLog.objects.count() == 0

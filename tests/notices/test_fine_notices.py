"""A fine notice once a charge is final (the item came back late), in the patron's language."""

from __future__ import annotations

from datetime import timedelta

from kitab.circulation import services as circulation
from kitab.notices.services import run_notices
from tests.circulation.factories import ItemFactory

DAY = timedelta(days=1)


def _late_return(patron, desk, t0):  # type: ignore[no-untyped-def]
    item = ItemFactory(record__title="Dədə Qorqud")
    circulation.checkout(item, patron, actor=desk, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + 20 * DAY)  # 6 days late, 0.50 a day


def test_fine_notice_in_english(reader, desk, t0, mailoutbox) -> None:
    _late_return(reader, desk, t0)
    report = run_notices(at=t0 + 20 * DAY, actor=desk)
    assert [n.kind for n in report.notices] == ["fine"]
    [message] = mailoutbox
    assert message.subject == "A charge on your library account"
    assert "Overdue fine: Dədə Qorqud" in message.body and "Amount: 3.00" in message.body


def test_fine_notice_in_azerbaijani(oxucu, desk, t0, mailoutbox) -> None:
    _late_return(oxucu, desk, t0)
    run_notices(at=t0 + 20 * DAY, actor=desk)
    [message] = mailoutbox
    assert message.subject == "Kitabxana hesabınıza ödəniş yazıldı"
    assert "Məbləğ: 3,00" in message.body
    assert "Dədə Qorqud" in message.body


def test_old_charges_are_left_alone(reader, desk, t0, mailoutbox) -> None:
    _late_return(reader, desk, t0)
    assert run_notices(at=t0 + 40 * DAY, actor=desk).notices == []

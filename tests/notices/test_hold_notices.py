"""Hold ready and hold expired notices (sent by run_notices, the one place hold notices go out)."""

from __future__ import annotations

from datetime import timedelta

from kitab.circulation import services as circulation
from kitab.holds import services as holds
from kitab.notices.services import run_notices
from tests.holds.factories import place
from tests.patrons.factories import PatronFactory

DAY = timedelta(days=1)


def _ready_for(patron, item, desk, t0):  # type: ignore[no-untyped-def]
    circulation.checkout(item, PatronFactory(), actor=desk, at=t0)
    hold = place(patron, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + DAY)
    hold.refresh_from_db()
    return hold


def test_hold_ready_in_english(reader, item, desk, t0, mailoutbox) -> None:
    _ready_for(reader, item, desk, t0)
    report = run_notices(at=t0 + DAY, actor=desk)
    assert [n.kind for n in report.notices] == ["hold_ready"]
    [message] = mailoutbox
    assert message.subject.startswith("Your hold is ready:")
    assert "Pick up at: Branch MAIN" in message.body
    assert "Collect by: March 11, 2025, 20:00" in message.body


def test_hold_ready_in_azerbaijani(oxucu, item, desk, t0, mailoutbox) -> None:
    _ready_for(oxucu, item, desk, t0)
    run_notices(at=t0 + DAY, actor=desk)
    [message] = mailoutbox
    assert message.subject.startswith("Sifarişiniz hazırdır:")
    assert "Götürmə yeri: Branch MAIN" in message.body and "11 mart 2025" in message.body.lower()


def test_hold_expired_uncollected_in_english_and_azerbaijani(reader, oxucu, item, desk, t0, mailoutbox) -> None:
    hold = _ready_for(reader, item, desk, t0)
    waiting = place(oxucu, item, at=t0, expires_at=t0 + 2 * DAY)
    run_notices(at=t0 + DAY, actor=desk)  # hold ready
    holds.expire_holds(at=hold.pickup_deadline + DAY, actor=desk)
    report = run_notices(at=hold.pickup_deadline + DAY, actor=desk)
    assert sorted(n.kind for n in report.notices) == ["hold_expired", "hold_expired"]
    by_address = {m.to[0]: m for m in mailoutbox[1:]}
    english, azerbaijani = by_address["reader@example.org"], by_address["oxucu@example.az"]
    assert english.subject.startswith("Your hold has expired:")
    assert "was not collected in time" in english.body
    waiting.refresh_from_db()
    assert waiting.status == "expired" and not waiting.expired_uncollected
    assert azerbaijani.subject.startswith("Sifarişinizin müddəti bitdi:")
    assert "nüsxə ayrılana qədər" in azerbaijani.body

"""Every change to a patron record is recorded with who made it, at which branch and through which channel."""

from __future__ import annotations

from datetime import timedelta

from kitab.circulation import services as circulation
from kitab.holds import services as holds
from kitab.holds.models import Hold
from kitab.notices.models import NoticeLog
from kitab.patrons import services
from kitab.patrons.models import PatronEvent
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory


def _actions(patron) -> list[str]:  # type: ignore[no-untyped-def]
    return list(patron.events.order_by("at", "pk").values_list("action", flat=True))


def test_register_change_renew_block_unblock_are_recorded(main, adult, desk, t0) -> None:
    patron = services.register_patron(card_number="C-100001", last_name="Qasımova", category=adult, home_branch=main,
                                      actor=desk, at=t0)
    services.update_patron(patron, actor=desk, at=t0 + timedelta(minutes=1), email="n@example.org",
                           last_name="Qasımova")  # the unchanged name is not listed
    services.update_patron(patron, actor=desk, at=t0 + timedelta(minutes=2), last_name="Qasımova")  # no change
    services.renew_card(patron, actor=desk, at=t0 + timedelta(minutes=3))
    services.block_patron(patron, reason="Lost card", actor=desk, at=t0 + timedelta(minutes=4))
    services.unblock_patron(patron, actor=desk, at=t0 + timedelta(minutes=5))
    assert _actions(patron) == ["registered", "updated", "card_renewed", "blocked", "unblocked"]
    changed = patron.events.get(action="updated")
    assert changed.detail == "email"
    assert (changed.actor_name, changed.actor_branch, changed.actor_channel) == ("staff:librarian", "MAIN", "staff")


def test_merge_moves_holds_notices_and_history_and_cancels_a_duplicate_hold(main, adult, desk, t0) -> None:
    keep = PatronFactory(category=adult, home_branch=main, card_number="KEEP-1")
    remove = PatronFactory(category=adult, home_branch=main, card_number="DUP-1")
    both, only_dup = ItemFactory(home_branch=main), ItemFactory(home_branch=main)
    reader = PatronFactory(category=adult, home_branch=main, card_number="OTHER")
    circulation.checkout(both, reader, actor=desk, at=t0)
    circulation.checkout(only_dup, reader, actor=desk, at=t0)
    kept_hold = holds.place_hold(keep, both.record, pickup_branch=main, actor=desk, at=t0)
    twin = holds.place_hold(remove, both.record, pickup_branch=main, actor=desk, at=t0)
    moved = holds.place_hold(remove, only_dup.record, pickup_branch=main, actor=desk, at=t0)
    NoticeLog.objects.create(key="x", kind="fine", patron=remove, status="sent", language="en", subject="s",
                             body="b", sent_at=t0)
    services.block_patron(remove, reason="Noise", actor=desk, at=t0)

    services.merge_patrons(keep=keep, remove=remove, actor=desk, at=t0 + timedelta(hours=1))
    assert Hold.objects.get(pk=twin.pk).status == Hold.Status.CANCELLED
    assert Hold.objects.get(pk=moved.pk).patron_id == keep.pk
    assert Hold.objects.get(pk=kept_hold.pk).status == Hold.Status.WAITING
    assert NoticeLog.objects.get(key="x").patron_id == keep.pk
    assert _actions(keep) == ["blocked", "merged"]
    assert keep.events.get(action="merged").detail == "DUP-1"


def test_anonymising_clears_the_details_of_the_history(main, adult, desk, t0) -> None:
    keep = PatronFactory(category=adult, home_branch=main, card_number="KEEP-2")
    remove = PatronFactory(category=adult, home_branch=main, card_number="DUP-2")
    services.merge_patrons(keep=keep, remove=remove, actor=desk, at=t0)
    services.anonymise_patron(keep, actor=desk, at=t0 + timedelta(days=1))
    assert _actions(keep) == ["merged", "anonymised"]
    assert not PatronEvent.objects.exclude(detail="").exists()

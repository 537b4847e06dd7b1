"""The SIP2 adapter over the database: every message, its refusals and their flags and screen messages.
The rules themselves are tested with the services; here only parsing, authorisation and the mapping."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

import pytest

from kitab.circulation import fines
from kitab.circulation import services as circulation
from kitab.circulation.models import FineEntry, Loan
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds.models import Hold
from kitab.items.models import Item
from kitab.protocols.sip2 import codec, handlers
from kitab.protocols.sip2.services import add_terminal
from tests.circulation.conftest import east, item, main, patron, rule  # noqa: F401
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import T0, PatronBlockFactory, PatronFactory

DATE = "20250303    100000"  # T0 in UTC, the test time zone
BLANK = " " * 18
DAY = timedelta(days=1)
DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: T0)


@pytest.fixture
def terminal(main):  # noqa: F811
    return add_terminal("kiosk-1", password="s3cret", branch_code="MAIN")


@pytest.fixture
def sip(terminal) -> handlers.Session:
    session = handlers.Session(handlers.Config(institution="Kitab"))
    assert ask(session, "9300CNkiosk-1|COs3cret|").fixed["ok"] == "1"
    return session


class Counter:
    n = 0


def ask(
    session: handlers.Session, body: str, *, seq: str | None = None, encoding: str = "utf-8"
) -> codec.Message:
    """Send `body` with AY/AZ (sequence numbers cycle like a terminal's) and parse the answer."""
    Counter.n += 1
    head = f"{body}AY{seq or Counter.n % 10}AZ".encode(encoding)
    reply = session.respond(head + codec.checksum(head).encode())
    return codec.decode(reply.data, encoding, responses=True)


def test_login(terminal):
    session = handlers.Session()
    assert ask(session, "9300CNkiosk-1|COwrong|").fixed["ok"] == "0"
    assert session.terminal is None
    refused = ask(session, f"17{DATE}AOKitab|AB1|")
    assert refused.command == "18" and "log in" in refused.get("AF")
    assert ask(session, "9300CNkiosk-1|COs3cret|CPMAIN|").fixed["ok"] == "1"
    assert session.terminal == terminal
    terminal.enabled = False
    terminal.save()
    assert ask(handlers.Session(), "9300CNkiosk-1|COs3cret|").fixed["ok"] == "0"


def test_repeated_failed_logins_close_the_connection(terminal):
    session = handlers.Session(handlers.Config(max_failed_logins=3))
    replies = [session.respond(b"9300CNkiosk-1|COnope|") for _ in range(3)]
    assert [r.close for r in replies] == [False, False, True]


def test_sc_status_before_and_after_login(sip):
    before = ask(handlers.Session(), "990 802.00")
    assert before.command == "98" and before.fixed["online_status"] == "Y"
    assert before.get("BX") == "YYYNYYYYYYYNNYYY" and not before.has("AN")
    after = ask(sip, "990 802.00")
    assert after.get("AN") == "MAIN" and after.get("AO") == "Kitab"
    assert after.fixed["protocol_version"] == "2.00" and after.fixed["date_time_sync"] == DATE


def test_patron_status(sip, patron):  # noqa: F811
    ok = ask(sip, f"23000{DATE}AOKitab|AA{patron.card_number}|AC|")
    assert ok.fixed["patron_status"] == " " * 14 and ok.get("BL") == "Y"
    assert ok.get("AE") == patron.full_name and ok.get("BV") == "0.00" and not ok.has("AF")
    unknown = ask(sip, f"23015{DATE}AOKitab|AAnobody|")
    assert unknown.get("BL") == "N" and unknown.fixed["patron_status"].startswith("YYYY")
    assert unknown.get("AF") and unknown.get("AA") == "nobody"


def test_blocked_patron_status_flags_and_message_in_the_patrons_language(sip, patron):  # noqa: F811
    patron.language = "ru"
    patron.save()
    PatronBlockFactory(patron=patron, reason="Damaged a book")
    blocked = ask(sip, f"23000{DATE}AOKitab|AA{patron.card_number}|")
    assert blocked.fixed["patron_status"][:4] == "YYYY" and blocked.fixed["language"] == "015"
    assert "Damaged a book" in blocked.get("AF") and "patron is blocked" not in blocked.get("AF")


def test_patron_information_lists(sip, patron, main, rule):  # noqa: F811
    loans = [ItemFactory(home_branch=main) for _ in range(3)]
    for copy in loans:
        circulation.checkout(copy, patron, actor=DESK, at=T0 - DAY)
    Loan.objects.filter(item=loans[0]).update(due_at=T0 - 2 * DAY)  # overdue by now
    fines.charge(patron, Decimal("3.00"), actor=DESK, at=T0, note="Damage")
    card = patron.card_number
    charged = ask(sip, f"63001{DATE}  Y       AOKitab|AA{card}|BP1|BQ2|")
    assert charged.command == "64"
    assert (
        charged.fixed["charged_items_count"],
        charged.fixed["overdue_items_count"],
        charged.fixed["fine_items_count"],
    ) == ("0003", "0001", "0001")
    assert len(charged.getall("AU")) == 2  # the range BP..BQ
    overdue = ask(sip, f"63001{DATE} Y        AOKitab|AA{card}|")
    assert overdue.getall("AT") == [loans[0].barcode]
    fine = ask(sip, f"63001{DATE}   Y      AOKitab|AA{card}|")
    assert fine.getall("AV")[0].startswith("3.00") and fine.get("BV") == "3.00"
    none = ask(sip, f"63001{DATE}          AOKitab|AA{card}|")
    assert not none.has("AU") and not none.has("AT")
    assert ask(sip, f"63001{DATE}          AOKitab|AAnobody|").get("BL") == "N"


def test_patron_information_holds(sip, patron, item, main):  # noqa: F811
    other = PatronFactory(home_branch=main)
    circulation.checkout(item, other, actor=DESK, at=T0 - DAY)
    placed = ask(sip, f"15+{DATE}AOKitab|AA{patron.card_number}|AB{item.barcode}|")
    assert placed.fixed["ok"] == "1"
    info = ask(sip, f"63001{DATE}     Y    AOKitab|AA{patron.card_number}|")
    assert info.fixed["unavailable_holds_count"] == "0001" and info.getall("CD") == [item.record.title]
    circulation.checkin(item, actor=DESK, at=T0)  # trapped for the patron: on the hold shelf
    ready = ask(sip, f"63001{DATE}Y         AOKitab|AA{patron.card_number}|")
    assert ready.fixed["hold_items_count"] == "0001" and ready.getall("AS") == [item.barcode]


def test_item_information(sip, patron, item):  # noqa: F811
    available = ask(sip, f"17{DATE}AOKitab|AB{item.barcode}|")
    assert available.fixed["circulation_status"] == "03"
    assert (available.get("AJ"), available.get("AQ"), available.get("AP"), available.get("CF")) == (
        item.record.title,
        "MAIN",
        "MAIN",
        "0",
    )
    loan = circulation.checkout(item, patron, actor=DESK, at=T0)
    on_loan = ask(sip, f"17{DATE}AOKitab|AB{item.barcode}|")
    assert on_loan.fixed["circulation_status"] == "04"
    assert on_loan.get("AH") == codec.format_date(loan.due_at)
    unknown = ask(sip, f"17{DATE}AOKitab|ABnothing|")
    assert unknown.fixed["circulation_status"] == "01" and unknown.get("AF")


def test_checkout_with_blank_due_date(sip, patron, item):  # noqa: F811
    out = ask(sip, f"11NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|AC|BON|BIN|")
    assert (out.fixed["ok"], out.fixed["renewal_ok"], out.fixed["desensitize"]) == ("1", "N", "Y")
    loan = Loan.objects.get(item=item)
    assert loan.patron == patron and loan.branch.code == "MAIN"
    assert out.get("AH") == codec.format_date(loan.due_at) and out.get("AJ") == item.record.title
    event = loan.events.get()
    assert (event.actor_channel, event.actor_name, event.actor_branch) == ("sip2", "sip2:kiosk-1", "MAIN")


def test_resent_checkout_does_not_lend_twice(sip, terminal, patron, item):  # noqa: F811
    body = f"11NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|AC|"
    first = ask(sip, body, seq="4")
    # the terminal timed out, reconnected, logged in again and sent the same message
    again = handlers.Session()
    ask(again, "9300CNkiosk-1|COs3cret|")
    second = ask(again, body, seq="4")
    assert first.fixed["ok"] == second.fixed["ok"] == "1"
    assert Loan.objects.filter(item=item).count() == 1


def test_checkout_refusals_carry_the_services_message(sip, patron, item, main):  # noqa: F811
    PatronBlockFactory(patron=patron, reason="Lost card")
    refused = ask(sip, f"11NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|")
    assert (refused.fixed["ok"], refused.fixed["desensitize"]) == ("0", "N")
    assert "Lost card" in refused.get("AF")
    assert not Loan.objects.exists()
    assert ask(sip, f"11NN{DATE}{BLANK}AOKitab|AAnobody|AB{item.barcode}|").fixed["ok"] == "0"
    assert ask(sip, f"11NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|ABnothing|").fixed["ok"] == "0"
    other = PatronFactory(home_branch=main)
    circulation.checkout(item, other, actor=DESK, at=T0)
    taken = ask(sip, f"11NN{DATE}{BLANK}AOKitab|AA{other.card_number}|AB{item.barcode}|")
    assert taken.fixed["ok"] == "0" and item.barcode in taken.get("AF")  # item_on_loan: no renewal policy


def test_offline_checkout_is_dated_when_it_happened(sip, patron, item):  # noqa: F811
    earlier = codec.format_date(T0 - 2 * DAY)
    out = ask(sip, f"11NY{earlier}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|")
    assert out.fixed["ok"] == "1"
    assert Loan.objects.get(item=item).issued_at == T0 - 2 * DAY
    # without "no block" the transaction date is only the terminal's clock: the loan is made now
    other = ItemFactory(home_branch=item.home_branch)
    ask(sip, f"11NN{earlier}{BLANK}AOKitab|AA{patron.card_number}|AB{other.barcode}|")
    assert Loan.objects.get(item=other).issued_at == T0


def test_checkout_of_an_item_already_lent_to_the_patron_renews_with_sc_renewal_policy(sip, patron, item):  # noqa: F811
    loan = circulation.checkout(item, patron, actor=DESK, at=T0 - DAY)
    out = ask(sip, f"11YN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|")
    assert (out.fixed["ok"], out.fixed["renewal_ok"]) == ("1", "Y")
    loan.refresh_from_db()
    assert loan.renewals == 1


def test_checkin(sip, patron, item):  # noqa: F811
    circulation.checkout(item, patron, actor=DESK, at=T0 - DAY)
    back = ask(sip, f"09N{DATE}{DATE}APMAIN|AOKitab|AB{item.barcode}|AC|")
    assert (back.fixed["ok"], back.fixed["alert"], back.fixed["resensitize"]) == ("1", "N", "Y")
    assert back.get("AA") == patron.card_number and back.get("AQ") == "MAIN"
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE
    again = ask(sip, f"09N{DATE}{BLANK}APMAIN|AOKitab|AB{item.barcode}|AC|")
    assert (again.fixed["ok"], again.fixed["alert"]) == ("0", "Y") and again.get("AF")
    assert ask(sip, f"09N{DATE}{BLANK}AOKitab|ABnothing|").fixed["ok"] == "0"


def test_checkin_uses_the_return_date(sip, patron, item, rule):  # noqa: F811
    circulation.checkout(item, patron, actor=DESK, at=T0 - 20 * DAY)  # due 25 February, 6 days before T0
    returned = "20250226    100000"  # 1 day late, not 6
    ask(sip, f"09N{DATE}{returned}APMAIN|AOKitab|AB{item.barcode}|")
    assert FineEntry.objects.get(kind="overdue").amount == Decimal("0.50")


def test_checkin_alerts_for_the_hold_shelf_and_transit(sip, patron, item, main, east):  # noqa: F811
    waiting = PatronFactory(home_branch=main)
    circulation.checkout(item, patron, actor=DESK, at=T0 - DAY)
    ask(sip, f"15+{DATE}AOKitab|AA{waiting.card_number}|AB{item.barcode}|")
    shelf = ask(sip, f"09N{DATE}{BLANK}APMAIN|AOKitab|AB{item.barcode}|")
    assert (shelf.fixed["ok"], shelf.fixed["alert"], shelf.get("CL")) == ("1", "Y", "HOLD")
    hold = Hold.objects.get()
    assert hold.status == Hold.Status.READY
    on_shelf = ask(sip, f"17{DATE}AOKitab|AB{item.barcode}|")
    assert on_shelf.fixed["circulation_status"] == "08" and on_shelf.get("CF") == "1"
    assert on_shelf.get("CM") == codec.format_date(hold.pickup_deadline)
    travelling = ItemFactory(home_branch=east)
    circulation.checkout(travelling, patron, actor=DESK, at=T0 - DAY)
    transit = ask(sip, f"09N{DATE}{BLANK}APMAIN|AOKitab|AB{travelling.barcode}|")
    assert (transit.fixed["alert"], transit.get("CL")) == ("Y", "EAST") and east.name in transit.get("AF")
    moving = ask(sip, f"17{DATE}AOKitab|AB{travelling.barcode}|")
    assert (moving.fixed["circulation_status"], moving.get("AQ"), moving.get("AP")) == ("10", "EAST", "MAIN")


def test_renew(sip, patron, item, main, rule):  # noqa: F811
    loan = circulation.checkout(item, patron, actor=DESK, at=T0 - DAY)
    body = f"29NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|"
    out = ask(sip, body)
    loan.refresh_from_db()
    assert (out.fixed["ok"], out.fixed["renewal_ok"]) == ("1", "Y") and loan.renewals == 1
    assert out.get("AH") == codec.format_date(loan.due_at)
    ask(sip, body)
    last = ask(sip, body)  # the rule allows 2 renewals
    assert last.fixed["ok"] == "0" and "2" in last.get("AF")
    other = PatronFactory(home_branch=main)
    assert ask(sip, f"29NN{DATE}{BLANK}AOKitab|AA{other.card_number}|AB{item.barcode}|").fixed["ok"] == "0"


def test_renew_all(sip, patron, main, rule):  # noqa: F811
    copies = [ItemFactory(home_branch=main) for _ in range(2)]
    for copy in copies:
        circulation.checkout(copy, patron, actor=DESK, at=T0 - DAY)
    Loan.objects.filter(item=copies[1]).update(renewals=2)
    out = ask(sip, f"65{DATE}AOKitab|AA{patron.card_number}|")
    assert (out.fixed["ok"], out.fixed["renewed_count"], out.fixed["unrenewed_count"]) == (
        "1",
        "0001",
        "0001",
    )
    assert out.getall("BM") == [copies[0].barcode] and out.getall("BN") == [copies[1].barcode]
    assert ask(sip, f"65{DATE}AOKitab|AAnobody|").fixed["ok"] == "0"


def test_fee_paid(sip, patron):  # noqa: F811
    fines.charge(patron, Decimal("5.00"), actor=DESK, at=T0 - DAY, note="Damage")
    paid = ask(sip, f"37{DATE}0100AZNBV2.00|AOKitab|AA{patron.card_number}|BKtx-9|")
    assert paid.fixed["payment_accepted"] == "Y" and paid.get("BK") == "tx-9" and "3.00" in paid.get("AF")
    assert fines.balance(patron) == Decimal("3.00")
    assert FineEntry.objects.get(kind="payment").actor_channel == "sip2"
    too_much = ask(sip, f"37{DATE}0100AZNBV9.00|AOKitab|AA{patron.card_number}|")
    assert too_much.fixed["payment_accepted"] == "N" and too_much.get("AF")
    assert ask(sip, f"37{DATE}0100AZNBVlots|AOKitab|AA{patron.card_number}|").fixed["payment_accepted"] == "N"
    assert fines.balance(patron) == Decimal("3.00")


def _fresh_session() -> handlers.Session:
    """The terminal after a timeout: a new connection, logged in again (no memory of the last message)."""
    session = handlers.Session(handlers.Config(institution="Kitab"))
    assert ask(session, "9300CNkiosk-1|COs3cret|").fixed["ok"] == "1"
    return session


def test_a_resent_renew_renews_once(sip, patron, item, rule):  # noqa: F811
    circulation.checkout(item, patron, actor=DESK, at=T0 - DAY)
    body = f"29NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|"
    first = ask(sip, body, seq="7")
    again = ask(_fresh_session(), body, seq="7")
    assert first == again and first.fixed["renewal_ok"] == "Y"
    assert Loan.objects.get(item=item).renewals == 1
    assert Loan.objects.get(item=item).events.filter(trigger="renew").count() == 1
    ask(sip, body, seq="8")  # another sequence number: another request
    assert Loan.objects.get(item=item).renewals == 2


def test_a_resent_refused_renew_gets_the_same_refusal(sip, patron, item, rule):  # noqa: F811
    loan = circulation.checkout(item, patron, actor=DESK, at=T0 - DAY)
    Loan.objects.filter(pk=loan.pk).update(renewals=2)
    body = f"29NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|"
    first = ask(sip, body, seq="3")
    assert first.fixed["ok"] == "0"
    assert ask(_fresh_session(), body, seq="3") == first


def test_a_resent_renew_all_renews_once(sip, patron, main, rule):  # noqa: F811
    copy = ItemFactory(home_branch=main)
    circulation.checkout(copy, patron, actor=DESK, at=T0 - DAY)
    body = f"65{DATE}AOKitab|AA{patron.card_number}|"
    first = ask(sip, body, seq="2")
    assert ask(_fresh_session(), body, seq="2") == first
    assert Loan.objects.get(item=copy).renewals == 1


def test_a_resent_fee_payment_is_recorded_once(sip, patron):  # noqa: F811
    fines.charge(patron, Decimal("5.00"), actor=DESK, at=T0 - DAY, note="Damage")
    body = f"37{DATE}0100AZNBV2.00|AOKitab|AA{patron.card_number}|BKtx-10|"
    first = ask(sip, body, seq="5")
    second = ask(_fresh_session(), body, seq="5")
    assert first == second and first.fixed["payment_accepted"] == "Y"
    assert fines.balance(patron) == Decimal("3.00")
    assert FineEntry.objects.filter(kind="payment").count() == 1
    # The same amount again in a new message (another sequence number) is a second payment.
    ask(sip, body, seq="6")
    assert fines.balance(patron) == Decimal("1.00")


def test_without_a_transaction_date_each_payment_counts(sip, patron):  # noqa: F811
    fines.charge(patron, Decimal("5.00"), actor=DESK, at=T0 - DAY, note="Damage")
    body = f"37{BLANK}0100AZNBV1.00|AOKitab|AA{patron.card_number}|"
    ask(sip, body, seq="5")
    ask(_fresh_session(), body, seq="5")
    assert fines.balance(patron) == Decimal("3.00")


def test_hold_place_and_cancel(sip, patron, item, main):  # noqa: F811
    card = patron.card_number
    other, third = PatronFactory(home_branch=main), PatronFactory(home_branch=main)
    placed = ask(sip, f"15+{DATE}BW{BLANK}|BSMAIN|AOKitab|AA{card}|AB{item.barcode}|")
    assert (placed.fixed["ok"], placed.fixed["available"], placed.get("BR"), placed.get("BS")) == (
        "1",
        "Y",
        "1",
        "MAIN",
    )
    hold = Hold.objects.get()
    assert (hold.patron, hold.pickup_branch.code, hold.status, hold.item) == (
        patron,
        "MAIN",
        Hold.Status.WAITING,
        None,
    )
    twice = ask(sip, f"15+{DATE}AOKitab|AA{card}|AB{item.barcode}|")
    assert twice.fixed["ok"] == "0" and twice.get("AF")  # hold_exists
    assert ask(sip, f"15*{DATE}AOKitab|AA{card}|AB{item.barcode}|").fixed["ok"] == "0"
    assert ask(sip, f"15+{DATE}BSNOWHERE|AOKitab|AA{card}|AB{item.barcode}|").fixed["ok"] == "0"
    copy_hold = ask(sip, f"15+{DATE}BW20250401    000000|BY3|AOKitab|AA{other.card_number}|AB{item.barcode}|")
    assert copy_hold.fixed["ok"] == "1" and copy_hold.get("BW") == "20250401    000000"
    placed_on_copy = Hold.objects.get(patron=other)
    assert placed_on_copy.item == item and placed_on_copy.expires_at == codec.parse_date(
        "20250401    000000", UTC
    )
    bad_date = ask(sip, f"15+{DATE}BWsoon|AOKitab|AA{third.card_number}|AB{item.barcode}|")
    assert bad_date.fixed["ok"] == "0" and bad_date.get("AF")
    cancelled = ask(sip, f"15-{DATE}AOKitab|AA{card}|AB{item.barcode}|")
    assert cancelled.fixed["ok"] == "1"
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED and hold.cancelled_by == "sip2:kiosk-1"
    assert ask(sip, f"15-{DATE}AOKitab|AA{card}|AB{item.barcode}|").fixed["ok"] == "0"


def test_end_session(sip, patron):  # noqa: F811
    out = ask(sip, f"35{DATE}AOKitab|AA{patron.card_number}|")
    assert out.command == "36" and out.fixed["end_session"] == "Y" and out.get("AA") == patron.card_number


def test_resend_and_error_detection(sip, patron, item):  # noqa: F811
    body = f"11NN{DATE}{BLANK}AOKitab|AA{patron.card_number}|AB{item.barcode}|"
    head = f"{body}AY5AZ".encode()
    request = head + codec.checksum(head).encode()
    first = sip.respond(request)
    assert sip.respond(b"97").data == first.data  # 97: the last response again
    assert sip.respond(request).data == first.data  # the same message resent: answered, not done again
    assert Loan.objects.filter(item=item).count() == 1
    corrupt = request.replace(b"AOKitab", b"AOKitaB")
    assert sip.respond(corrupt).data == b"96AZFEF6\r"
    assert sip.respond(b"42nonsense").data == b"96\r"


def test_malformed_and_undecodable_messages_get_a_clear_refusal(sip, patron):  # noqa: F811
    truncated = codec.decode(sip.respond(b"11NN2025").data, responses=True)
    assert truncated.command == "12" and truncated.fixed["ok"] == "0" and "truncated" in truncated.get("AF")
    bad = codec.decode(sip.respond(f"23000{DATE}AA\xff|".encode("latin-1")).data, responses=True)
    assert bad.command == "24" and "utf-8" in bad.get("AF")


def test_terminal_character_set(main, patron):  # noqa: F811
    patron.first_name, patron.last_name = "Ümid", "Şahin"
    patron.save()
    add_terminal("old-kiosk", password="pw", branch_code="MAIN", charset="cp850")
    session = handlers.Session()
    assert ask(session, "9300CNold-kiosk|COpw|").fixed["ok"] == "1"
    out = ask(session, f"23000{DATE}AOKitab|AA{patron.card_number}|", encoding="cp850")
    assert out.get("AE") == "Ümid ?ahin"  # cp850 has Ü but no Ş

"""The Users module: search, detail, register, edit, renew card, block/unblock, merge, anonymise, fines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kitab.circulation import fines, services
from kitab.circulation.models import FineEntry, Loan
from kitab.core.actor import Actor
from kitab.patrons.models import Patron, PatronBlock
from tests.patrons.factories import PatronBlockFactory, PatronCategoryFactory, PatronFactory

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")


def _register_data(main, category, **changes):  # type: ignore[no-untyped-def]
    data = {"card_number": "C-555001", "first_name": "Rəşid", "last_name": "Əliyev", "email": "r@example.org",
            "phone": "+994 50 123 45 67", "language": "az", "category": category.pk, "home_branch": main.pk,
            "date_of_birth": "1990-05-01", "address": "", "notes": "", "guarantor_card": ""}
    data.update(changes)
    return data


def test_search_by_folded_name_card_and_filters(staff_client, patron, main, east):
    PatronFactory(home_branch=east, last_name="Məmmədov", first_name="Orxan", card_number="C-900900")
    response = staff_client.get("/staff/patrons/", {"q": "Мамедова"})
    assertContains(response, "C-100200")
    assertNotContains(response, "C-900900")
    response = staff_client.get("/staff/patrons/", {"q": "mammad"})
    assertContains(response, "C-100200")
    assertContains(response, "C-900900")
    response = staff_client.get("/staff/patrons/", {"q": "mammad", "branch": east.pk})
    assertNotContains(response, "C-100200")
    assertContains(response, "C-900900")
    assertContains(staff_client.get("/staff/patrons/", {"q": "c-100200"}), "Məmmədova")
    assertContains(staff_client.get("/staff/patrons/", {"q": "nobody-like-this"}), "No patron matches")
    # a bad filter value is a form error, not a crash
    assert staff_client.get("/staff/patrons/", {"q": "x", "category": "999999"}).status_code == 200


def test_detail_shows_contacts_blocks_loans_and_fines(staff_client, patron, items, main):
    loan = services.checkout(items[0], patron, actor=DESK, at=timezone.now() - timedelta(days=30))
    PatronBlockFactory(patron=patron, reason="Lost library property")
    fines.charge(patron, Decimal("2.50"), actor=DESK, at=timezone.now(), note="Torn page")
    response = staff_client.get(f"/staff/patrons/{patron.pk}/")
    assertContains(response, "Lost library property")
    assertContains(response, "overdue item(s)")  # the automatic block
    assertContains(response, "Overdue")
    assertContains(response, str(loan.item))
    assertContains(response, "Torn page")
    assertContains(response, "2.50")


def test_register_success_and_refusal(staff_client, main):
    adult = PatronCategoryFactory(code="ADULT")
    response = staff_client.post("/staff/patrons/new/", _register_data(main, adult))
    patron = Patron.objects.get(card_number="C-555001")
    assertRedirects(response, f"/staff/patrons/{patron.pk}/", fetch_redirect_response=False)
    assert patron.expires_on > date.today()
    # the same card again: the service's message, on the form
    response = staff_client.post("/staff/patrons/new/", _register_data(main, adult, last_name="Other"))
    assertContains(response, "Card number C-555001 is already in use.")
    response = staff_client.post("/staff/patrons/new/", _register_data(main, adult, card_number="bad card!"))
    assertContains(response, "has the wrong format")
    response = staff_client.post("/staff/patrons/new/", _register_data(main, adult, card_number="C-7", guarantor_card="C-NONE1"))
    assertContains(response, "No patron has the card number C-NONE1.")
    assert Patron.objects.count() == 1


def test_register_child_needs_guarantor(staff_client, patron, main):
    child = PatronCategoryFactory(code="CHILD", name="Child", requires_guarantor=True)
    response = staff_client.post("/staff/patrons/new/", _register_data(main, child, card_number="C-777001"))
    assertContains(response, "need a guarantor")
    response = staff_client.post("/staff/patrons/new/", _register_data(main, child, card_number="C-777001",
                                                                        guarantor_card=patron.card_number))
    assert Patron.objects.get(card_number="C-777001").guarantor == patron
    assert response.status_code == 302


def test_edit_success_and_refusal(staff_client, patron, main):
    other = PatronFactory(home_branch=main, card_number="C-300300")
    page = staff_client.get(f"/staff/patrons/{patron.pk}/edit/")
    assertContains(page, 'value="C-100200"')
    data = _register_data(main, patron.category, card_number="C-100200", expires_on="2031-02-03", phone="555-1234")
    response = staff_client.post(f"/staff/patrons/{patron.pk}/edit/", data)
    assertRedirects(response, f"/staff/patrons/{patron.pk}/", fetch_redirect_response=False)
    patron.refresh_from_db()
    assert (patron.last_name, patron.expires_on, patron.phone) == ("Əliyev", date(2031, 2, 3), "555-1234")
    response = staff_client.post(f"/staff/patrons/{patron.pk}/edit/", {**data, "card_number": other.card_number})
    assertContains(response, "Card number C-300300 is already in use.")


def test_renew_card(staff_client, patron):
    response = staff_client.post(f"/staff/patrons/{patron.pk}/renew-card/")
    assertRedirects(response, f"/staff/patrons/{patron.pk}/", fetch_redirect_response=False)
    patron.refresh_from_db()
    assert patron.expires_on == date(2031, 1, 1)
    assert staff_client.get(f"/staff/patrons/{patron.pk}/renew-card/").status_code == 405


def test_block_needs_reason_then_unblock(staff_client, patron):
    response = staff_client.post(f"/staff/patrons/{patron.pk}/block/", {"reason": "  "}, follow=True)
    assertContains(response, "A block needs a reason.")
    assert not patron.blocks.exists()
    response = staff_client.post(f"/staff/patrons/{patron.pk}/block/", {"reason": "Unpaid damage"}, follow=True)
    assertContains(response, "Unpaid damage")
    block = patron.blocks.get()
    assert block.created_by == "staff:librarian"
    response = staff_client.post(f"/staff/patrons/{patron.pk}/unblock/{block.pk}/", follow=True)
    assertContains(response, "The block was lifted.")
    block.refresh_from_db()
    assert block.lifted_at is not None
    response = staff_client.post(f"/staff/patrons/{patron.pk}/unblock/{block.pk}/", follow=True)
    assertContains(response, "does not exist or was already lifted")


def test_merge_asks_for_confirmation_then_merges(supervisor_client, patron, main, items):
    duplicate = PatronFactory(home_branch=main, card_number="C-100201", first_name="Leyla", last_name="Mammadova")
    services.checkout(items[0], duplicate, actor=DESK)
    response = supervisor_client.get(f"/staff/patrons/{patron.pk}/merge/", {"other_card": "C-100201"})
    assertContains(response, "Record removed")
    assertContains(response, 'name="confirm" value="1"')
    assert Patron.objects.filter(pk=duplicate.pk).exists()
    response = supervisor_client.post(f"/staff/patrons/{patron.pk}/merge/", {"other_card": "C-100201", "confirm": "1"})
    assertRedirects(response, f"/staff/patrons/{patron.pk}/", fetch_redirect_response=False)
    assert not Patron.objects.filter(pk=duplicate.pk).exists()
    assert Loan.objects.get().patron == patron


def test_merge_refusals(supervisor_client, patron):
    assertContains(supervisor_client.get(f"/staff/patrons/{patron.pk}/merge/", {"other_card": "C-404404"}),
                   "No patron has the card number C-404404.")
    response = supervisor_client.post(f"/staff/patrons/{patron.pk}/merge/", {"other_card": patron.card_number, "confirm": "1"})
    assertContains(response, "A patron cannot be merged with itself.")


def test_anonymise_refused_with_loans_then_done(supervisor_client, patron, items):
    loan = services.checkout(items[0], patron, actor=DESK)
    assertContains(supervisor_client.get(f"/staff/patrons/{patron.pk}/anonymise/"), "cannot be undone")
    response = supervisor_client.post(f"/staff/patrons/{patron.pk}/anonymise/")
    assertContains(response, "The patron still has items on loan.")
    services.checkin(loan.item, actor=DESK)
    response = supervisor_client.post(f"/staff/patrons/{patron.pk}/anonymise/", follow=True)
    assertContains(response, "The patron record was anonymised.")
    patron.refresh_from_db()
    assert patron.is_anonymised and patron.card_number.startswith("ANON-")


def test_partial_payment_receipt_and_refusals(staff_client, patron):
    fines.charge(patron, Decimal("3.00"), actor=DESK, at=timezone.now(), note="Damaged cover")
    fines.charge(patron, Decimal("2.00"), actor=DESK, at=timezone.now(), note="Replacement card")
    url = f"/staff/patrons/{patron.pk}/fines/"
    assertContains(staff_client.post(url, {"action": "pay", "amount": "9.00"}), "9.00 is more than the")
    assertContains(staff_client.post(url, {"action": "pay", "amount": "0"}), "greater than zero")
    assertContains(staff_client.post(url, {"action": "pay", "amount": "abc"}), "Enter a number")
    response = staff_client.post(url, {"action": "pay", "amount": "4.00", "note": "cash"})
    payment = FineEntry.objects.get(kind=FineEntry.Kind.PAYMENT)
    assertRedirects(response, f"/staff/patrons/{patron.pk}/fines/receipt/{payment.pk}/", fetch_redirect_response=False)
    receipt = staff_client.get(response["Location"])
    assertContains(receipt, "Damaged cover")
    assertContains(receipt, "Balance after this receipt")
    assertContains(receipt, "1.00")
    assert fines.balance(patron) == Decimal("1.00")


def test_waive_needs_reason(staff_client, patron):
    charge = fines.charge(patron, Decimal("3.00"), actor=DESK, at=timezone.now(), note="Damaged cover")
    url = f"/staff/patrons/{patron.pk}/fines/"
    assertContains(staff_client.post(url, {"action": "waive", "entry": charge.pk, "reason": ""}),
                   "A waiver needs a reason.")
    response = staff_client.post(url, {"action": "waive", "entry": charge.pk, "reason": "Goodwill"})
    waiver = FineEntry.objects.get(kind=FineEntry.Kind.WAIVER)
    assertRedirects(response, f"/staff/patrons/{patron.pk}/fines/receipt/{waiver.pk}/", fetch_redirect_response=False)
    assertContains(staff_client.get(response["Location"]), "Goodwill")
    assertContains(staff_client.post(url, {"action": "waive", "entry": charge.pk, "reason": "Again"}),
                   "Nothing is owed on this entry.")
    assertContains(staff_client.post(url, {"action": "waive", "entry": 999999, "reason": "x"}),
                   "This fine account entry does not exist.")


def test_unknown_patron_is_404(staff_client, db):
    assert staff_client.get("/staff/patrons/999999/").status_code == 404
    assert not PatronBlock.objects.exists()


def test_desk_role_may_not_merge_or_anonymise(staff_client, patron):
    detail = staff_client.get(f"/staff/patrons/{patron.pk}/")
    assertNotContains(detail, "Anonymise")
    assertContains(detail, "Renew card")
    assertContains(staff_client.get(f"/staff/patrons/{patron.pk}/anonymise/"), "Permission needed: patrons.merge",
                   status_code=403)
    response = staff_client.post(f"/staff/patrons/{patron.pk}/merge/", {"other_card": "C-1", "confirm": "1"})
    assert response.status_code == 403


def test_staff_without_a_role_cannot_use_the_users_module(roleless_client, patron):
    for url in ["/staff/patrons/", f"/staff/patrons/{patron.pk}/", "/staff/patrons/new/"]:
        assertContains(roleless_client.get(url), "do not allow this", status_code=403)
    assert roleless_client.post(f"/staff/patrons/{patron.pk}/block/", {"reason": "x"}).status_code == 403
    assert not patron.blocks.exists()


def test_fines_page_adds_a_charge_and_a_credit(staff_client, patron):
    url = f"/staff/patrons/{patron.pk}/fines/"
    response = staff_client.post(url, {"action": "charge", "charge-amount": "4.00", "charge-note": "Torn cover"},
                                 follow=True)
    assertContains(response, "Charge of 4.00 added.")
    assertContains(response, "Torn cover")
    assertContains(staff_client.post(url, {"action": "charge", "charge-amount": "1.00", "charge-note": " "}),
                   "Say what the charge is for.")
    assertContains(staff_client.post(url, {"action": "credit", "credit-amount": "9.00", "credit-note": "Goodwill"}),
                   "is more than the 4.00 owed")
    response = staff_client.post(url, {"action": "credit", "credit-amount": "1.50", "credit-note": "Goodwill"},
                                 follow=True)
    assertContains(response, "Goodwill")
    assert fines.balance(patron) == Decimal("2.50")

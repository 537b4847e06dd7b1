"""The signed-in patron's pages: loans and renewals, holds, fines, reading history, profile; and that a patron
only ever sees their own account."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from kitab.accounts.models import ReadingHistoryEntry
from kitab.circulation import services as circulation
from kitab.circulation.models import FineEntry
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds import services as holds
from kitab.holds.models import Hold
from tests.accounts.factories import PASSWORD, patron_with_account
from tests.circulation.factories import ItemFactory, RecordFactory

pytestmark = pytest.mark.django_db
DESK = Actor(channel="staff", username="desk")


def _lend(patron, title="Leyli və Məcnun", capture=None):  # type: ignore[no-untyped-def]
    item = ItemFactory(record=RecordFactory(title=title), home_branch=patron.home_branch)
    if capture is None:
        return circulation.checkout(item, patron, actor=DESK, at=clock.now())
    with capture(execute=True):
        return circulation.checkout(item, patron, actor=DESK, at=clock.now())


def test_anonymous_visitors_go_to_the_sign_in_page(client, db):
    for url in ("/account/", "/account/loans/", "/account/holds/", "/account/fines/", "/account/history/",
                "/account/profile/", "/account/password/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/account/login/?next="), url


def test_staff_accounts_have_no_patron_account(staff_client):
    assert staff_client.get("/account/")["Location"].startswith("/account/login/")


def test_summary_shows_card_blocks_loans_and_escapes_names(patron_client, patron):
    patron.first_name = "<script>alert(1)</script>"
    patron.save()
    _lend(patron)
    page = patron_client.get("/account/").content.decode()
    assert "AB1234" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert 'aria-current="page"' in page and "<nav" in page and "<main" in page


def test_renew_one_and_all_with_the_reason_when_refused(patron_client, patron):
    loan = _lend(patron)
    response = patron_client.post(f"/account/loans/{loan.pk}/renew/", follow=True)
    assert "is renewed" in response.content.decode()
    loan.refresh_from_db()
    assert loan.renewals == 1
    assert "1 of 2" in patron_client.get("/account/loans/").content.decode()
    patron_client.post(f"/account/loans/{loan.pk}/renew/")  # the rule allows two
    # the page says beforehand why it cannot be renewed again, with no button
    page = patron_client.get("/account/loans/").content.decode()
    assert "Cannot be renewed:" in page and "No renewals left (2 of 2 used)." in page
    assert f"/account/loans/{loan.pk}/renew/" not in page
    response = patron_client.post(f"/account/loans/{loan.pk}/renew/", follow=True)  # an old form sent anyway
    assert "was not renewed" in response.content.decode()
    second = _lend(patron, "Koroğlu")
    response = patron_client.post("/account/loans/renew-all/", follow=True).content.decode()
    assert "Renewal results" in response and "Koroğlu" in response and "not renewed" in response
    second.refresh_from_db()
    assert second.renewals == 1
    from kitab.circulation.models import LoanEvent

    assert LoanEvent.objects.filter(loan=loan, actor_channel="opac", actor_name="opac:AB1234").exists()


def test_place_suspend_resume_cancel_a_hold(patron_client, patron, main_branch):
    other = patron_with_account(home_branch=main_branch)
    item = _lend(other, "Əli və Nino").item
    record = item.record
    page = patron_client.get(f"/record/{record.pk}/reserve/")
    assert page.status_code == 200 and b"pickup_branch" in page.content
    response = patron_client.post(f"/record/{record.pk}/reserve/",
                                  {"pickup_branch": main_branch.pk, "item": "", "key": "k1"}, follow=True)
    assert "number 1 in the queue" in response.content.decode()
    hold = Hold.objects.get(patron=patron)
    assert hold.position == 1 and hold.actor_channel == "opac"
    # the same form sent twice makes one hold
    patron_client.post(f"/record/{record.pk}/reserve/", {"pickup_branch": main_branch.pk, "item": "", "key": "k1"})
    assert Hold.objects.filter(patron=patron).count() == 1
    page = patron_client.get("/account/holds/").content.decode()
    assert "Place in the queue" in page and "Əli və Nino" in page
    patron_client.post(f"/account/holds/{hold.pk}/suspend/", {"until": ""})
    hold.refresh_from_db()
    assert hold.status == Hold.Status.SUSPENDED
    patron_client.post(f"/account/holds/{hold.pk}/resume/")
    hold.refresh_from_db()
    assert hold.status == Hold.Status.WAITING
    patron_client.post(f"/account/holds/{hold.pk}/cancel/")
    hold.refresh_from_db()
    assert hold.status == Hold.Status.CANCELLED


def test_hold_refusal_is_explained(patron_client, patron, main_branch):
    record = _lend(patron, "Koroğlu").item.record  # the patron has it already
    response = patron_client.post(f"/record/{record.pk}/reserve/", {"pickup_branch": main_branch.pk, "key": "k2"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not Hold.objects.filter(patron=patron).exists()


def test_ready_hold_shows_its_pickup_deadline(patron_client, patron, main_branch):
    item = ItemFactory(record=RecordFactory(title="Dədə Qorqud"), home_branch=main_branch)
    hold = holds.place_hold(patron, item.record, pickup_branch=main_branch, actor=DESK, at=clock.now())
    holds.trap_item(item, actor=DESK, at=clock.now())
    hold.refresh_from_db()
    assert hold.status == Hold.Status.READY
    page = patron_client.get("/account/holds/").content.decode()
    assert "Collect by" in page
    assert "ready for pickup" in patron_client.get("/account/").content.decode()


def test_another_patrons_loans_and_holds_are_not_found(patron_client, patron, main_branch):
    other = patron_with_account(home_branch=main_branch)
    loan = _lend(other)
    record = RecordFactory(title="Someone else's")
    ItemFactory(record=record, home_branch=main_branch)
    hold = holds.place_hold(other, record, pickup_branch=main_branch, actor=DESK, at=clock.now())
    assert patron_client.post(f"/account/loans/{loan.pk}/renew/").status_code == 404
    for action in ("cancel", "suspend", "resume"):
        assert patron_client.post(f"/account/holds/{hold.pk}/{action}/").status_code == 404
    hold.refresh_from_db()
    loan.refresh_from_db()
    assert hold.status == Hold.Status.WAITING and loan.renewals == 0
    assert "Someone else" not in patron_client.get("/account/holds/").content.decode()


def test_fines_and_their_history(patron_client, patron):
    from kitab.circulation import fines

    fines.charge(patron, Decimal("3.00"), actor=DESK, at=clock.now(), note="Damaged cover")
    fines.pay(patron, Decimal("1.00"), actor=DESK, at=clock.now())
    page = patron_client.get("/account/fines/").content.decode()
    assert "2.00" in page and "Damaged cover" in page
    assert FineEntry.objects.filter(patron=patron).count() == 2


def test_reading_history_opt_in_export_and_erase(patron_client, patron, django_capture_on_commit_callbacks):
    assert "Off." in patron_client.get("/account/history/").content.decode()
    _lend(patron, "Before opting in", django_capture_on_commit_callbacks)
    patron_client.post("/account/history/switch/", {"enabled": "1"})
    _lend(patron, "Leyli və Məcnun", django_capture_on_commit_callbacks)
    page = patron_client.get("/account/history/").content.decode()
    assert "Leyli və Məcnun" in page and "Before opting in" not in page
    csv = patron_client.get("/account/history/reading-history.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Leyli və Məcnun" in csv.content.decode("utf-8-sig")
    patron_client.post("/account/history/erase/", {})  # without the tick box nothing happens
    assert ReadingHistoryEntry.objects.count() == 1
    patron_client.post("/account/history/erase/", {"confirm": "1"})
    assert not ReadingHistoryEntry.objects.exists()
    patron_client.post("/account/history/switch/", {"enabled": "0"})
    _lend(patron, "After opting out", django_capture_on_commit_callbacks)
    assert not ReadingHistoryEntry.objects.exists()


def test_profile_changes_language_and_needs_the_password_for_a_new_email(patron_client, patron):
    data = {"email": patron.email, "phone": "+994 12 555 00 00", "address": "Bakı", "language": "tr",
            "notices": ["hold_ready"]}
    response = patron_client.post("/account/profile/", data)
    assert response.status_code == 302 and response.cookies["kitab_language"].value == "tr"
    patron.refresh_from_db()
    assert (patron.phone, patron.language) == ("+994 12 555 00 00", "tr")
    response = patron_client.post("/account/profile/", {**data, "email": "new@example.org"})
    assert response.status_code == 200
    patron.refresh_from_db()
    assert patron.email != "new@example.org"
    patron_client.post("/account/profile/", {**data, "email": "new@example.org", "current_password": PASSWORD})
    patron.refresh_from_db()
    assert patron.email == "new@example.org"


def test_account_forms_need_the_csrf_token(patron):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(patron.online_account.user, backend="kitab.accounts.backends.PatronBackend")
    loan = _lend(patron)
    assert strict.post(f"/account/loans/{loan.pk}/renew/").status_code == 403
    assert strict.post("/account/history/switch/", {"enabled": "1"}).status_code == 403
    assert strict.post("/account/profile/", {}).status_code == 403


def test_reserve_link_for_visitors_leads_back_after_signing_in(client, patron, main_branch):
    record = ItemFactory(record=RecordFactory(title="Koroğlu"), home_branch=main_branch).record
    response = client.get(f"/record/{record.pk}/reserve/")
    assert response.status_code == 302 and response["Location"] == f"/account/login/?next=%2Frecord%2F{record.pk}%2Freserve%2F"
    response = client.post(response["Location"], {"identifier": "AB1234", "password": PASSWORD,
                                                   "next": f"/record/{record.pk}/reserve/"})
    assert response["Location"] == f"/record/{record.pk}/reserve/"


def test_password_change(patron_client, patron):
    new = "a brand new library password"
    response = patron_client.post("/account/password/", {"old_password": "wrong", "new_password1": new,
                                                         "new_password2": new})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    response = patron_client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new,
                                                         "new_password2": new})
    assert response.status_code == 302
    patron.online_account.user.refresh_from_db()
    assert patron.online_account.user.check_password(new)
    assert patron_client.get("/account/").status_code == 200  # still signed in after the change

"""Circulation rules list and editor, the "what would happen" tester, and branch calendars."""

from __future__ import annotations

from datetime import date

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kitab.circulation import services
from kitab.circulation.models import (
    BranchCalendar,
    CirculationRule,
    Closure,
    ExceptionalOpening,
    SettingsChange,
)
from kitab.core.actor import Actor
from tests.circulation.factories import ItemTypeFactory
from tests.patrons.factories import PatronCategoryFactory

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")


def _rule_data(**changes):  # type: ignore[no-untyped-def]
    data = {"branch": "", "patron_category": "", "item_type": "", "loan_period": 7, "loan_unit": "days",
            "max_loans": 3, "renewals_allowed": 1, "renewal_period": "", "holds_allowed": "on", "max_holds": 2,
            "fine_per_day": "0.20", "fine_cap": "", "grace_days": 0, "lost_item_charge": "15.00"}
    data.update(changes)
    return data


def test_rules_list_shows_any(staff_client, rule, main):
    dvd = ItemTypeFactory(code="DVD", name="DVD")
    CirculationRule.objects.create(branch=main, item_type=dvd, loan_period=3, max_loans=2)
    response = staff_client.get("/staff/rules/")
    assertContains(response, ">any</span>", count=4)
    assertContains(response, "Main library")
    assertContains(response, "3 days")


def test_create_edit_and_delete_a_rule(supervisor_client, rule, main):
    dvd = ItemTypeFactory(code="DVD", name="DVD")
    response = supervisor_client.post("/staff/rules/new/", _rule_data(branch=main.pk, item_type=dvd.pk))
    assertRedirects(response, "/staff/rules/", fetch_redirect_response=False)
    created = CirculationRule.objects.get(branch=main, item_type=dvd)
    assert (created.loan_period, created.max_loans) == (7, 3)
    # the same scope again is refused by the model's unique constraint, in words
    response = supervisor_client.post("/staff/rules/new/", _rule_data(branch=main.pk, item_type=dvd.pk))
    assertContains(response, "A rule for this branch, category and item type already exists.")
    response = supervisor_client.post("/staff/rules/new/", _rule_data(loan_period=-1, max_loans="many"))
    assertContains(response, "Enter a whole number.")
    response = supervisor_client.post(f"/staff/rules/{created.pk}/edit/", _rule_data(branch=main.pk, item_type=dvd.pk,
                                                                                     max_loans=9))
    assertRedirects(response, "/staff/rules/", fetch_redirect_response=False)
    created.refresh_from_db()
    assert created.max_loans == 9
    assertContains(supervisor_client.get(f"/staff/rules/{created.pk}/delete/"), "next most specific rule")
    supervisor_client.post(f"/staff/rules/{created.pk}/delete/")
    assert not CirculationRule.objects.filter(pk=created.pk).exists()
    # saved through the service: created, changed and deleted, each with who did it, where and how
    changes = list(SettingsChange.objects.order_by("pk").values_list("action", "actor_channel"))
    assert changes == [("rule_saved", "staff"), ("rule_saved", "staff"), ("rule_deleted", "staff")]


def test_default_rule_cannot_be_deleted(supervisor_client, rule):
    response = supervisor_client.post(f"/staff/rules/{rule.pk}/delete/", follow=True)
    assertContains(response, "The default rule cannot be deleted")
    assert CirculationRule.objects.filter(pk=rule.pk).exists()


def test_tester_explains_the_rule_for_a_combination(staff_client, rule, main):
    child = PatronCategoryFactory(code="CHILD", name="Child")
    specific = CirculationRule.objects.create(branch=main, patron_category=child, loan_period=21, max_loans=4)
    response = staff_client.get("/staff/rules/test/", {"branch": main.pk, "category": child.pk, "item_type": ""})
    assertContains(response, f"Rule #{specific.pk} (branch MAIN, category CHILD, any item type) is the most specific")
    assertContains(response, "21 days")
    assertContains(response, "A loan made now is due")
    assertContains(response, "Every rule that fits")
    response = staff_client.get("/staff/rules/test/", {"branch": "", "category": "", "item_type": ""})
    assertContains(response, f"Default rule #{rule.pk}")


def test_tester_with_patron_and_item_shows_the_decision(staff_client, patron, items, main):
    response = staff_client.get("/staff/rules/test/", {"card": patron.card_number, "barcode": items[0].barcode})
    assertContains(response, "Yes.")
    services.checkout(items[0], patron, actor=DESK)
    response = staff_client.get("/staff/rules/test/", {"card": patron.card_number, "barcode": items[0].barcode})
    assertContains(response, "No.")
    assertContains(response, "is already on loan")
    assertContains(response, "<code>item_on_loan</code>")


def test_tester_bad_input_is_a_message(staff_client, rule, main):
    response = staff_client.get("/staff/rules/test/", {"card": "C-NOBODY", "barcode": "NOPE"})
    assert response.status_code == 200
    assertContains(response, "No patron has the card number C-NOBODY.")
    assertContains(response, "No item has the barcode NOPE.")
    assertContains(staff_client.get("/staff/rules/test/", {"card": "C-NOBODY"}), "Give both a patron card number")
    assertContains(staff_client.get("/staff/rules/test/", {"branch": "abc"}), "Select a valid choice")


def test_tester_reports_a_missing_default_rule(staff_client, main):
    CirculationRule.objects.all().delete()
    response = staff_client.get("/staff/rules/test/", {"branch": main.pk})
    assertContains(response, "the default rule (any branch, any category, any item type) is missing")


def test_calendar_week_and_closures(supervisor_client, main, east):
    url = "/staff/calendar/?branch=MAIN"
    page = supervisor_client.get(url)
    assertContains(page, "Calendar of Main library")
    response = supervisor_client.post(url, {"action": "week", "open_days": ["1", "2", "3", "4", "5"],
                                            "closes_at": "18:30"})
    assertRedirects(response, url, fetch_redirect_response=False)
    week = BranchCalendar.objects.get(branch=main)
    assert week.open_weekdays == "12345" and week.closes_at.hour == 18
    assertContains(supervisor_client.post(url, {"action": "week", "closes_at": "18:00"}),
                   "Choose at least one opening day.")
    response = supervisor_client.post(url, {"action": "add_closure", "branch": main.pk, "name": "Novruz",
                                            "start_date": "2026-03-20", "end_date": "2026-03-24"})
    assertRedirects(response, url, fetch_redirect_response=False)
    closure = Closure.objects.get()
    assert (closure.branch, closure.start_date) == (main, date(2026, 3, 20))
    response = supervisor_client.post(url, {"action": "add_closure", "branch": "", "name": "Backwards",
                                            "start_date": "2026-05-02", "end_date": "2026-05-01"})
    assertContains(response, "The last day cannot be before the first day.")
    # an all-branch closure shows on every branch; East does not see Main's own closure
    Closure.objects.create(name="New Year", start_date=date(2026, 12, 31), end_date=date(2027, 1, 1))
    east_page = supervisor_client.get("/staff/calendar/?branch=EAST")
    assertContains(east_page, "New Year")
    assertNotContains(east_page, "Novruz")
    response = supervisor_client.post(url, {"action": "remove_closure", "closure": closure.pk}, follow=True)
    assertContains(response, "Closure “Novruz” removed.")
    assert not Closure.objects.filter(pk=closure.pk).exists()
    response = supervisor_client.post(url, {"action": "remove_closure", "closure": "x"}, follow=True)
    assertContains(response, "This closure does not exist.")


def test_calendar_exceptional_openings(supervisor_client, main, east):
    url = "/staff/calendar/?branch=MAIN"
    supervisor_client.post(url, {"action": "week", "open_days": ["1", "2", "3", "4", "5"], "closes_at": "18:00"})
    response = supervisor_client.post(url, {"action": "add_opening", "date": "2026-06-13", "name": "Exam Saturday"},
                                      follow=True)
    assertContains(response, "Main library opens exceptionally on 06/13/2026.")
    assertContains(response, "Exam Saturday")
    opening = ExceptionalOpening.objects.get()
    assert (opening.branch, opening.date) == (main, date(2026, 6, 13))
    assertContains(supervisor_client.post(url, {"action": "add_opening", "date": "2026-06-13", "name": ""}),
                   "already opens exceptionally on 06/13/2026")
    assertContains(supervisor_client.post(url, {"action": "add_opening", "date": "soon"}), "Enter a valid date.")
    assertNotContains(supervisor_client.get("/staff/calendar/?branch=EAST"), "Exam Saturday")
    # another branch cannot remove it through its own page
    supervisor_client.post("/staff/calendar/?branch=EAST", {"action": "remove_opening", "opening": opening.pk})
    assert ExceptionalOpening.objects.exists()
    response = supervisor_client.post(url, {"action": "remove_opening", "opening": opening.pk}, follow=True)
    assertContains(response, "The exceptional opening on 06/13/2026 was removed.")
    assert not ExceptionalOpening.objects.exists()
    assert list(SettingsChange.objects.filter(action__startswith="opening").order_by("pk")
                .values_list("action", flat=True)) == ["opening_added", "opening_removed"]


def test_calendar_read_only_for_staff_without_permission(staff_client, main):
    page = staff_client.get("/staff/calendar/")
    assertContains(page, "Opening weekdays")
    assertNotContains(page, "Add a closure")

"""Every new staff page: anonymous visitors go to the login page, signed-in non-staff accounts get a 403."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from kitab.circulation.models import CirculationRule
from kitab.core.actor import OVERRIDE_ANY
from kitab.staff.actors import staff_actor


def _urls(patron_pk: int, rule_pk: int) -> list[str]:
    return [
        "/staff/patrons/", "/staff/patrons/new/", f"/staff/patrons/{patron_pk}/", f"/staff/patrons/{patron_pk}/edit/",
        f"/staff/patrons/{patron_pk}/merge/", f"/staff/patrons/{patron_pk}/anonymise/",
        f"/staff/patrons/{patron_pk}/fines/", "/staff/desk/", f"/staff/desk/patron/{patron_pk}/",
        "/staff/desk/checkin/", "/staff/desk/transits/", "/staff/rules/", "/staff/rules/new/",
        f"/staff/rules/{rule_pk}/edit/", "/staff/rules/test/", "/staff/calendar/",
    ]


def test_anonymous_visitors_go_to_login(client, patron, rule):
    for url in _urls(patron.pk, rule.pk):
        assertRedirects(client.get(url), f"/staff/login/?next={url}", fetch_redirect_response=False)
    for url in ["/staff/desk/branch/", f"/staff/desk/patron/{patron.pk}/checkout/", f"/staff/patrons/{patron.pk}/block/"]:
        response = client.post(url, {})
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_non_staff_accounts_get_403(client, patron, rule, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="reader password 1"))
    for url in _urls(patron.pk, rule.pk):
        assertContains(client.get(url), "no access to the staff interface", status_code=403)
    response = client.post(f"/staff/desk/patron/{patron.pk}/checkout/", {"barcode": "x", "key": "k"})
    assert response.status_code == 403


def test_staff_navigation_and_branch_picker(staff_client, main, east):
    response = staff_client.get("/staff/")
    for label in ["Desk", "Check in", "Patrons", "Rules", "Calendar", "Transits", "Catalogue search"]:
        assertContains(response, f">{label}</a>")
    assertContains(response, 'name="branch"')
    # the first branch by name is the default desk branch
    assertContains(response, '<option value="EAST" selected>')
    response = staff_client.post("/staff/desk/branch/", {"branch": "MAIN", "next": "/staff/desk/checkin/"})
    assertRedirects(response, "/staff/desk/checkin/", fetch_redirect_response=False)
    assertContains(staff_client.get("/staff/desk/checkin/"), "Main library")
    # an unknown branch or a foreign "next" changes nothing and goes nowhere else
    response = staff_client.post("/staff/desk/branch/", {"branch": "NOPE", "next": "https://evil.example/"})
    assertRedirects(response, "/staff/desk/", fetch_redirect_response=False)
    assert staff_client.session["kitab_staff_branch"] == "MAIN"


def test_public_pages_show_no_staff_navigation(client, db):
    assert ">Check in</a>" not in client.get("/").content.decode()


@pytest.mark.parametrize("superuser", [False, True])
def test_staff_actor_carries_branch_and_override_permission(rf, django_user_model, main, superuser):
    user = django_user_model.objects.create_user("desk", is_staff=True, is_superuser=superuser)
    request = rf.get("/")
    request.user = user
    request.session = {"kitab_staff_branch": "MAIN"}
    actor = staff_actor(request)
    assert (actor.channel, actor.user_id, actor.username, actor.branch_code) == ("staff", user.pk, "desk", "MAIN")
    assert (OVERRIDE_ANY in actor.permissions) is superuser


def test_rule_and_calendar_writes_need_rules_edit(staff_client, rule, main):
    assert staff_client.get("/staff/rules/").status_code == 200
    assert "New rule" not in staff_client.get("/staff/rules/").content.decode()
    assert staff_client.get("/staff/rules/new/").status_code == 403
    assert staff_client.post(f"/staff/rules/{rule.pk}/edit/", {"max_loans": 1}).status_code == 403
    assert staff_client.post("/staff/calendar/", {"action": "week", "open_days": ["1"]}).status_code == 403
    assert CirculationRule.objects.get(pk=rule.pk).max_loans == 5

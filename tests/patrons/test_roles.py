"""Staff roles per branch: actor_for builds the Actor with what the user holds at the desk's branch."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kitab.cli import main as cli
from kitab.core.actor import OVERRIDE_ANY
from kitab.patrons.errors import PatronError
from kitab.patrons.models import StaffAssignment, StaffRole
from kitab.patrons.roles import actor_for
from kitab.patrons.services import assign_staff_role
from kitab.staff.services import ensure_staff_user
from tests.patrons.factories import BranchFactory


@pytest.fixture
def branches(db):  # type: ignore[no-untyped-def]
    return BranchFactory(code="A"), BranchFactory(code="B")


@pytest.fixture
def make_user(django_user_model, desk):  # type: ignore[no-untyped-def]
    def make(name: str, role: str | None = None, branch: str | None = None):  # type: ignore[no-untyped-def]
        user = django_user_model.objects.create_user(name, password="x", is_staff=True)
        if role:
            assign_staff_role(user, role=role, branch_code=branch, actor=desk)
        return user

    return make


def test_the_migration_creates_the_four_roles(db):
    assert set(StaffRole.objects.values_list("code", flat=True)) >= {"desk", "cataloguer", "manager", "admin"}


def test_desk_user_overrides_only_at_their_own_branch(branches, make_user):
    user = make_user("desk-a", "desk", "A")
    at_a = actor_for(user, branch_code="A")
    at_b = actor_for(user, branch_code="B")
    assert at_a.may_override("max_loans_reached")
    assert not at_a.may_override("card_expired")
    assert "circulation.checkout" in at_a.permissions
    assert not at_b.may_override("max_loans_reached")
    assert at_b.permissions == frozenset()
    assert (at_a.channel, at_a.username, at_a.branch_code, at_a.user_id) == ("staff", "desk-a", "A", user.pk)


def test_manager_overrides_any_refusal_at_their_branch(branches, make_user):
    user = make_user("boss", "manager", "B")
    assert actor_for(user, branch_code="B").may_override("card_expired")
    assert OVERRIDE_ANY in actor_for(user, branch_code="B").permissions
    assert not actor_for(user, branch_code="A").may_override("card_expired")


def test_role_at_every_branch_and_roles_add_up(branches, make_user, desk):
    user = make_user("roaming", "cataloguer")
    assign_staff_role(user, role="desk", branch_code="A", actor=desk)
    at_a, at_b = actor_for(user, branch_code="A"), actor_for(user, branch_code="B")
    assert {"catalogue.edit", "circulation.checkout"} <= at_a.permissions
    assert "catalogue.edit" in at_b.permissions and "circulation.checkout" not in at_b.permissions


def test_admin_role_and_superuser_hold_everything_everywhere(branches, make_user, django_user_model):
    admin = make_user("root", "admin")
    superuser = django_user_model.objects.create_superuser("su", password="x")
    for user in (admin, superuser):
        actor = actor_for(user, branch_code="B", channel="api")
        assert actor.channel == "api"
        assert {"rules.edit", "patrons.merge", "system.admin", OVERRIDE_ANY} <= actor.permissions
        assert actor.may_override("fines_over_limit")


def test_inactive_user_holds_nothing(branches, make_user):
    user = make_user("gone", "manager", "A")
    user.is_active = False
    assert actor_for(user, branch_code="A").permissions == frozenset()


def test_assigning_twice_keeps_one_row_and_unknown_codes_are_refused(branches, make_user, desk):
    user = make_user("twice", "desk", "A")
    assign_staff_role(user, role="desk", branch_code="A", actor=desk)
    assert StaffAssignment.objects.filter(user=user).count() == 1
    with pytest.raises(PatronError) as role:
        assign_staff_role(user, role="janitor", branch_code="A", actor=desk)
    with pytest.raises(PatronError) as branch:
        assign_staff_role(user, role="desk", branch_code="NOPE", actor=desk)
    assert (role.value.code, branch.value.code) == ("unknown_role", "unknown_branch")


def test_ensure_staff_user_gives_the_role(branches, django_user_model):
    ensure_staff_user("newdesk", password="secret pass", role="desk", branch_code="A")
    user = django_user_model.objects.get(username="newdesk")
    assert actor_for(user, branch_code="A").may_override("max_loans_reached")


def test_createstaff_cli_with_role_and_branch(branches, django_user_model):
    runner = CliRunner()
    result = runner.invoke(cli, ["createstaff", "clerk", "--password", "pw12345678", "--role", "manager",
                                 "--branch", "B"])
    assert result.exit_code == 0, result.output
    user = django_user_model.objects.get(username="clerk")
    assert actor_for(user, branch_code="B").may_override("card_expired")
    bad = runner.invoke(cli, ["createstaff", "clerk2", "--password", "pw12345678", "--role", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output
    assert not django_user_model.objects.filter(username="clerk2").exists()

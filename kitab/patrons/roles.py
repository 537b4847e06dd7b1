"""Staff roles and the Actor an adapter builds for a staff user at a branch.

Roles are data (StaffRole rows, the four defaults created by a migration); each names permission codes from
PERMISSIONS. A StaffAssignment gives a user a role at one branch or at all of them, so a user's permissions
depend on where they work: `actor_for(user, branch_code=...)` is the one place that works them out.

Override permissions reach Actor.may_override as `override:<code>`: `circulation.override` becomes
OVERRIDE_ANY, and `circulation.override.<refusal code>` overrides that refusal only. `system.admin`, like a
Django superuser, holds every permission everywhere.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kitab.core.actor import OVERRIDE_ANY, Actor

from .models import StaffAssignment

OVERRIDE = "circulation.override"
OVERRIDE_PREFIX = OVERRIDE + "."
SYSTEM_ADMIN = "system.admin"

# Every permission code a role may hold, with what it allows (shown to administrators).
PERMISSIONS: dict[str, Any] = {
    "circulation.checkout": _("Check items out and in, renew loans, receive transfers"),
    OVERRIDE: _("Override every overridable circulation refusal"),
    "circulation.override.max_loans_reached": _("Lend past the maximum number of loans"),
    "patrons.view": _("Look up patrons"),
    "patrons.edit": _("Register patrons, change their details, renew cards, block and unblock"),
    "patrons.merge": _("Merge duplicate patrons and anonymise patrons"),
    "patrons.import": _("Import and export patrons"),
    "fines.manage": _("Take payments, waive and charge fines"),
    "catalogue.edit": _("Edit and import catalogue records and items"),
    "rules.edit": _("Change circulation rules and branch calendars"),
    SYSTEM_ADMIN: _("Everything, including staff accounts and roles"),
}

# The roles the migration creates: code -> (name, permissions). Libraries may change them or add their own.
DEFAULT_ROLES: dict[str, tuple[str, list[str]]] = {
    "desk": ("Circulation desk", ["circulation.checkout", "circulation.override.max_loans_reached",
                                  "patrons.view", "patrons.edit", "fines.manage"]),
    "cataloguer": ("Cataloguer", ["catalogue.edit", "patrons.view"]),
    "manager": ("Branch manager", ["circulation.checkout", OVERRIDE, "patrons.view", "patrons.edit",
                                   "patrons.merge", "patrons.import", "fines.manage", "catalogue.edit",
                                   "rules.edit"]),
    "admin": ("System administrator", [SYSTEM_ADMIN]),
}


def actor_permissions(codes: set[str]) -> frozenset[str]:
    """Role permission codes plus the `override:` forms Actor.may_override reads."""
    if SYSTEM_ADMIN in codes:
        codes = codes | set(PERMISSIONS)
    granted = set(codes)
    for code in codes:
        if code == OVERRIDE:
            granted.add(OVERRIDE_ANY)
        elif code.startswith(OVERRIDE_PREFIX):
            granted.add("override:" + code.removeprefix(OVERRIDE_PREFIX))
    return frozenset(granted)


def permissions_at(user: Any, branch_code: str | None) -> set[str]:
    """The permission codes `user` holds at `branch_code` (None: only roles held at every branch)."""
    if user is None or not getattr(user, "is_active", False):
        return set()
    if user.is_superuser:
        return {SYSTEM_ADMIN}
    where = Q(branch__isnull=True) | Q(branch__code=branch_code) if branch_code else Q(branch__isnull=True)
    codes: set[str] = set()
    for permissions in StaffAssignment.objects.filter(where, user=user).values_list("role__permissions", flat=True):
        codes.update(permissions)
    return codes


def actor_for(user: Any, *, branch_code: str | None, channel: str = "staff") -> Actor:
    """The Actor for `user` working at `branch_code`, with the permissions the user holds there
    (roles assigned at that branch or at every branch; a superuser holds all)."""
    return Actor(channel=channel, user_id=user.pk, username=user.get_username(), branch_code=branch_code,
                 permissions=actor_permissions(permissions_at(user, branch_code)))

"""Who is working at the desk, and where: the staff member's desk branch (kept in the session), the Actor every
staff view passes to the services, and the permission check each view makes before calling one.

Permissions come from the staff roles (kitab.patrons.roles): a role held at the desk branch or at every branch
counts, and a Django superuser holds every permission.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kitab.core.actor import Actor
from kitab.items.models import Branch
from kitab.patrons.roles import actor_for

SESSION_BRANCH = "kitab_staff_branch"


# One page asks for the desk branch and the staff member's permissions several times (the decorator, the
# view, the header): they are read once per request and kept on it.
_BRANCH_MEMO = "_kitab_desk_branch"
_ACTOR_MEMO = "_kitab_staff_actor"


def desk_branch(request: HttpRequest) -> Branch | None:
    """The branch chosen in the header's branch picker, else the first branch (None when there is none)."""
    code = request.session.get(SESSION_BRANCH)
    memo = getattr(request, _BRANCH_MEMO, None)
    if memo is not None and memo[0] == code:
        return memo[1]  # type: ignore[no-any-return]
    branch = Branch.objects.filter(code=code).first() if code else None
    branch = branch or Branch.objects.order_by("name", "code").first()
    setattr(request, _BRANCH_MEMO, (code, branch))
    return branch


def set_desk_branch(request: HttpRequest, branch: Branch) -> None:
    request.session[SESSION_BRANCH] = branch.code


def staff_actor(request: HttpRequest, branch: Branch | None = None) -> Actor:
    """The Actor for the signed-in staff member at their desk branch (or `branch`), with the permissions their
    roles give them there."""
    branch = branch or desk_branch(request)
    code = branch.code if branch else None
    memo = getattr(request, _ACTOR_MEMO, None)
    if memo is not None and memo[0] == (request.user.pk, code):
        return memo[1]  # type: ignore[no-any-return]
    actor = actor_for(request.user, branch_code=code)
    setattr(request, _ACTOR_MEMO, ((request.user.pk, code), actor))
    return actor


def requires(permission: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse the view (403 page that says why) unless the staff member holds `permission` at the desk branch.
    Goes inside staff_required, which has already sent anonymous and non-staff visitors away."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if permission not in staff_actor(request).permissions:
                return render(request, "staff/no_permission.html", {"permission": permission}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def holds(request: HttpRequest, permission: str) -> bool:
    return permission in staff_actor(request).permissions

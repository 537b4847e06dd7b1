"""The scopes an application token may hold: one per kind of object and access (read or write).

An endpoint names the scope each HTTP method needs (`ApiView.required_scopes`). A token caller needs that scope
*and* the staff permission the endpoint names, which comes from the roles of the token's owner: a scope narrows
what the owner may do, it never adds to it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCOPES: dict[str, str] = {
    "search:read": _("Search the catalogue (without the anonymous rate limit)"),
    "records:read": _("Read bibliographic records and their MARC"),
    "records:write": _("Delete bibliographic records"),
    "items:read": _("Read copies and their status"),
    "items:write": _("Change copies (no endpoint uses it yet)"),
    "patrons:read": _("Find and read patrons"),
    "patrons:write": _("Register patrons and change their details"),
    "loans:read": _("Read a patron's loans"),
    "loans:write": _("Check out, check in and renew"),
    "holds:read": _("Read holds"),
    "holds:write": _("Place and cancel holds"),
}
#: `--scope all` on the command line stands for every scope.
ALL = "all"


def parse_scopes(values: list[str] | tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The known scopes named in `values` (each may be a comma-separated list; "all" is every scope), in the
    table's order, and the unknown names."""
    named: set[str] = set()
    for value in values:
        named.update(part.strip() for part in value.split(",") if part.strip())
    if ALL in named:
        named.discard(ALL)
        named.update(SCOPES)
    unknown = sorted(named - set(SCOPES))
    return [scope for scope in SCOPES if scope in named], unknown

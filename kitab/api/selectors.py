"""Reading application tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import ApiError
from .models import ApiApplication
from .services import TOKEN_PREFIX, digest


def applications(*, include_revoked: bool = False) -> QuerySet[ApiApplication]:
    found = ApiApplication.objects.select_related("owner").order_by("name", "pk")
    return found if include_revoked else found.filter(revoked_at__isnull=True)


def application_for_key(key: str) -> ApiApplication | None:
    """The application a presented token belongs to (revoked and expired ones too: the caller says why)."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    return ApiApplication.objects.select_related("owner").filter(key_digest=digest(key)).first()


def live_application(name_or_prefix: str) -> ApiApplication:
    """The live token with this name, or whose token starts with this prefix (as `api-token list` shows it).

    Raises ApiError not_found."""
    value = name_or_prefix.strip()
    found = applications().filter(name=value).first()
    if found is None and value.startswith(TOKEN_PREFIX) and len(value) >= len(TOKEN_PREFIX) + 4:
        matches = list(applications().filter(prefix__startswith=value[:14]))
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise ApiError("not_found", _("There is no live API token %(name)s.") % {"name": value})
    return found

"""Application tokens: create, revoke, and note their use. Adapters (the CLI, the API) call these only."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kitab.core.actor import Actor

from .errors import ApiError
from .models import ApiApplication
from .scopes import SCOPES

#: Every token starts with this, so secret scanners and people recognise a Kitab token.
TOKEN_PREFIX = "kitab_"
#: last_used_at is written at most this often per token: a busy client must not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest(key: str) -> str:
    """What is stored of a token. The keys are 256 random bits, so a fast hash is safe (no guessing)."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    application: ApiApplication
    key: str  # shown once; only its digest is kept


@transaction.atomic
def create_application(*, name: str, owner_username: str, scopes: list[str], actor: Actor, at: datetime,
                       expires_at: datetime | None = None) -> IssuedToken:
    """A new application token acting as the staff account `owner_username`, limited to `scopes`.

    Raises ApiError: missing_field (no name), unknown_user (no active staff account of that name), no_scope,
    unknown_scope, invalid_expiry (not in the future), name_taken (a live token has that name).
    """
    name = name.strip()
    if not name:
        raise ApiError("missing_field", _("An application needs a name."))
    owner = get_user_model().objects.filter(username=owner_username, is_active=True, is_staff=True).first()
    if owner is None:
        raise ApiError("unknown_user", _("There is no active staff account %(username)s.")
                       % {"username": owner_username})
    if not scopes:
        raise ApiError("no_scope", _("Name at least one scope."))
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ApiError("unknown_scope", _("Unknown scope: %(scopes)s. Known scopes: %(known)s.")
                       % {"scopes": ", ".join(unknown), "known": ", ".join(SCOPES)})
    if expires_at is not None and expires_at <= at:
        raise ApiError("invalid_expiry", _("The expiry date must be in the future."))
    if ApiApplication.objects.filter(name=name, revoked_at__isnull=True).exists():
        raise ApiError("name_taken", _("A live token is already named %(name)s; revoke it first or choose "
                                       "another name.") % {"name": name})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            application = ApiApplication.objects.create(
                name=name, owner=owner, scopes=[s for s in SCOPES if s in scopes], prefix=key[:14],
                key_digest=digest(key), created_at=at, created_by=actor.label(), expires_at=expires_at)
    except IntegrityError:  # another process took the name between the check and the insert
        raise ApiError("name_taken", _("A live token is already named %(name)s; revoke it first or choose "
                                       "another name.") % {"name": name}) from None
    return IssuedToken(application, key)


@transaction.atomic
def revoke_application(application: ApiApplication, *, actor: Actor, at: datetime) -> ApiApplication:
    """Stop the token working at once. Revoking a revoked token changes nothing (and says so).

    Raises ApiError: already_revoked."""
    application = ApiApplication.objects.select_for_update().get(pk=application.pk)
    if application.revoked_at is not None:
        raise ApiError("already_revoked", _("The token %(name)s was already revoked.") % {"name": application.name})
    application.revoked_at = at
    application.revoked_by = actor.label()
    application.save(update_fields=["revoked_at", "revoked_by"])
    return application


def record_use(application: ApiApplication, *, at: datetime) -> None:
    """Note that the token was used at `at` (to the minute: at most one write a minute per token)."""
    if application.last_used_at is not None and at - application.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiApplication.objects.filter(pk=application.pk).update(last_used_at=at)
    application.last_used_at = at

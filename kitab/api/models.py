"""Application tokens: one per program that calls the API (a self-check kiosk, a discovery layer, a script).

The secret is shown once, when the token is created, and only its SHA-256 digest is stored: a copy of the
database does not give anyone access. The token acts as its owner (a staff account), narrowed to its scopes.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiApplication(models.Model):
    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_applications",
                              verbose_name=_("owner"))
    scopes = models.JSONField(_("scopes"), default=list)
    #: The first characters of the token, shown in listings so an operator can tell tokens apart.
    prefix = models.CharField(_("token prefix"), max_length=16)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    created_by = models.CharField(_("created by"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.CharField(_("revoked by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("API application")
        verbose_name_plural = _("API applications")
        ordering = ("name", "pk")
        constraints = [
            # A name may be reused once the token that had it is revoked.
            models.UniqueConstraint(fields=["name"], condition=Q(revoked_at__isnull=True),
                                    name="api_application_live_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def refusal_at(self, at: datetime) -> str | None:
        """Why the token cannot be used at `at` ("token_revoked", "token_expired", "owner_inactive"), or None."""
        if self.revoked_at is not None:
            return "token_revoked"
        if self.expires_at is not None and self.expires_at <= at:
            return "token_expired"
        if not self.owner.is_active:
            return "owner_inactive"
        return None

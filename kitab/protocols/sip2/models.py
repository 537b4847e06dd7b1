"""Self-check terminal accounts: the login a SIP2 terminal sends (93), bound to the branch it stands in."""

from __future__ import annotations

import codecs

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_charset(value: str) -> None:
    if not value:
        return
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValidationError(
            _("Unknown character set: %(value)s"), params={"value": value}, code="invalid_charset"
        ) from None


class SipTerminal(models.Model):
    login = models.CharField(_("login user id"), max_length=64, unique=True)
    password = models.CharField(_("password"), max_length=128)  # a Django password hash, never the password
    branch = models.ForeignKey(
        "items.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    charset = models.CharField(
        _("character set"),
        max_length=32,
        blank=True,
        validators=[validate_charset],
        help_text=_("Empty means the server's character set (e.g. utf-8, cp850)."),
    )

    class Meta:
        verbose_name = _("SIP2 terminal")
        verbose_name_plural = _("SIP2 terminals")
        ordering = ["login"]

    def __str__(self) -> str:
        return self.login

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)


class SipReplay(models.Model):
    """The response to a write the terminal may resend (Renew, Renew All, Fee Paid), kept so that the same
    message sent again, over this connection or a new one, gets the first response instead of renewing or
    paying twice. Checkout, Checkin and Hold use the circulation and holds services' own idempotency keys."""

    terminal = models.ForeignKey(SipTerminal, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True)
    command = models.CharField(max_length=2)
    response = models.BinaryField(default=b"")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["terminal", "created_at"])]

"""Remote catalogues (Z39.50 and SRU targets) that copy cataloguing searches and imports records from."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RemoteTarget(models.Model):
    """One remote catalogue: where it is, how to ask it, and how to read what it sends back."""

    class Protocol(models.TextChoices):
        Z3950 = "z3950", _("Z39.50")
        SRU = "sru", _("SRU")

    class Syntax(models.TextChoices):
        USMARC = "usmarc", _("MARC 21 (ISO 2709)")
        XML = "xml", _("MARCXML")

    class Encoding(models.TextChoices):
        AUTO = "auto", _("As the records say (leader/09), repaired when wrong")
        UTF8 = "utf-8", _("UTF-8, whatever leader/09 says")
        MARC8 = "marc-8", _("MARC-8, whatever leader/09 says")

    name = models.CharField(_("name"), max_length=100, unique=True)
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.Z3950)
    host = models.CharField(_("host"), max_length=255)
    port = models.PositiveIntegerField(
        _("port"), default=210, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    database = models.CharField(
        _("database or path"), max_length=255, blank=True,
        help_text=_("Z39.50: the database name (e.g. Default). SRU: the path of the endpoint (e.g. /sru)."),
    )
    record_syntax = models.CharField(
        _("record syntax"), max_length=8, choices=Syntax.choices, default=Syntax.USMARC,
        help_text=_("Z39.50 only; SRU targets are always asked for MARCXML."),
    )
    encoding = models.CharField(
        _("character encoding"), max_length=8, choices=Encoding.choices, default=Encoding.AUTO,
        help_text=_("For ISO 2709 records whose leader/09 cannot be trusted."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("remote target")
        verbose_name_plural = _("remote targets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        """host:port/database, as shown to staff."""
        return f"{self.host}:{self.port}/{self.database.lstrip('/')}"

    @property
    def wire_format(self) -> str:
        """What the records arrive as: "iso2709" or "marcxml"."""
        if self.protocol == self.Protocol.SRU or self.record_syntax == self.Syntax.XML:
            return "marcxml"
        return "iso2709"

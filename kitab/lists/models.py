"""Patron lists: named collections of records, private to their owner or public behind an unguessable link.

The cart is not stored here: it lives in the visitor's session (kitab.lists.cart).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX = 120
NOTES_MAX = 2000


def new_share_token() -> str:
    return secrets.token_urlsafe(16)


class PatronList(models.Model):
    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="lists",
                               verbose_name=_("patron"))
    name = models.CharField(_("name"), max_length=NAME_MAX)
    notes = models.TextField(_("notes"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    # The public link carries this token, never the id: ids can be counted through, tokens cannot.
    share_token = models.CharField(max_length=32, unique=True, default=new_share_token, editable=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("list")
        verbose_name_plural = _("lists")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["patron", "name"], name="lists_unique_name_per_patron")]

    def __str__(self) -> str:
        return self.name


class ListEntry(models.Model):
    patron_list = models.ForeignKey(PatronList, on_delete=models.CASCADE, related_name="entries")
    record = models.ForeignKey("catalogue.Record", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["patron_list", "record"], name="lists_unique_record")]

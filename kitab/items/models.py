"""Physical copies and where they live."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Branch(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ItemType(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("item type")
        verbose_name_plural = _("item types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        ON_LOAN = "on_loan", _("On loan")
        IN_TRANSIT = "in_transit", _("In transit")
        ON_HOLD_SHELF = "on_hold_shelf", _("On the hold shelf")
        NOT_FOR_LOAN = "not_for_loan", _("Not for loan")
        LOST = "lost", _("Lost")
        DAMAGED = "damaged", _("Damaged")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    record = models.ForeignKey("catalogue.Record", on_delete=models.CASCADE, related_name="items")
    barcode = models.CharField(_("barcode"), max_length=64, unique=True, null=True, blank=True)
    home_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("home branch"))
    holding_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("current branch")
    )
    location = models.CharField(_("shelving location"), max_length=100, blank=True)
    call_number = models.CharField(_("call number"), max_length=200, blank=True)
    item_type = models.ForeignKey(ItemType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("item type"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    price = models.CharField(_("price"), max_length=32, blank=True)
    source_tag = models.CharField(max_length=3, blank=True, help_text="MARC tag the copy was imported from")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        indexes = [models.Index(fields=["record", "status"])]

    def __str__(self) -> str:
        return self.barcode or f"item #{self.pk}"

    def is_available(self) -> bool:
        return self.status == self.Status.AVAILABLE

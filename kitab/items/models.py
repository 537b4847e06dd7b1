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
    acquisition_source = models.CharField(_("acquisition source"), max_length=200, blank=True)
    source_tag = models.CharField(max_length=3, blank=True, help_text="MARC tag the copy was imported from")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    # Why the copy is withdrawn, lost or damaged, and who said so when (set by kitab.items.services).
    status_note = models.CharField(_("status note"), max_length=255, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.CharField(_("status changed by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        indexes = [models.Index(fields=["record", "status"]), models.Index(fields=["call_number"]),
                   models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.barcode or f"item #{self.pk}"

    def is_available(self) -> bool:
        return self.status == self.Status.AVAILABLE


class BarcodePattern(models.Model):
    """How new barcodes are made: prefix + (branch code) + zero-padded sequence number (+ check digit).

    One counter per pattern, so a barcode is never handed out twice even with the branch code left out; the
    allocation (kitab.items.services.allocate_barcodes) also skips numbers someone has typed in by hand.
    """

    class CheckDigit(models.TextChoices):
        NONE = "none", _("None")
        MOD10 = "mod10", _("Modulus 10 (Luhn)")
        MOD11 = "mod11", _("Modulus 11 (X for ten)")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(_("prefix"), max_length=16, blank=True)
    include_branch = models.BooleanField(_("include the branch code"), default=False)
    width = models.PositiveSmallIntegerField(_("digits in the sequence number"), default=6)
    check_digit = models.CharField(_("check digit"), max_length=8, choices=CheckDigit.choices,
                                   default=CheckDigit.NONE)
    next_number = models.PositiveBigIntegerField(_("next sequence number"), default=1)
    is_default = models.BooleanField(_("default pattern"), default=False)

    class Meta:
        verbose_name = _("barcode pattern")
        verbose_name_plural = _("barcode patterns")
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name

"""Holds (reservations): the queue of patrons waiting for a record or one copy of it, and per-branch settings."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kitab.circulation.models import AuditFields

DEFAULT_SHELF_DAYS = 7


class HoldSettings(models.Model):
    """Hold settings of one branch; the row without a branch holds the defaults for every other branch."""

    branch = models.ForeignKey("items.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    pickup_allowed = models.BooleanField(_("pickup location"), default=True,
                                         help_text=_("Patrons may choose this branch to collect holds."))
    accepts_transfers = models.BooleanField(
        _("accepts copies from other branches"), default=True,
        help_text=_("Copies returned at other branches may be sent here to fill holds; otherwise only copies "
                    "checked in here fill holds collected here."))
    shelf_days = models.PositiveIntegerField(
        _("days on the hold shelf"), default=DEFAULT_SHELF_DAYS,
        help_text=_("The patron may collect the item until the next open day after this many days."))

    class Meta:
        verbose_name = _("hold settings")
        verbose_name_plural = _("hold settings")
        constraints = [models.UniqueConstraint(Coalesce("branch", 0), name="hold_settings_unique_branch")]

    def __str__(self) -> str:
        return str(self.branch) if self.branch_id else str(_("All branches"))


class HoldQuerySet(models.QuerySet["Hold"]):
    def active(self) -> HoldQuerySet:
        """Not finished: queued, on the way, or on the hold shelf."""
        return self.filter(status__in=Hold.ACTIVE)

    def queued(self) -> HoldQuerySet:
        """Still waiting for a copy (suspended ones keep their place)."""
        return self.filter(status__in=Hold.QUEUED)

    def eligible(self, on: date) -> HoldQuerySet:
        """Waiting for a copy now: waiting, or suspended until a date that has come."""
        return self.filter(Q(status=Hold.Status.WAITING)
                           | Q(status=Hold.Status.SUSPENDED, suspended_until__isnull=False,
                               suspended_until__lte=on))


class Hold(AuditFields):
    """One patron waiting for a record (any copy) or for one copy (`item`). The audit fields say who placed it.

    `position` orders the queue of a record (1 is next); it is 0 once the hold has left the queue (a copy was
    trapped for it, or it ended). `trapped_item` is the copy set aside for the patron.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SUSPENDED = "suspended", _("Suspended")
        IN_TRANSIT = "in_transit", _("In transit")
        READY = "ready", _("Ready for pickup")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    QUEUED = (Status.WAITING, Status.SUSPENDED)
    TRAPPED = (Status.IN_TRANSIT, Status.READY)
    ACTIVE = QUEUED + TRAPPED

    patron = models.ForeignKey("patrons.Patron", on_delete=models.PROTECT, related_name="holds",
                               verbose_name=_("patron"))
    record = models.ForeignKey("catalogue.Record", on_delete=models.CASCADE, related_name="holds",
                               verbose_name=_("record"))
    item = models.ForeignKey("items.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("requested copy"))
    pickup_branch = models.ForeignKey("items.Branch", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("pickup branch"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.WAITING)
    position = models.PositiveIntegerField(_("queue position"), default=0)
    placed_at = models.DateTimeField(_("placed"))
    expires_at = models.DateTimeField(_("expires if not filled"), null=True, blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True,
                                       help_text=_("The hold is active again from this date; empty means until "
                                                   "it is resumed."))
    trapped_item = models.ForeignKey("items.Item", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("copy set aside"))
    trapped_at = models.DateTimeField(_("copy set aside at"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready since"), null=True, blank=True)
    pickup_deadline = models.DateTimeField(_("collect by"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    loan = models.ForeignKey("circulation.Loan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("loan"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.CharField(_("cancelled by"), max_length=200, blank=True)
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    # True when it expired on the hold shelf (not collected), False when it was never filled.
    expired_uncollected = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)

    objects = HoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        indexes = [models.Index(fields=["record", "status", "position"]), models.Index(fields=["patron", "status"]),
                   models.Index(fields=["pickup_branch", "status"])]
        constraints = [
            # One live hold per patron and record, and a copy set aside for one hold at a time: the last line
            # of defence if two desks trap the same copy at once.
            models.UniqueConstraint(fields=["patron", "record"],
                                    condition=Q(status__in=["waiting", "suspended", "in_transit", "ready"]),
                                    name="one_active_hold_per_patron_record"),
            models.UniqueConstraint(fields=["trapped_item"], condition=Q(status__in=["in_transit", "ready"]),
                                    name="one_trap_per_item"),
        ]

    def __str__(self) -> str:
        return f"hold #{self.pk}"

    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def is_eligible(self, on: date) -> bool:
        """Waiting for a copy now (see HoldQuerySet.eligible)."""
        return self.status == self.Status.WAITING or (
            self.status == self.Status.SUSPENDED and self.suspended_until is not None and self.suspended_until <= on)

    def is_past_pickup(self, at: datetime) -> bool:
        return self.status == self.Status.READY and self.pickup_deadline is not None and self.pickup_deadline < at


class HoldEvent(AuditFields):
    """One change of a hold: its audit trail (written by services._set_status only)."""

    hold = models.ForeignKey(Hold, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

"""Loans and their audit trail, circulation rules, branch calendars, transfers, and the fine ledger."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kitab.core.actor import Actor

MONEY = {"max_digits": 10, "decimal_places": 2}


class AuditFields(models.Model):
    """Who did it, through which channel (from the Actor)."""

    actor_channel = models.CharField(_("channel"), max_length=16, blank=True)
    actor_name = models.CharField(_("by"), max_length=200, blank=True)
    actor_branch = models.CharField(_("at branch"), max_length=32, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def audit(actor: Actor) -> dict[str, str]:
        return {"actor_channel": actor.channel, "actor_name": actor.label(), "actor_branch": actor.branch_code or ""}


class CirculationRule(models.Model):
    """One row of the circulation matrix. Empty branch / category / item type means "any".

    policy.rule_for picks the most specific row (see its docstring for the order). Exactly one rule per
    combination, enforced on the coalesced keys because SQL treats NULLs as distinct.
    """

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        HOURS = "hours", _("hours")

    branch = models.ForeignKey("items.Branch", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("branch"))
    patron_category = models.ForeignKey("patrons.PatronCategory", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="+", verbose_name=_("patron category"))
    item_type = models.ForeignKey("items.ItemType", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("item type"))
    loan_period = models.PositiveIntegerField(_("loan period"), default=14,
                                              help_text=_("0 means items matching this rule cannot be borrowed."))
    loan_unit = models.CharField(_("loan period unit"), max_length=5, choices=Unit.choices, default=Unit.DAYS)
    max_loans = models.PositiveIntegerField(_("maximum loans"), default=10)
    renewals_allowed = models.PositiveIntegerField(_("renewals allowed"), default=2)
    renewal_period = models.PositiveIntegerField(_("renewal period"), null=True, blank=True,
                                                 help_text=_("Empty means the loan period."))
    holds_allowed = models.BooleanField(_("holds allowed"), default=True)
    max_holds = models.PositiveIntegerField(_("maximum holds"), default=5)
    fine_per_day = models.DecimalField(_("fine per overdue day"), default=Decimal(0), **MONEY)
    fine_cap = models.DecimalField(_("fine cap per loan"), null=True, blank=True, **MONEY)
    grace_days = models.PositiveIntegerField(_("grace period (days)"), default=0)
    lost_item_charge = models.DecimalField(_("lost item charge"), default=Decimal(0), **MONEY)

    class Meta:
        verbose_name = _("circulation rule")
        verbose_name_plural = _("circulation rules")
        constraints = [
            models.UniqueConstraint(Coalesce("branch", 0), Coalesce("patron_category", 0), Coalesce("item_type", 0),
                                    name="circulation_rule_unique_scope"),
        ]

    def __str__(self) -> str:
        return f"rule #{self.pk}"

    @property
    def specificity(self) -> int:
        """Branch outweighs category, which outweighs item type (4 + 2 + 1)."""
        return (4 if self.branch_id else 0) + (2 if self.patron_category_id else 0) + (1 if self.item_type_id else 0)

    def effective_renewal_period(self) -> int:
        return self.renewal_period if self.renewal_period is not None else self.loan_period


ALL_WEEKDAYS = "1234567"  # ISO weekdays, Monday = 1


class BranchCalendar(models.Model):
    """Opening days and closing time of one branch. A branch without a row opens every day, closing at 20:00."""

    branch = models.OneToOneField("items.Branch", on_delete=models.CASCADE, related_name="calendar",
                                  verbose_name=_("branch"))
    open_weekdays = models.CharField(_("opening weekdays"), max_length=7, default=ALL_WEEKDAYS,
                                     help_text=_("ISO weekday numbers, Monday = 1, e.g. 123456."))
    closes_at = models.TimeField(_("closes at"), default=time(20, 0))

    class Meta:
        verbose_name = _("branch calendar")
        verbose_name_plural = _("branch calendars")

    def __str__(self) -> str:
        return str(self.branch)


class Closure(models.Model):
    """A holiday: one date or a range of dates (inclusive). No branch means every branch."""

    branch = models.ForeignKey("items.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="closure_range_ordered")]

    def __str__(self) -> str:
        return self.name


class ExceptionalOpening(models.Model):
    """The branch opens on a day it would otherwise be closed (a weekday off or a holiday)."""

    branch = models.ForeignKey("items.Branch", on_delete=models.CASCADE, related_name="+", verbose_name=_("branch"))
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exceptional opening")
        verbose_name_plural = _("exceptional openings")
        constraints = [models.UniqueConstraint(fields=["branch", "date"], name="exceptional_opening_unique")]

    def __str__(self) -> str:
        return self.name or str(self.date)


class LoanQuerySet(models.QuerySet["Loan"]):
    def current(self) -> LoanQuerySet:
        """Items in the patron's hands."""
        return self.filter(status=Loan.Status.ON_LOAN)

    def open(self) -> LoanQuerySet:
        """Not settled yet: on loan, or lost and not returned."""
        return self.filter(status__in=[Loan.Status.ON_LOAN, Loan.Status.LOST])


class Loan(models.Model):
    class Status(models.TextChoices):
        # NEW only exists in memory: checkout builds the loan and transitions.apply saves it as on_loan.
        NEW = "new", _("New")
        ON_LOAN = "on_loan", _("On loan")
        RETURNED = "returned", _("Returned")
        LOST = "lost", _("Lost")

    item = models.ForeignKey("items.Item", on_delete=models.PROTECT, related_name="loans", verbose_name=_("item"))
    patron = models.ForeignKey("patrons.Patron", on_delete=models.PROTECT, related_name="loans",
                               verbose_name=_("patron"))
    branch = models.ForeignKey("items.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("issued at branch"))
    issued_at = models.DateTimeField(_("issued"))
    due_at = models.DateTimeField(_("due"))
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_branch = models.ForeignKey("items.Branch", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("returned at branch"))
    lost_at = models.DateTimeField(_("declared lost"), null=True, blank=True)
    renewals = models.PositiveIntegerField(_("renewals"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    override_code = models.CharField(_("overridden refusal"), max_length=40, blank=True)
    # The item's status before an overridden loan (a reference copy lent out): it goes back to it on return.
    prior_item_status = models.CharField(max_length=16, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    return_idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [models.Index(fields=["patron", "status"]), models.Index(fields=["status", "due_at"])]
        constraints = [
            # The last line of defence against a double checkout: one current loan per item.
            models.UniqueConstraint(fields=["item"], condition=Q(status="on_loan"), name="one_current_loan_per_item"),
        ]

    def __str__(self) -> str:
        return f"loan #{self.pk}"

    def is_overdue(self, at: datetime) -> bool:
        return self.status == self.Status.ON_LOAN and self.due_at < at


class LoanEvent(AuditFields):
    """One applied transition: the loan's audit trail (written by transitions.apply only)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="events")
    trigger = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    override_code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Transfer(AuditFields):
    """An item on its way home (or elsewhere). Open while received_at is empty."""

    item = models.ForeignKey("items.Item", on_delete=models.CASCADE, related_name="transfers",
                             verbose_name=_("item"))
    loan = models.ForeignKey(Loan, null=True, blank=True, on_delete=models.SET_NULL, related_name="transfers")
    from_branch = models.ForeignKey("items.Branch", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("from"))
    to_branch = models.ForeignKey("items.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    arrival_status = models.CharField(max_length=16, default="available",
                                      help_text="The item's status once received")

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [models.UniqueConstraint(fields=["item"], condition=Q(received_at__isnull=True),
                                               name="one_open_transfer_per_item")]
        indexes = [models.Index(fields=["to_branch", "received_at"])]


class FineEntry(AuditFields):
    """One row of a patron's fine account (ledger).

    Sign convention: charges (overdue, lost, manual) are positive, what settles them (payment, waiver, credit)
    is negative; the balance is the plain sum, and a positive balance is what the patron owes. Each charge
    keeps `outstanding`, the part not yet settled; FineAllocation rows record which settlement paid which
    charge, so receipts and audits can be rebuilt.
    """

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Overdue fine")
        LOST = "lost", _("Lost item")
        MANUAL = "manual", _("Manual charge")
        PAYMENT = "payment", _("Payment")
        WAIVER = "waiver", _("Waiver")
        CREDIT = "credit", _("Credit")

    CHARGES = (Kind.OVERDUE, Kind.LOST, Kind.MANUAL)

    patron = models.ForeignKey("patrons.Patron", on_delete=models.PROTECT, related_name="fine_entries",
                               verbose_name=_("patron"))
    loan = models.ForeignKey(Loan, null=True, blank=True, on_delete=models.PROTECT, related_name="fine_entries",
                             verbose_name=_("loan"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    outstanding = models.DecimalField(_("outstanding"), default=Decimal(0), **MONEY)
    # An overdue fine still growing (the loan is open and overdue); accrue_overdue_fines updates it in place.
    is_running = models.BooleanField(default=False)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("fine account entry")
        verbose_name_plural = _("fine account entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["patron", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["loan"], condition=Q(is_running=True), name="one_running_fine_per_loan"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class FineAllocation(models.Model):
    """`amount` (positive) of the settlement `credit` went to the charge `debit`."""

    credit = models.ForeignKey(FineEntry, on_delete=models.CASCADE, related_name="allocations_made")
    debit = models.ForeignKey(FineEntry, on_delete=models.CASCADE, related_name="allocations_received")
    amount = models.DecimalField(**MONEY)


class CirculationSettingsVersion(models.Model):
    """One row: a random token replaced whenever rules or calendars change (kitab.circulation.cache)."""

    token = models.BigIntegerField()


class SettingsChange(AuditFields):
    """One change to the circulation settings (a rule, a branch's week, a closure): who, where, when, what.
    Written by kitab.circulation.settings_services only; the audit trail of the rules and calendar pages."""

    class Action(models.TextChoices):
        RULE_SAVED = "rule_saved", _("Rule saved")
        RULE_DELETED = "rule_deleted", _("Rule deleted")
        WEEK_SAVED = "week_saved", _("Opening hours saved")
        CLOSURE_ADDED = "closure_added", _("Closure added")
        CLOSURE_REMOVED = "closure_removed", _("Closure removed")
        OPENING_ADDED = "opening_added", _("Exceptional opening added")
        OPENING_REMOVED = "opening_removed", _("Exceptional opening removed")

    at = models.DateTimeField(_("when"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    subject = models.CharField(_("what"), max_length=300)
    # The values after the change (for a deletion: before it), as JSON-ready strings.
    values = models.JSONField(_("values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("circulation settings change")
        verbose_name_plural = _("circulation settings changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject}"

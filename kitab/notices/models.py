"""Patron notices: editable templates per kind and language, the schedule, and the log of what was sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE_1 = "overdue_1", _("First overdue notice")
    OVERDUE_2 = "overdue_2", _("Second overdue notice")
    OVERDUE_3 = "overdue_3", _("Third overdue notice")
    HOLD_READY = "hold_ready", _("Hold ready for pickup")
    HOLD_EXPIRED = "hold_expired", _("Hold expired")
    FINE = "fine", _("Fine")


class NoticeTemplate(models.Model):
    """Subject and body of one kind of notice in one language, as Django template strings.

    The variables each kind gets are listed in services.py (context builders); every kind has `patron` and
    `library_name`.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        ordering = ["kind", "language"]
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="one_notice_template_per_language")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class NoticeSchedule(models.Model):
    """When loan notices go out, for one patron category; the row without a category applies to the others."""

    patron_category = models.ForeignKey("patrons.PatronCategory", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="+", verbose_name=_("patron category"))
    due_soon_days = models.PositiveIntegerField(_("due soon notice, days before the due date"), default=2,
                                                help_text=_("0 sends no due soon notice."))
    overdue_1_days = models.PositiveIntegerField(_("first overdue notice, days after the due date"), default=1)
    overdue_2_days = models.PositiveIntegerField(_("second overdue notice, days after the due date"), default=7,
                                                 help_text=_("0 sends no second notice."))
    overdue_3_days = models.PositiveIntegerField(_("third overdue notice, days after the due date"), default=14,
                                                 help_text=_("0 sends no third notice."))

    class Meta:
        verbose_name = _("notice schedule")
        verbose_name_plural = _("notice schedules")
        constraints = [models.UniqueConstraint(Coalesce("patron_category", 0), name="notice_schedule_unique_category")]

    def __str__(self) -> str:
        return str(self.patron_category) if self.patron_category_id else str(_("All categories"))


class NoticeLog(models.Model):
    """One notice to one patron. `key` names what it is about (kind, loan and due date / hold / fine entry), and
    is unique, so the same notice is never sent twice however often run_notices runs."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        NO_ADDRESS = "no_address", _("No email address (to print)")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        PRINT = "print", _("Print")

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="notices",
                               verbose_name=_("patron"))
    loan = models.ForeignKey("circulation.Loan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("loan"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    hold = models.ForeignKey("holds.Hold", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("hold"))
    fine = models.ForeignKey("circulation.FineEntry", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("fine"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    language = models.CharField(_("language"), max_length=8)
    to_address = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.CharField(_("by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["patron", "sent_at"]), models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return self.key

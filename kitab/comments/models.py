"""Patrons' comments on records. A comment is shown only after a librarian approved it; an edit sends it back."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BODY_MAX = 4000


class Comment(models.Model):
    class Status(models.TextChoices):
        # A context of their own: "Published" alone is the imprint label of a record page.
        PENDING = "pending", pgettext_lazy("comment status", "Awaiting moderation")
        APPROVED = "approved", pgettext_lazy("comment status", "Published")
        REJECTED = "rejected", pgettext_lazy("comment status", "Not published")

    record = models.ForeignKey("catalogue.Record", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("record"))
    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="comments",
                               verbose_name=_("patron"))
    # Plain text, always shown escaped: never rendered as HTML.
    body = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("written"))
    updated_at = models.DateTimeField(_("changed"))
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.CharField(_("moderated by"), max_length=200, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["record", "status"]), models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return self.body[:60]

"""Named lists of records that staff keep for their work ("to be checked", "new books for the display")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordList(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_lists",
                              verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Other staff may see and work on a shared list; only its owner renames or deletes it.
    shared = models.BooleanField(_("shared with other staff"), default=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("last changed"))

    class Meta:
        verbose_name = _("record list")
        verbose_name_plural = _("record lists")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_list_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class RecordListEntry(models.Model):
    record_list = models.ForeignKey(RecordList, on_delete=models.CASCADE, related_name="entries")
    record = models.ForeignKey("catalogue.Record", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(_("added"))
    added_by = models.CharField(_("added by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["record_list", "record"], name="record_once_per_list")]


class BatchEdit(models.Model):
    """One "edit a field across all records of a list": what was asked, how it went, and whether it was undone.
    Its id is the `batch_id` of the record versions it wrote (channel batch_edit), which is how it is undone."""

    class Operation(models.TextChoices):
        ADD = "add", _("Add a subfield")
        REPLACE = "replace", _("Replace a subfield's value")
        DELETE = "delete", _("Delete a subfield")

    record_list = models.ForeignKey(RecordList, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="batch_edits", verbose_name=_("list"))
    tag = models.CharField(_("tag"), max_length=3)
    code = models.CharField(_("subfield"), max_length=1)
    operation = models.CharField(_("operation"), max_length=8, choices=Operation.choices)
    value = models.CharField(_("new value"), max_length=500, blank=True)
    match = models.CharField(_("only where the value is"), max_length=500, blank=True)
    actor = models.CharField(_("by"), max_length=150)
    started_at = models.DateTimeField(_("run"))
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failures = models.JSONField(_("refused"), default=list)  # [[record id, message], ...]
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.CharField(_("undone by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("batch edit")
        verbose_name_plural = _("batch edits")
        ordering = ["-started_at", "-pk"]

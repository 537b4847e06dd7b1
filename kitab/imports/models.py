"""Staged imports: a file waiting to be imported with chosen rules, its run as a job, its per-record report,
and what is needed to undo it (the copies as they were before; record versions live in catalogue.RecordVersion
with `batch_id`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        STAGED = "staged", _("staged")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")
        UNDONE = "undone", _("undone")

    class MatchRule(models.TextChoices):
        CONTROL = "001", _("Control number (003 + 001)")
        ISBN = "isbn", _("ISBN")
        SYSTEM = "035", _("System control number (035)")
        NONE = "none", _("No matching: every record is new")

    class OnMatch(models.TextChoices):
        REPLACE = "replace", _("Replace the existing record")
        MERGE = "merge", _("Merge fields (keep local fields the incoming record lacks)")
        KEEP = "keep", _("Keep the existing record (skip the incoming one)")
        ADD = "add", _("Add the incoming record as a new record")

    name = models.CharField(_("file name"), max_length=255)
    path = models.TextField(_("file on the server"))
    file_size = models.BigIntegerField(_("file size"), default=0)
    encoding = models.CharField(_("character set"), max_length=32, blank=True)
    match_rule = models.CharField(_("matching rule"), max_length=8, choices=MatchRule.choices,
                                  default=MatchRule.CONTROL)
    on_match = models.CharField(_("on a match"), max_length=8, choices=OnMatch.choices, default=OnMatch.REPLACE)
    with_items = models.BooleanField(_("import copies (952/852/949)"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.STAGED)
    staged_by = models.CharField(_("staged by"), max_length=150, blank=True)
    staged_at = models.DateTimeField(_("staged"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.CharField(_("undone by"), max_length=150, blank=True)
    # Progress: records read (committed) so far, and the bytes of the file read, for the progress bar.
    position = models.PositiveIntegerField(default=0)
    file_offset = models.BigIntegerField(default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    items_added = models.PositiveIntegerField(_("copies added"), default=0)
    duplicates = models.PositiveIntegerField(_("possible duplicates"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-staged_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name} ({self.status})"

    @property
    def done(self) -> int:
        return self.added + self.updated + self.skipped + self.rejected

    @property
    def percent(self) -> int:
        if self.status in (self.Status.FINISHED, self.Status.UNDONE):
            return 100
        if not self.file_size:
            return 0
        return max(0, min(100, int(self.file_offset * 100 / self.file_size)))

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class BatchRecord(models.Model):
    """What a batch did with one incoming record (the report), and what undo needs to know about it."""

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        UPDATED = "updated", _("updated")
        SKIPPED = "skipped", _("skipped")
        REJECTED = "rejected", _("rejected")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    position = models.PositiveIntegerField(_("record"))  # 1-based position in the file
    byte_offset = models.BigIntegerField(_("byte offset"), default=0)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    # Not a foreign key: the record may be deleted later (by undo, or by a cataloguer), the report stays.
    record_id = models.BigIntegerField(_("record id"), null=True, blank=True, db_index=True)
    control_number = models.CharField(_("control number"), max_length=64, blank=True)
    title = models.TextField(_("title"), blank=True)
    matched_on = models.CharField(_("matched on"), max_length=8, blank=True)
    # Why: a code of kitab.imports.planning.REASONS, shown as a sentence in the reader's language, with the local
    # record it matched; `reason` holds the text of a rejection (from the MARC reader or the save).
    reason_code = models.CharField(max_length=12, blank=True)
    matched_record_id = models.BigIntegerField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The SHA-1 of the record as this batch left it: undo refuses when the record changed since.
    digest_after = models.CharField(max_length=40, blank=True)
    # Possible duplicates among local records: [{"record_id": 12, "reasons": ["isbn", "title"]}, ...]
    duplicates = models.JSONField(default=list, blank=True)

    @property
    def reason_text(self) -> str:
        from .planning import reason_text

        return reason_text(self.reason_code, self.matched_record_id) if self.reason_code else self.reason

    class Meta:
        verbose_name = _("batch record")
        verbose_name_plural = _("batch records")
        ordering = ["batch", "position"]
        indexes = [models.Index(fields=["batch", "action"])]


class BatchItem(models.Model):
    """A copy the batch created, or one it changed or removed, with its state before (`before`, null when the
    batch created it). Undo deletes the created ones and puts the others back as they were, under their ids."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    item_id = models.BigIntegerField(db_index=True)
    before = models.TextField(null=True, blank=True)  # the copy as Django JSON serialisation

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "item_id"], name="batch_item_unique")]

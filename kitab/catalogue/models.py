"""Bibliographic records: the raw MARC record plus the few extracted fields the database itself needs.

Everything else a search or a result list shows comes from the search index, which is derived from `raw`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    control_number = models.CharField(_("control number (001)"), max_length=64, blank=True, db_index=True)
    control_number_identifier = models.CharField(_("control number identifier (003)"), max_length=32, blank=True)
    # ISO 2709, UTF-8 (leader/09 = "a"), NFC: the record as imported after documented normalisation.
    raw = models.BinaryField(_("MARC record"))
    raw_digest = models.CharField(max_length=40, help_text="SHA-1 of raw; an identical re-import is skipped")
    title = models.TextField(_("title"), blank=True)
    author = models.TextField(_("main author"), blank=True)
    year = models.IntegerField(_("year"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    material_type = models.CharField(_("material type"), max_length=16, default="book")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Indexed: OAI-PMH harvests page through records in (updated_at, id) order.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    import_run = models.ForeignKey(
        "catalogue.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The member library (kitab.consortium.MemberLibrary.code) this record was harvested from; blank: our own.
    source = models.CharField(_("source library"), max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class DeletedRecord(models.Model):
    """A tombstone: what is still known about a deleted record, so harvesters (OAI-PMH) learn of the deletion.

    Kept for good (the OAI-PMH repository declares `deletedRecord=persistent`). A re-import of a record with
    the same control number (003|001) brings the record back under its old id and removes the tombstone.
    """

    record_id = models.BigIntegerField(_("record id"), primary_key=True)
    control_number = models.CharField(_("control number (001)"), max_length=64, blank=True, db_index=True)
    # The record's `ctl` match key (003|001, catalogue.matching.control_key), for the re-import check.
    control_key = models.CharField(max_length=128, blank=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted"), db_index=True)
    # Set memberships at deletion time, so set-restricted harvests still report the deletion.
    material_type = models.CharField(_("material type"), max_length=16, blank=True)
    branch_codes = models.TextField(
        blank=True, help_text="Home branch codes of the deleted copies, as |CODE|CODE| (empty: no copies)"
    )

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")

    def __str__(self) -> str:
        return f"#{self.record_id} ({self.control_number})"

    @staticmethod
    def branch_token(code: str) -> str:
        """The substring `branch_codes` contains when the record had a copy in branch `code`."""
        return f"|{code}|"

    def branches(self) -> list[str]:
        return [code for code in self.branch_codes.split("|") if code]


class RecordIdentifier(models.Model):
    """Keys an incoming record is matched on, so a re-import updates instead of duplicating."""

    class Kind(models.TextChoices):
        CONTROL = "ctl", _("001/003")
        SYSTEM = "035", _("system control number (035)")
        ISBN = "isbn", _("ISBN")
        LCCN = "lccn", _("LCCN")
        OAI = "oai", _("OAI-PMH identifier at the source library")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    value = models.CharField(max_length=128)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]
        constraints = [models.UniqueConstraint(fields=["record", "kind", "value"], name="record_identifier_unique")]


class ImportRun(models.Model):
    """One `kitab import` of one file: its counts, and how far it got, so an interrupted run can resume."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        INTERRUPTED = "interrupted", _("interrupted")
        FAILED = "failed", _("failed")

    path = models.TextField()
    file_fingerprint = models.CharField(max_length=80, db_index=True)
    encoding = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    committed_position = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    items_added = models.PositiveIntegerField(default=0)
    items_updated = models.PositiveIntegerField(default=0)
    report_path = models.TextField(blank=True)
    actor = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"{self.path} ({self.status})"


class RecordVersion(models.Model):
    """One saved state of a record: the raw MARC as it was after a save, who saved it, where and how.

    Version 1 is the record's first known state. A record imported before history was kept gets that state
    recorded as version 1 the first time it changes (`editing.save_record`), so its previous state is never lost.
    `batch_id` ties versions written by one staged import (or batch edit) together, so the batch can be undone.
    """

    class Channel(models.TextChoices):
        EDITOR = "editor", _("editor")
        IMPORT = "import", _("import")
        BATCH_EDIT = "batch_edit", _("batch edit")
        AUTHORITY = "authority", _("authority update")
        MERGE = "merge", _("merge")
        RESTORE = "restore", _("restore")
        API = "api", _("API")
        BASELINE = "baseline", _("state before history")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="versions", verbose_name=_("record"))
    number = models.PositiveIntegerField(_("version"))
    raw = models.BinaryField(_("MARC record"))
    saved_at = models.DateTimeField(_("saved"), db_index=True)
    actor = models.CharField(_("saved by"), max_length=150, blank=True)  # Actor.username (or channel:user id)
    user_id = models.IntegerField(null=True, blank=True)
    branch = models.CharField(_("branch"), max_length=32, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reason = models.TextField(_("reason"), blank=True)
    batch_id = models.BigIntegerField(_("batch"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("record version")
        verbose_name_plural = _("record versions")
        ordering = ["record", "-number"]
        constraints = [models.UniqueConstraint(fields=["record", "number"], name="record_version_unique")]

    def __str__(self) -> str:
        return f"#{self.record_id} v{self.number}"


class Framework(models.Model):
    """A cataloguing template for one kind of material: which fields the editor shows, which are required or
    repeatable, the controlled values of their subfields, and the leader, 008 and fields a new record starts
    with. Stored as data (an administrator edits them in the admin); `frameworks.spec` reads them."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Record.material_type values (kitab.marc.mapping) this framework is used for when editing such a record.
    material_types = models.CharField(
        _("material types"), max_length=200, blank=True,
        help_text=_("Comma-separated material types (book, serial, map, manuscript, score, sound, ebook, ...)"),
    )
    leader = models.CharField(_("leader of a new record"), max_length=24)
    field_008 = models.CharField(_("008 of a new record"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("cataloguing framework")
        verbose_name_plural = _("cataloguing frameworks")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class FrameworkField(models.Model):
    """One field of a framework. `subfields`: [{"code": "a", "required": bool, "repeatable": bool,
    "values": ["controlled", "values"], "label": "optional own label"}, ...]."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="fields")
    tag = models.CharField(_("tag"), max_length=3)
    label = models.CharField(_("label"), max_length=200, blank=True,
                             help_text=_("Leave empty to show the standard MARC 21 name"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    shown = models.BooleanField(_("shown in the editor"), default=True)
    required = models.BooleanField(_("required"), default=False)
    repeatable = models.BooleanField(_("repeatable"), default=True)
    in_template = models.BooleanField(_("in a new record"), default=False,
                                      help_text=_("A new record of this framework starts with this field"))
    indicators = models.CharField(_("default indicators"), max_length=2, default="  ", blank=True)
    default = models.TextField(_("default value"), blank=True,
                               help_text=_("Control fields: the data. Data fields: $a value $b value"))
    subfields = models.JSONField(_("subfields"), default=list, blank=True)

    class Meta:
        verbose_name = _("framework field")
        verbose_name_plural = _("framework fields")
        ordering = ["framework", "order", "tag"]
        constraints = [models.UniqueConstraint(fields=["framework", "tag"], name="framework_field_unique")]

    def __str__(self) -> str:
        return f"{self.framework.code} {self.tag}"


class RecordDraft(models.Model):
    """A record (new, or changes to an existing one) a cataloguer saved as a draft: stored, but not part of the
    catalogue (not indexed, not harvested) until it is saved as a record. Kept as the editor's own state
    (JSON), so a draft may hold what a valid record may not (an unfinished field)."""

    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts",
                               verbose_name=_("record"))
    framework = models.CharField(_("framework"), max_length=32, blank=True)
    state = models.JSONField(_("record"))
    title = models.TextField(_("title"), blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.CharField(_("saved by"), max_length=150, blank=True)
    user_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"), db_index=True)

    class Meta:
        verbose_name = _("draft record")
        verbose_name_plural = _("draft records")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title or f"draft #{self.pk}"

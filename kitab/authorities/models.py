"""Authority records (raw MARC 21 plus extracted fields), their forms, the links from bibliographic headings,
and the background jobs that carry a changed heading into every linked record."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("personal name")
        CORPORATE = "corporate", _("corporate name")
        MEETING = "meeting", _("meeting name")
        UNIFORM_TITLE = "uniform_title", _("uniform title")
        CHRONOLOGICAL = "chronological", _("chronological term")
        TOPICAL = "topical", _("topical subject")
        GEOGRAPHIC = "geographic", _("geographic name")
        GENRE = "genre", _("genre/form term")
        MEDIUM = "medium", _("medium of performance term")
        SUBDIVISION = "subdivision", _("subdivision")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, db_index=True)
    tag = models.CharField(_("heading tag"), max_length=3)  # the 1XX tag
    heading = models.TextField(_("heading"))
    # textnorm.fold of the heading subfields (headings.heading_key): what bibliographic headings match on, and
    # the browse order. Indexed with the tag because linking asks "which authority of this tag has this key".
    heading_key = models.CharField(max_length=500)
    control_number = models.CharField(_("control number (001)"), max_length=64, blank=True, db_index=True)
    control_number_identifier = models.CharField(_("control number identifier (003)"), max_length=32, blank=True)
    # "003|001" (headings.control_key), what a $0 "(ORG)number" resolves to; blank without a 001.
    control_key = models.CharField(max_length=100, blank=True, db_index=True)
    lccn = models.CharField(_("LCCN (010)"), max_length=32, blank=True, db_index=True)
    # ISO 2709, UTF-8, NFC (kitab.marc.writer.to_iso2709), like catalogue.Record.raw.
    raw = models.BinaryField(_("MARC record"))
    raw_digest = models.CharField(max_length=40)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    import_path = models.TextField(blank=True)

    class Meta:
        verbose_name = _("authority record")
        verbose_name_plural = _("authority records")
        indexes = [models.Index(fields=["tag", "heading_key"]), models.Index(fields=["heading_key"])]

    def __str__(self) -> str:
        return self.heading


class AuthorityForm(models.Model):
    """One 4XX ("see from") or 5XX ("see also") form of an authority, with its key, for search and browse."""

    class Relation(models.TextChoices):
        SEE_FROM = "see_from", _("see from")
        SEE_ALSO = "see_also", _("see also")

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="forms")
    relation = models.CharField(max_length=8, choices=Relation.choices)
    tag = models.CharField(max_length=3)
    text = models.TextField()
    key = models.CharField(max_length=500, db_index=True)
    note = models.CharField(max_length=200, blank=True)  # 5XX $i / $w: how the headings relate

    class Meta:
        indexes = [models.Index(fields=["authority", "relation"])]


class HeadingLink(models.Model):
    """A controllable heading of a bibliographic record and the authority it is linked to (if any).

    Every 1XX/6XX/7XX/8XX heading of every record has a row, linked or not: linking a new authority is then an
    update of the rows with its key, and the unlinked headings are a report for the cataloguer. Rebuilt for a
    record whenever the record is stored (receivers.py); a manual link survives as long as the heading's key
    stays the same.
    """

    class Method(models.TextChoices):
        REF = "ref", _("authority number ($0)")
        LOCAL_ID = "local", _("local authority id ($9)")
        AUTO = "auto", _("matching heading")
        MANUAL = "manual", _("linked by a cataloguer")

    class Match(models.TextChoices):
        FULL = "full", _("whole heading")
        MAIN = "main", _("heading without subdivisions")

    record = models.ForeignKey("catalogue.Record", on_delete=models.CASCADE, related_name="heading_links")
    tag = models.CharField(max_length=3)
    occurrence = models.PositiveSmallIntegerField()  # 1-based among the record's fields with this tag
    authority_tag = models.CharField(max_length=3)
    heading = models.CharField(max_length=500)
    heading_key = models.CharField(max_length=500)
    main_key = models.CharField(max_length=500)
    # The field's own $0 / $9 values, kept so that an unlinked heading that names its authority by number is
    # linked when that authority arrives later.
    refs = models.CharField(max_length=500, blank=True)
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    match = models.CharField(max_length=4, choices=Match.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["authority_tag", "heading_key"]),
            models.Index(fields=["authority_tag", "main_key"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["record", "tag", "occurrence"], name="heading_link_unique"),
        ]


class HeadingUpdateJob(models.Model):
    """Rewriting every record linked to an authority after its heading changed; progress is polled by the staff
    page and printed by `kitab authorities update-headings`."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="update_jobs")
    old_heading = models.TextField(_("old heading"))
    new_heading = models.TextField(_("new heading"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    # The last HeadingLink id handled: a job interrupted by a restart resumes after it.
    last_link_id = models.BigIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{"record": id, "message": text}], the first 200
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    actor = models.CharField(_("started by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("heading update")
        verbose_name_plural = _("heading updates")

    @property
    def percent(self) -> int:
        if self.status == self.Status.FINISHED:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

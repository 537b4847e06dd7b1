"""Member libraries of a union catalogue and the OAI-PMH harvests that copy their records here."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$"


class MemberLibrary(models.Model):
    """A library whose catalogue is harvested (OAI-PMH) into this one; its code is `Record.source`."""

    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[RegexValidator(CODE_PATTERN)],
        help_text=_("Short code, e.g. NORTH; stored on every record harvested from this library."),
    )
    name = models.CharField(_("name"), max_length=200)
    base_url = models.URLField(_("OAI-PMH base URL"), max_length=500)
    metadata_prefix = models.CharField(_("metadata format"), max_length=64, default="marc21")
    set_spec = models.CharField(_("set"), max_length=200, blank=True, help_text=_("Harvest only this set."))
    enabled = models.BooleanField(_("enabled"), default=True)
    # The repository's responseDate at the start of the last complete harvest: the next one asks for records
    # changed since then (minus harvesting.OVERLAP).
    last_datestamp = models.DateTimeField(_("last successful harvest"), null=True, blank=True)
    # State of an unfinished harvest, saved with each committed page, so the next run resumes from there.
    resumption_token = models.TextField(_("resumption token"), blank=True)
    harvest_from = models.CharField(_("from"), max_length=32, blank=True)
    harvest_started = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member library")
        verbose_name_plural = _("member libraries")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class HarvestRun(models.Model):
    """One harvest of one member library, with its counts, or why it failed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted")

    member = models.ForeignKey(MemberLibrary, on_delete=models.CASCADE, related_name="runs",
                               verbose_name=_("member library"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    full = models.BooleanField(_("full harvest"), default=False)
    resumed = models.BooleanField(_("resumed"), default=False)
    from_arg = models.CharField(_("from"), max_length=32, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    error = models.TextField(_("error"), blank=True)
    actor = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("harvest")
        verbose_name_plural = _("harvests")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member.code} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    def as_dict(self) -> dict[str, object]:
        return {
            "member": self.member.code,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "full": self.full,
            "resumed": self.resumed,
            "from": self.from_arg or None,
            "pages": self.pages,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "rejected": self.rejected,
            "error": self.error or None,
        }

"""Search history (signed-in patrons; visitors' history stays in their session), saved searches, and the log of
records each saved search's alert has already reported."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .spec import SearchSpec

NAME_MAX = 120


class SearchHistoryEntry(models.Model):
    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="search_history",
                               verbose_name=_("patron"))
    query = models.TextField(_("search"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    sort = models.CharField(_("sort order"), max_length=16, default="relevance")
    total = models.PositiveIntegerField(_("results"), default=0)
    searched_at = models.DateTimeField(_("searched"))

    class Meta:
        verbose_name = _("search history entry")
        verbose_name_plural = _("search history")
        ordering = ["-searched_at", "-pk"]
        indexes = [models.Index(fields=["patron", "-searched_at"])]

    @property
    def spec(self) -> SearchSpec:
        return SearchSpec.of(self.query, self.filters, self.sort)


class SavedSearch(models.Model):
    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="saved_searches",
                               verbose_name=_("patron"))
    name = models.CharField(_("name"), max_length=NAME_MAX)
    query = models.TextField(_("search"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    sort = models.CharField(_("sort order"), max_length=16, default="relevance")
    alert = models.BooleanField(_("email me new records"), default=False)
    created_at = models.DateTimeField(_("saved"))
    # Records added after this moment are "new" for the alert: set when the alert is switched on.
    alerts_since = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["patron", "name"], name="savedsearch_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def spec(self) -> SearchSpec:
        return SearchSpec.of(self.query, self.filters, self.sort)


class AlertedRecord(models.Model):
    """Record `record_id` was reported by the alert of `saved_search`: never again (the idempotency key)."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="alerted")
    record_id = models.BigIntegerField()
    alerted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["saved_search", "record_id"], name="alerted_once")]

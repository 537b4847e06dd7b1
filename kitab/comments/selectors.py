"""Reading comments: published ones of a record, a patron's own, the moderation queue."""

from __future__ import annotations

from django.db.models import QuerySet

from kitab.patrons.models import Patron

from .models import Comment


def published(record_id: int) -> QuerySet[Comment]:
    return Comment.objects.filter(record_id=record_id, status=Comment.Status.APPROVED).select_related("patron")


def own_on_record(patron: Patron, record_id: int) -> QuerySet[Comment]:
    return Comment.objects.filter(record_id=record_id, patron=patron)


def own_comment(patron: Patron | None, pk: int) -> Comment | None:
    """Comment `pk` when `patron` wrote it; None otherwise (the adapter answers 404)."""
    if patron is None:
        return None
    return Comment.objects.filter(pk=pk, patron=patron).first()


def moderation_queue() -> QuerySet[Comment]:
    """Pending comments, oldest change first, with their record and writer."""
    return (Comment.objects.filter(status=Comment.Status.PENDING).select_related("patron", "record")
            .defer("record__raw").order_by("updated_at", "pk"))


def recently_moderated(limit: int = 20) -> list[Comment]:
    return list(Comment.objects.exclude(status=Comment.Status.PENDING).exclude(moderated_at=None)
                .select_related("patron", "record").defer("record__raw").order_by("-moderated_at")[:limit])

"""Read-only admin view: staff moderate in the staff interface (/staff/comments/), through kitab.comments.services."""

from __future__ import annotations

from django.contrib import admin

from kitab.lists.admin import ReadOnlyAdmin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["record", "patron", "status", "updated_at", "moderated_by"]
    list_filter = ["status"]
    search_fields = ["body", "patron__card_number"]
    raw_id_fields = ["record", "patron"]

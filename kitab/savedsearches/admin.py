"""Read-only admin view of saved searches (alerts on or off); writes go through kitab.savedsearches.services."""

from __future__ import annotations

from django.contrib import admin

from kitab.lists.admin import ReadOnlyAdmin

from .models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin):
    list_display = ["name", "patron", "alert", "last_checked_at"]
    list_filter = ["alert"]
    search_fields = ["name", "patron__card_number"]
    raw_id_fields = ["patron"]

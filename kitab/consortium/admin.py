from django.contrib import admin

from .models import HarvestRun, MemberLibrary


@admin.register(MemberLibrary)
class MemberLibraryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "base_url", "metadata_prefix", "set_spec", "enabled", "last_datestamp"]
    list_filter = ["enabled"]
    search_fields = ["code", "name", "base_url"]
    readonly_fields = ["last_datestamp", "resumption_token", "harvest_from", "harvest_started"]


@admin.register(HarvestRun)
class HarvestRunAdmin(admin.ModelAdmin):
    """Harvest runs are written by the harvester only (`kitab harvest run`)."""

    list_display = ["member", "started_at", "finished_at", "status", "added", "updated", "deleted", "rejected"]
    list_filter = ["status", "member"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

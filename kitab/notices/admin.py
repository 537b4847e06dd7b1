from django.contrib import admin

from .models import NoticeLog, NoticeSchedule, NoticeTemplate


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "subject"]
    list_filter = ["kind", "language"]


@admin.register(NoticeSchedule)
class NoticeScheduleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "due_soon_days", "overdue_1_days", "overdue_2_days", "overdue_3_days"]


@admin.register(NoticeLog)
class NoticeLogAdmin(admin.ModelAdmin):
    """The log is written by services.run_notices only."""

    list_display = ["sent_at", "kind", "patron", "status", "to_address", "subject"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["patron", "loan", "hold", "fine"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

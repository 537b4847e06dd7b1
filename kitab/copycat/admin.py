from django.contrib import admin

from .models import RemoteTarget


@admin.register(RemoteTarget)
class RemoteTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "protocol", "host", "port", "database", "record_syntax", "encoding", "enabled"]
    list_filter = ["protocol", "enabled"]
    search_fields = ["name", "host", "database"]

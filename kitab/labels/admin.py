from django.contrib import admin

from .models import LabelLayout


@admin.register(LabelLayout)
class LabelLayoutAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "columns", "rows", "label_width", "label_height")

from django.contrib import admin

from .models import BarcodePattern, Branch, ItemType


@admin.register(BarcodePattern)
class BarcodePatternAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "prefix", "include_branch", "width", "check_digit", "next_number", "is_default")


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(ItemType)
class ItemTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name")

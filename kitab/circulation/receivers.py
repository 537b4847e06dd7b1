"""Reactions to saved or deleted circulation settings (and the branches, item types and patron categories the
cache also keeps): a new cache token, so every process reloads them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from kitab.items.models import Branch, ItemType
from kitab.patrons.models import PatronCategory

from . import cache
from .models import BranchCalendar, CirculationRule, Closure, ExceptionalOpening

SETTINGS_MODELS = (CirculationRule, BranchCalendar, Closure, ExceptionalOpening, Branch, ItemType, PatronCategory)


def settings_changed(sender: type, **kwargs: Any) -> None:
    cache.bump()


def connect() -> None:
    for model in SETTINGS_MODELS:
        post_save.connect(settings_changed, sender=model, dispatch_uid=f"circulation-cache-save-{model.__name__}")
        post_delete.connect(settings_changed, sender=model, dispatch_uid=f"circulation-cache-delete-{model.__name__}")

"""The one place that asks the time, so tests can pass `at=` or patch this."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()

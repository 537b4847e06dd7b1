from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kitab.api"
    label = "kitab_api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # Registers the application token's OpenAPI security scheme before any schema is generated.
        from . import schema  # noqa: F401

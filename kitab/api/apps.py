from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kitab.api"
    label = "kitab_api"
    verbose_name = _("REST API")

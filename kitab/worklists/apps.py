from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistsConfig(AppConfig):
    name = "kitab.worklists"
    label = "worklists"
    verbose_name = _("Record lists")

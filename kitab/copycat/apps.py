from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CopycatConfig(AppConfig):
    name = "kitab.copycat"
    label = "copycat"
    verbose_name = _("Copy cataloguing")

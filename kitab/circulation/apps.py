from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirculationConfig(AppConfig):
    name = "kitab.circulation"
    label = "circulation"
    verbose_name = _("Circulation")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kitab.accounts"
    label = "accounts"
    verbose_name = _("Patron accounts")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

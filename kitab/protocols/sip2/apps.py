from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SIP2Config(AppConfig):
    name = "kitab.protocols.sip2"
    label = "sip2"
    verbose_name = _("SIP2 self-check")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfidentialityConfig(AppConfig):
    name = "office.confidentiality"
    label = "confidentiality"
    verbose_name = _("保密管理")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "office.desk"
    label = "desk"
    verbose_name = _("工作台与委托")

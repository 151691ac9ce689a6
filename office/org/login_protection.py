"""django-axes under a Chinese name on the admin site (the app label stays ``axes``).

Kept apart from :mod:`office.org.lockout`: an app config is imported before any model exists.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesAppConfig):
    name = "axes"
    verbose_name = _("登录保护")

    def ready(self) -> None:
        super().ready()
        from axes.signals import user_locked_out

        from office.org.lockout import on_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="org.lockout.audit")

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from office.org.auth import can_log_in


class OfficeTokenAuthentication(TokenAuthentication):
    """Token auth that honours the same rules as the login page (inactive and demo accounts)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not can_log_in(user):
            raise exceptions.AuthenticationFailed(_("该账号不能登录。"))
        return user, token

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from office.org.auth import can_log_in


class OfficeTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>`` (django-rest-knox: the token is found by its digest, and an
    expired one is deleted and refused), with the same rules as the login page: inactive and,
    outside the demo, demo accounts are refused."""

    def validate_user(self, auth_token):
        if not can_log_in(auth_token.user):
            raise exceptions.AuthenticationFailed(_("该账号不能登录。"))
        return auth_token.user, auth_token


class OfficeTokenScheme(OpenApiAuthenticationExtension):
    target_class = OfficeTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106

from django.utils import timezone
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
        # The person and their unit come with the login: every endpoint reads them.
        user = type(auth_token.user).objects.select_related("person__unit").get(pk=auth_token.user_id)
        if not can_log_in(user):
            raise exceptions.AuthenticationFailed(_("该账号不能登录。"))
        auth_token.user = user
        return user, auth_token

    def _cleanup_token(self, auth_token) -> bool:
        """Only the presented token: an expired one is deleted and refused. Knox would also read
        and purge all the user's other tokens on every request; the daily task does that."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class OfficeTokenScheme(OpenApiAuthenticationExtension):
    target_class = OfficeTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106

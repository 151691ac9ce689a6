"""Authentication: Django's model backend, with demo accounts shut outside demo mode."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


class OfficeBackend(ModelBackend):
    def get_user(self, user_id):
        # The person and their unit come with the login: every page reads them.
        try:
            user = UserModel._default_manager.select_related("person__unit").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if user.is_superuser:
            return False  # break-glass from the command line only (三员分立): no page, no token
        person = getattr(user, "person", None)
        # The demo's logins and published password must never open a production system.
        return not (person is not None and person.is_demo and not settings.SHUNIU_DEMO)


def can_log_in(user) -> bool:
    return OfficeBackend().user_can_authenticate(user)

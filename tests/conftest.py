import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from office.org.models import Role
from tests.factories import PASSWORD, make_person


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests share the test run's Redis databases; each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests hash with MD5 unless they test hashing itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def person(db):
    return make_person(username="zhangsan", name="张三")


@pytest.fixture
def sysadmin(db):
    return make_person(username="admin1", name="管理员", roles=(Role.SYSTEM_ADMIN,))


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """An API client authenticated as the given person (session-less, forced auth)."""

    def login(person):
        api.force_authenticate(user=person.user)
        return api

    return login

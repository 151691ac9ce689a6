import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from office.confidentiality.levels import Level
from office.org.models import Role
from tests.factories import PASSWORD, make_person


def _clear_cache() -> None:
    # Only this run's keys (settings give each test process its own prefix): never FLUSHDB.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (and no sessions left by the one before)."""
    _clear_cache()
    yield
    _clear_cache()


@pytest.fixture(autouse=True)
def _chinese_to_begin_with():
    """Each test starts in the office's language: a request for English (the API's Accept-Language)
    leaves its language active in the thread, as Django's middleware does between requests."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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
def secadmin(db):
    """The 安全保密管理员 (三员分立): clearances, never accounts."""
    return make_person(
        username="secadmin1", name="安全管理员", clearance=Level.TOP_SECRET, roles=(Role.SECURITY_ADMIN,)
    )


@pytest.fixture
def auditor(db):
    """The 安全审计员 (三员分立): reads the logs, changes nothing."""
    return make_person(username="auditor1", name="审计员", clearance=Level.SECRET, roles=(Role.AUDITOR,))


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

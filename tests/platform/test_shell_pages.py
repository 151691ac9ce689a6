"""The shell around every module: home page, directory, health, heartbeat."""

import re

import pytest
import time_machine

from office import health
from office.org.models import Role
from office.tasks import record_heartbeat
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db


def test_home_lists_only_what_the_person_can_reach(client):
    """GIVEN an ordinary person WHEN they open the home page THEN they see the directory and
    calendar, but neither system administration nor the system status."""
    person = make_person(username="staff1", name="郑浩")
    client.force_login(person.user)

    html = client.get("/").content.decode()

    assert "郑浩，您好" in html
    assert "/directory/" in html and "/calendar/" in html
    assert "/admin/" not in html
    assert 'data-testid="system-status"' not in html


def test_system_admin_sees_administration_and_worker_status(client):
    """GIVEN a 系统管理员 and a worker heartbeat recorded by the Celery task WHEN they open the
    home page THEN administration is offered and the background tasks show as running."""
    admin = make_person(username="sys", roles=(Role.SYSTEM_ADMIN,))
    client.force_login(admin.user)

    before = client.get("/").content.decode()
    record_heartbeat()  # the task body, as the worker runs it
    after = client.get("/").content.decode()

    assert "/admin/" in after
    assert "尚未收到心跳" in before
    assert "最近心跳" in after and "无响应" not in after


def test_a_stale_heartbeat_is_reported_as_workers_down(client):
    """GIVEN a heartbeat from ten minutes ago WHEN the status is read THEN workers count as down."""
    with time_machine.travel("2026-11-21 09:00 +0800", tick=False):
        record_heartbeat()
    with time_machine.travel("2026-11-21 09:10 +0800", tick=False):
        status = health.status()
    assert status.last_heartbeat is not None
    assert status.workers_alive is False


def test_healthz_reports_database_and_cache(client):
    """GIVEN the real PostgreSQL and Redis WHEN a load balancer probes /healthz THEN 200 with
    both up, without logging in."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True and response.json()["cache"] is True


def test_directory_shows_units_as_a_tree_with_their_people(client, django_assert_max_num_queries):
    """GIVEN an organ with sections and people WHEN the directory is opened THEN each section
    appears under its organ with its people, in a fixed number of queries."""
    section = UnitFactory(name="秘书科")
    UnitFactory(name="督查科", parent=section.parent)
    clerk = make_person(username="c1", name="陈晓静", unit=section, post="文秘", phone="0571-86100003")
    for i in range(10):
        make_person(username=f"extra{i}", unit=section)
    client.force_login(clerk.user)

    with django_assert_max_num_queries(8):
        page = client.get("/directory/").content.decode()

    html = page[page.index('data-testid="directory"') :]  # the table, not the top bar
    assert html.index(section.parent.name) < html.index("秘书科") < html.index("陈晓静")
    assert "督查科" in html and "0571-86100003" in html


def test_deactivated_people_leave_the_directory(client, sysadmin):
    """GIVEN a person deactivated by the administrator WHEN the directory is opened THEN they are not listed."""
    from office.org import services

    leaver = make_person(username="leaver", name="离职者")
    services.person_update(actor=sysadmin.user, person=leaver, active=False)
    client.force_login(sysadmin.user)
    assert "离职者" not in client.get("/directory/").content.decode()


def test_deploy_check_with_production_settings_leaves_only_the_proxys_warnings():
    """GIVEN production settings (a named database, a secret key, behind a TLS proxy) WHEN
    `manage.py check --deploy` runs THEN it reports no errors and only the two warnings that
    README assigns to the TLS proxy (HTTPS redirect, HSTS)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    db = settings.DATABASES["default"]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SHUNIU_", "DEBUG", "PYTEST"))},
        "DATABASE_URL": f"postgres://{db['USER']}@/{db['NAME']}?host={db['HOST']}&port={db['PORT']}",
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "a-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "oa.example.gov.cn",
        "BEHIND_TLS_PROXY": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stderr + result.stdout))
    assert reported == {"security.W004", "security.W008"}


def test_production_refuses_to_start_without_a_secret_key():
    """GIVEN a deployment (DATABASE_URL set) without SECRET_KEY WHEN Django starts
    THEN it stops with a clear message."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHUNIU_", "DEBUG", "PYTEST", "SECRET_KEY"))}
    env["DATABASE_URL"] = "postgres://nobody@db.invalid/shuniu"
    env["REDIS_URL"] = "redis://cache.invalid:6379/0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr

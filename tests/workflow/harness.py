"""The test that pays for the workflow kernel: offered ⇔ accepted, for every state × person.

A flow's test gives its machine, a record in each state it can build, the people to try (the demo
office's), and ``attempt(step, user, record)``, which takes the step through the flow's service
with valid input. Each attempt runs in a savepoint that is rolled back, so every person meets the
same record. A step the machine offers must be accepted; a step it does not offer must be refused
with ``PermissionDenied`` or ``TransitionNotAllowed`` — never with a validation error, which
would mean the attempt's input (the test) is wrong.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from office.workflow import Machine, TransitionNotAllowed


class _Rollback(Exception):
    pass


def accepted(attempt: Callable[[str, Any, Any], None], step: str, user: Any, record: Any) -> bool:
    """Whether the service takes ``step`` for ``user`` on ``record`` (rolled back either way)."""
    try:
        with transaction.atomic():
            attempt(step, user, record)
            raise _Rollback
    except _Rollback:
        return True
    except (PermissionDenied, TransitionNotAllowed):
        return False


def mismatches(
    machine: Machine,
    records: Iterable[Any],
    users: Iterable[Any],
    attempt: Callable[[str, Any, Any], None],
    *,
    steps: Iterable[str] | None = None,
) -> list[str]:
    """Every (record state, person, step) where what is offered and what is accepted differ."""
    found = []
    users = list(users)
    names = list(steps) if steps is not None else [step.name for step in machine.steps]
    for record in records:
        state = machine.state_of(record)
        for user in users:
            offered = machine.offered(user, type(record).objects.get(pk=record.pk))
            for name in names:
                fresh = type(record).objects.get(pk=record.pk)
                took = accepted(attempt, name, user, fresh)
                if took != (name in offered):
                    verb = "accepted but not offered" if took else "offered but refused"
                    found.append(f"{state} · {user.get_username()} · {name}: {verb}")
    return found


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _rolled_back():
    """A savepoint that is always rolled back (and, like a TestCase's, lets services open a
    durable block inside it)."""
    block = transaction.atomic()
    block._from_testcase = True
    return block


@contextmanager
def demo_office(django_db_blocker, **settings):
    """The demo office loaded once for a module's tests, inside a transaction rolled back at the
    end (MD5 for its logins, as the suite's own fixture does: Argon2 is slow by design)."""
    with django_db_blocker.unblock():
        outer = _rolled_back()
        outer.__enter__()
        try:
            with override_settings(SHUNIU_DEMO=True, PASSWORD_HASHERS=FAST_HASHERS, **settings):
                call_command("seed_demo", stdout=io.StringIO())
                yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

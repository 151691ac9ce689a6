"""The OpenAPI schema is the contract other systems code against: every operation, called with
generated input (valid and invalid) by two people of the demo office, answers only what the
schema declares — no 5xx, a documented status code, the declared content type, a body that matches
the declared schema, and the declared headers.

Schemathesis drives the WSGI application in-process against the test database. The demo office is
loaded once for this module inside an outer transaction (rolled back at the end), and every
generated request runs in a savepoint that is rolled back too, so each one meets the same office
and destructive operations (void, archive, revoke) cannot change what the next one sees. Path
parameters are drawn mostly from records the person can actually see, so the answers exercised are
the real ones, not only 404s.

Bounded for ``make test``: a few examples per operation and person, no shrinking, derandomized
(the same inputs on every run), a deadline per request.
"""

from __future__ import annotations

import io
import os
import traceback
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from office.org import tokens
from office.org.models import Person

APP = WSGIHandler()
SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", APP)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# A 文秘 of the office (收发文, the register) and the 市长 (领导: signs, instructs, reads 绝密).
PERSONAS = ("clerk", "director")
# Enough to meet each operation's answers, few enough for `make test`; a deeper search for one run:
# SHUNIU_CONTRACT_EXAMPLES=50 pytest tests/api/test_schema_contract.py
EXAMPLES_PER_OPERATION = int(os.environ.get("SHUNIU_CONTRACT_EXAMPLES", "4"))
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Records a path parameter is drawn from, per collection; a detail is read to find its parts.
SAMPLE_RECORDS = 8


@dataclass
class Persona:
    token: str
    # collection path -> record id -> {path parameter: ids of that record's parts}
    records: dict[str, dict[int, dict[str, list[int]]]] = field(default_factory=dict)


def _rolled_back():
    """A savepoint that is always rolled back (and, like a TestCase's, lets services open a
    durable block inside it)."""
    block = transaction.atomic()
    block._from_testcase = True
    return block


@pytest.fixture(scope="module")
def office(django_db_setup, django_db_blocker):
    """The demo office, two of its people with API tokens and the records each can see."""
    with django_db_blocker.unblock():
        outer = _rolled_back()
        outer.__enter__()
        try:
            # MD5 for the demo's 37 logins, as the suite's own fixture does (Argon2 is slow by design).
            with override_settings(SHUNIU_DEMO=True, PASSWORD_HASHERS=FAST_HASHERS):
                call_command("seed_demo", stdout=io.StringIO())
            # Their accounts log in outside demo mode too, as any office account does.
            Person.objects.filter(user__username__in=PERSONAS).update(is_demo=False)
            personas = {username: _persona(username) for username in PERSONAS}
            # As Django's test client does around each of its requests: the end of a request must
            # not close the connection that holds the outer transaction.
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
            yield personas
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _persona(username: str) -> Persona:
    person = Person.objects.select_related("user").get(user__username=username)
    _record, secret = tokens.api_token_issue(user=person.user, actor=person.user)
    persona = Persona(token=secret)
    client = Client(headers={"Authorization": f"Token {secret}"})
    collections = {op.path.split("{id}")[0] for op in OPERATIONS if "{id}" in op.path}
    for collection in sorted(collections):
        listed = client.get(collection, {"page_size": 200})
        if listed.status_code != 200:
            continue
        body = listed.json()
        rows = body["results"] if isinstance(body, dict) else body
        wants_parts = any(op.path.startswith(f"{collection}{{id}}/") and op.path.count("{") > 1 for op in OPERATIONS)
        records = {}
        for row in _variety(rows):
            parts = {}
            if wants_parts:
                detail = client.get(f"{collection}{row['id']}/")
                if detail.status_code == 200:
                    parts = _parts_of(detail.json())
            records[row["id"]] = parts
        persona.records[collection] = records
    return persona


def _variety(rows: list[dict]) -> list[dict]:
    """Up to SAMPLE_RECORDS rows, one in each state and level first: a record at every step of its
    flow, so the actions meet records they can move as well as ones they cannot."""
    firsts = {}
    for row in rows:
        firsts.setdefault((row.get("state"), row.get("classification")), row)
    picked = {row["id"] for row in firsts.values()}
    return [*firsts.values(), *(row for row in rows if row["id"] not in picked)][:SAMPLE_RECORDS]


def _parts_of(detail) -> dict[str, list[int]]:
    """Ids of a record's listed parts by list name (``circulations``, ``readers``, ``tasks`` …),
    at any depth of its detail."""
    found: dict[str, list[int]] = {}

    def walk(value, key=""):
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, name)
        elif isinstance(value, list):
            for element in value:
                if isinstance(element, dict) and isinstance(element.get("id"), int):
                    found.setdefault(key, []).append(element["id"])
                walk(element, key)

    walk(detail)
    return found


def _part_ids(parts: dict[str, list[int]], parameter: str) -> list[int]:
    """``circulation_id`` -> the ids under ``circulations``; ``request_id`` -> ``extension_requests``."""
    noun = parameter.removesuffix("_id")
    return [pk for name, ids in parts.items() if name.startswith(noun) or name.endswith(f"{noun}s") for pk in ids]


class ServerErrors:
    """The exceptions behind 5xx answers, to name the line that raised them."""

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, sender, request=None, **kwargs):
        self.seen.append(traceback.format_exc(limit=-6))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_every_answer_is_the_one_the_schema_declares(operation, persona, office, db):
    """GIVEN the demo office and a 文秘 or the 市长 with an API token
    WHEN the operation is called with generated valid and invalid input, on records they can see
    THEN no answer is a 5xx and each has a declared status code, content type, body and headers."""
    me = office[persona]
    records = me.records.get(operation.path.split("{id}")[0], {})
    modes = [GenerationMode.POSITIVE]
    if operation.path_parameters or operation.query or operation.body:
        modes.append(GenerationMode.NEGATIVE)
    cases = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes))
    server_errors = ServerErrors()

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        phases=[Phase.explicit, Phase.generate],
        derandomize=True,
        database=None,
        deadline=timedelta(seconds=10),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=cases, data=st.data())
    def call(case, data):
        if "id" in (case.path_parameters or {}) and records and data.draw(st.booleans(), label="visible record"):
            pk = data.draw(st.sampled_from(sorted(records)), label="id")
            case.path_parameters["id"] = pk
            for name in case.path_parameters:
                if name != "id" and (ids := _part_ids(records[pk], name)):
                    case.path_parameters[name] = data.draw(st.sampled_from(ids), label=name)
        case.headers = {**(case.headers or {}), "Authorization": f"Token {me.token}"}
        with _rolled_back():
            try:
                response = case.call()
            finally:
                transaction.set_rollback(True)
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as failure:
            if response.status_code >= 500 and server_errors.seen:
                failure.add_note(f"Server traceback:\n{server_errors.seen[-1]}")
            raise

    got_request_exception.connect(server_errors)
    try:
        call()
    finally:
        got_request_exception.disconnect(server_errors)

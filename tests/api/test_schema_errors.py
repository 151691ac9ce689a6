"""The schema declares every error answer, from the kernel's rules (office/api/schema.py), with the
one ``Error`` body that office/api/exceptions.py writes; and it generates cleanly."""

import io

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS

from office.confidentiality import services
from office.confidentiality.levels import Level
from tests.factories import make_person

ERROR_REF = "#/components/schemas/Error"
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    """The schema as the API serves it (generating it reads no table)."""
    return Client().get("/api/schema/", {"format": "json"}).json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_the_schema_generates_without_a_warning_and_is_valid_openapi(tmp_path):
    """GIVEN the API WHEN ``manage.py spectacular --validate --fail-on-warn`` runs THEN it writes
    the schema without a warning or a validation error."""
    GENERATOR_STATS.reset()  # this generation's warnings only, not those of earlier tests
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())

    assert target.read_text().startswith("openapi: 3.0")


def test_every_error_answer_has_the_one_error_body(schema):
    """GIVEN the schema WHEN another system reads any 4xx of any operation THEN it is JSON with the
    ``Error`` component, and that component is the body office/api/exceptions.py writes."""
    for path, method, operation in _operations(schema):
        for status, answer in operation["responses"].items():
            if status.startswith("4"):
                assert answer["content"] == {"application/json": {"schema": {"$ref": ERROR_REF}}}, (path, method)
                assert answer["description"], (path, method, status)
    components = schema["components"]["schemas"]
    assert "ValidationErrorBody" not in components
    error = components["Error"]
    assert error["required"] == ["code", "detail"]
    assert error["properties"]["errors"]["type"] == "object"


def test_error_answers_follow_what_the_operation_does(schema):
    """GIVEN the schema WHEN another system reads an operation THEN it finds 400 where a body or
    query is checked, 401 where a login is needed, 404 where a record is named, 409 where a
    workflow step may be refused, 413/415 where a body is read, and none of them where they cannot
    happen."""
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        parameters = operation.get("parameters", [])
        security = operation.get("security", [])
        if "requestBody" in operation or any(parameter["in"] == "query" for parameter in parameters):
            assert "400" in codes, (path, method)
        if "requestBody" in operation:
            assert {"413", "415"} <= codes, (path, method)
        assert ("401" in codes) == (bool(security) and {} not in security), (path, method)
        if "{" in path:
            assert "404" in codes, (path, method)
        if "409" in codes:
            assert method in WRITES and "{" in path, (path, method)

    paths = schema["paths"]
    assert "409" in paths["/api/v1/documents/outgoing/{id}/submit/"]["post"]["responses"]
    assert "409" in paths["/api/v1/documents/incoming/{id}/sign-for/"]["post"]["responses"]
    assert "409" in paths["/api/v1/documents/outgoing/{id}/"]["patch"]["responses"]
    # The directory has no workflow; reading it is open to everyone logged in, writing it is not.
    assert "409" not in paths["/api/v1/org/units/{id}/"]["patch"]["responses"]
    assert "403" in paths["/api/v1/org/units/"]["post"]["responses"]
    assert "403" not in paths["/api/v1/org/units/"]["get"]["responses"]
    # Reading the access log is for the 安全审计员 and the 保密员 only.
    assert "403" in paths["/api/v1/confidentiality/access-logs/"]["get"]["responses"]
    # Getting a token needs no login, but is locked after too many failures.
    assert set(paths["/api/v1/auth/token/"]["post"]["responses"]) == {"200", "400", "413", "415", "429"}


@pytest.mark.django_db
def test_a_refusal_of_the_whole_request_is_listed_under_non_field_errors(api_as, schema):
    """GIVEN a carrier its registrant may share WHEN the registrant grants it to nobody THEN the 400
    lists the service's message under ``non_field_errors``, a body the ``Error`` schema accepts."""
    owner = make_person(clearance=Level.SECRET)
    carrier = services.carrier_register(
        actor=owner.user, title="防汛预案", unit=owner.unit, level=Level.SECRET, basis="保密事项范围"
    )

    response = api_as(owner).post(
        f"/api/v1/confidentiality/carriers/{carrier.pk}/grant/", {"reason": "会商"}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == {"non_field_errors": ["请指定一名人员或一个单位。"]}
    jsonschema.validate(body, schema["components"]["schemas"]["Error"])

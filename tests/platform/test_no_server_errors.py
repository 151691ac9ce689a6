"""Hostile or broken requests get a clear 4xx, never a 500: JSON on ``/api/`` (``{"detail",
"code"}``), a plain error page or the form's error on pages. Bodies nested too deep, too large, not
JSON or of the wrong type; NUL and other control characters; dates off the calendar; page numbers
and sizes that make no sense."""

import pytest

from office.confidentiality.models import Carrier
from office.org.models import Unit

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/org/units/"


def assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


# --- Bodies --------------------------------------------------------------------------------------


@pytest.mark.parametrize("nested", ["[" * 1100 + "]" * 1100, '{"a":' * 1100 + "1" + "}" * 1100])
def test_json_nested_1100_levels_deep_is_a_json_400(api, api_as, sysadmin, nested):
    """GIVEN a system admin, and an anonymous caller at the token endpoint
    WHEN each posts JSON nested 1,100 levels deep
    THEN both get a JSON 400 parse_error and nothing is stored."""
    before = Unit.objects.count()
    token = api.post("/api/v1/auth/token/", data=nested, content_type="application/json")
    units = api_as(sysadmin).post(UNITS, data=nested, content_type="application/json")

    assert_json_error(token, 400, "parse_error")
    assert "嵌套" in assert_json_error(units, 400, "parse_error")["detail"]
    assert Unit.objects.count() == before


def test_a_lone_surrogate_in_json_is_a_400_not_an_encoding_crash(api_as, sysadmin):
    """GIVEN a system admin WHEN a unit's kind is "\\ud800" (valid JSON, no character) THEN a JSON
    400, which can be written out (the error does not echo the unprintable value)."""
    response = api_as(sysadmin).post(
        UNITS, data='{"name": "测试", "code": "X1", "kind": "\\ud800"}', content_type="application/json"
    )
    assert_json_error(response, 400, "parse_error")


def test_a_body_over_the_size_limit_is_a_json_413_on_the_api(api, api_as, client, sysadmin, settings):
    """GIVEN the body size limit (lowered here to 2 000 bytes to keep the test small)
    WHEN a JSON body, a form body and a PATCH over it reach the API, and a form over it a page
    THEN the API answers JSON 413 request_too_large each time; the page a plain 400, not a 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    big = "中" * 1000  # 3 000 bytes in UTF-8
    admin = api_as(sysadmin)
    unit = Unit.objects.first()

    answers = [
        admin.post(UNITS, {"name": big}, format="json"),
        admin.post(UNITS, {"name": big}),  # multipart
        admin.post(UNITS, data=f"name={big}", content_type="application/x-www-form-urlencoded"),
        admin.patch(f"{UNITS}{unit.pk}/", data=f"name={big}", content_type="application/x-www-form-urlencoded"),
        api.post("/api/v1/auth/token/", {"username": big, "password": "x"}, format="json"),
    ]
    client.force_login(sysadmin.user)
    page = client.post("/documents/outgoing/new/", {"title": big})

    for response in answers:
        assert set(assert_json_error(response, 413, "request_too_large")) == {"detail", "code"}
    assert page.status_code == 400
    assert "请求无法处理" in page.content.decode()


def test_malformed_json_and_a_wrong_content_type_are_json_400_and_415(api_as, sysadmin):
    """GIVEN a system admin WHEN the body is not JSON, or is sent as text/plain THEN JSON 400
    parse_error and 415 unsupported_media_type."""
    admin = api_as(sysadmin)
    assert_json_error(admin.post(UNITS, data="{not json", content_type="application/json"), 400, "parse_error")
    assert_json_error(admin.post(UNITS, data="hello", content_type="text/plain"), 415, "unsupported_media_type")


@pytest.mark.parametrize("body", ["null", "[]", '"text"', "123"])
def test_a_body_that_is_not_an_object_is_a_400(api_as, sysadmin, body):
    """GIVEN a system admin WHEN the JSON body is null, an array, a string or a number THEN 400."""
    response = api_as(sysadmin).post(UNITS, data=body, content_type="application/json")
    assert_json_error(response, 400)


# --- NUL and control characters ---------------------------------------------------------------------


def test_nul_in_a_query_parameter_is_a_400_on_the_api_and_the_pages(api_as, client, person):
    """GIVEN a logged-in person
    WHEN a query parameter carries NUL (a search the database would refuse) on the API and on a
    page, or a page's form field does
    THEN each is a 400 (JSON on the API, a plain page otherwise); nothing reaches PostgreSQL."""
    api = api_as(person)
    client.force_login(person.user)

    assert_json_error(api.get("/api/v1/org/people/", {"q": "张\x00"}), 400, "null_character")
    assert_json_error(api.get(UNITS, {"page": "1\x00"}), 400, "null_character")
    page = client.get("/documents/outgoing/", {"q": "通知\x00"})
    form = client.post("/documents/outgoing/new/", {"title": "通知\x00"})
    for response in (page, form):
        assert response.status_code == 400
        assert "空字符" in response.content.decode()


def test_control_characters_in_api_text_fields_are_a_400_in_chinese(api_as, sysadmin):
    """GIVEN a system admin
    WHEN a unit is created with \\x01, \\x00 or a line break in its (one-line) name
    THEN each is a 400 naming the field in Chinese, and no unit is stored."""
    admin = api_as(sysadmin)
    before = Unit.objects.count()
    parent = sysadmin.unit.organ_id or sysadmin.unit_id

    errors = [
        assert_json_error(
            admin.post(UNITS, {"name": name, "code": "CTRL1", "kind": "section", "parent": parent}, format="json"),
            400,
            "invalid",
        )["errors"]["name"]
        for name in ("综合\x01科", "综合\x00科", "综合\n科")
    ]

    assert len(errors[0]) == 1 and "控制字符" in errors[0][0] and "U+0001" in errors[0][0]
    assert errors[1] == [errors[0][0].replace("U+0001", "U+0000")]  # NUL: refused, never sent to PostgreSQL
    assert len(errors[2]) == 1 and "一行" in errors[2][0]
    assert Unit.objects.count() == before


def test_control_characters_in_a_page_form_are_a_form_error(client, person):
    """GIVEN the carrier register's form (a form on the shared base)
    WHEN a title with \\x01 is posted, and content with line breaks but a \\x07
    THEN the form comes back with each field's message in Chinese and nothing is stored."""
    client.force_login(person.user)
    response = client.post(
        "/confidentiality/carriers/new/",
        {
            "title": "会议\x01纪要",
            "kind": "paper",
            "unit": person.unit_id,
            "classification": 1,
            "content": "一\n二\x07",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("控制字符") == 2 and "U+0001" in page and "U+0007" in page
    assert not Carrier.objects.exists()


# --- Numbers, pages and dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"page": "abc"},
        {"page_size": "abc"},
        {"page_size": "0"},
        {"page_size": "-5"},
        {"page_size": "99999999999999999999"},
        {"ordering": "garbage"},
    ],
)
def test_page_numbers_and_sizes_that_make_no_sense_are_answered(api_as, client, person, params):
    """GIVEN a logged-in person WHEN a list is asked for page 0, -1, a 20-digit page, or a page
    size that is not a positive number THEN the API answers in JSON (the first page, or 404/400)
    and the pages' registers show a page, never a 500."""
    response = api_as(person).get(UNITS, params)
    client.force_login(person.user)

    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"].startswith("application/json")
    for register in ("/documents/outgoing/", "/documents/incoming/", "/supervision/", "/confidentiality/carriers/"):
        assert client.get(register, params).status_code == 200


def test_calendar_dates_off_the_calendar_are_field_errors(api_as, client, person):
    """GIVEN a logged-in person
    WHEN the due-date calculator is asked from 9999-12-31 or 0001-01-01, on the API and the page
    THEN the API answers 400 on ``start`` and the page answers with the form."""
    api = api_as(person)
    client.force_login(person.user)
    for start in ("9999-12-31", "0001-01-01"):
        response = api.get("/api/v1/calendar/due-date/", {"start": start, "amount": 5, "unit": "working_days"})
        assert "start" in assert_json_error(response, 400, "invalid")["errors"]
        assert client.get("/calendar/", {"start": start, "amount": 5, "unit": "working_days"}).status_code == 200


def test_an_anonymous_caller_with_a_hostile_query_gets_401_or_the_login_page(api, client):
    """GIVEN nobody logged in WHEN a list or a page is asked with NUL and huge numbers THEN 401 on
    the API and the login redirect (or 400) on pages, never a 500."""
    assert api.get(UNITS, {"page": "99999999999999999999"}).status_code == 401
    assert client.get("/documents/outgoing/", {"page": "99999999999999999999"}).status_code == 302


@pytest.mark.parametrize("value", ["abc", "\x01", "9999-12-31", "[]"])
def test_the_admin_answers_a_choice_that_is_no_id_with_the_form(client, sysadmin, value):
    """GIVEN the 系统管理员 in the admin
    WHEN a person's form is opened with ``?unit=abc`` (or \\x01, a date, ``[]``), and a unit is
    added with such a parent
    THEN both pages answer with the form (the choice refused), never a server error."""
    client.force_login(sysadmin.user)
    before = Unit.objects.count()

    opened = client.get("/admin/org/person/add/", {"unit": value})
    added = client.post("/admin/org/unit/add/", {"name": "新单位", "code": "NEW1", "kind": "section", "parent": value})

    assert opened.status_code == 200
    assert added.status_code == 200
    assert Unit.objects.count() == before

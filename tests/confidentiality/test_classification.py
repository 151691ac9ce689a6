"""The 密级 and 保密期限 rules of 《保守国家秘密法》, and the ceiling."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent, Carrier, TermUnit

pytestmark = pytest.mark.django_db
START = date(2026, 3, 1)


@pytest.mark.parametrize(("level", "maximum"), [(Level.TOP_SECRET, 30), (Level.SECRET, 20), (Level.CONFIDENTIAL, 10)])
def test_a_missing_term_is_the_maximum_and_longer_terms_are_refused(level, maximum):
    """GIVEN each level WHEN no term is given THEN the law's maximum applies; one year more is refused."""
    fields = services.normalize_term(level, start=START)
    assert (fields["secrecy_term_unit"], fields["secrecy_term_amount"]) == (TermUnit.YEARS, maximum)
    assert fields["declassify_due"] == date(2026 + maximum, 3, 1)
    with pytest.raises(ValidationError, match=f"最长{maximum}年"):
        services.normalize_term(level, unit=TermUnit.YEARS, amount=maximum + 1, start=START)
    with pytest.raises(ValidationError, match=f"最长{maximum}年"):
        services.normalize_term(level, unit=TermUnit.UNTIL, until=date(2026 + maximum, 3, 2), start=START)


def test_terms_under_a_year_are_in_months():
    """GIVEN a 秘密 matter for six months THEN it runs to the same day six months on; 12 months is refused."""
    fields = services.normalize_term(Level.CONFIDENTIAL, unit=TermUnit.MONTHS, amount=6, start=date(2026, 8, 31))
    assert fields["declassify_due"] == date(2027, 2, 28)
    with pytest.raises(ValidationError):
        services.normalize_term(Level.CONFIDENTIAL, unit=TermUnit.MONTHS, amount=12, start=START)


def test_a_condition_instead_of_a_term_needs_its_text():
    """GIVEN a 解密条件 instead of a term THEN it must be written out and sets no due date."""
    with pytest.raises(ValidationError, match="解密条件"):
        services.normalize_term(Level.SECRET, unit=TermUnit.CONDITION, condition="  ", start=START)
    fields = services.normalize_term(Level.SECRET, unit=TermUnit.CONDITION, condition="项目公布后", start=START)
    assert fields["declassify_condition"] == "项目公布后" and fields["declassify_due"] is None


def test_unclassified_levels_carry_no_term():
    """GIVEN an 内部 matter WHEN a term is given THEN it is refused."""
    with pytest.raises(ValidationError):
        services.normalize_term(Level.INTERNAL, unit=TermUnit.YEARS, amount=5, start=START)


@time_machine.travel("2026-03-01 10:00 +0800", tick=False)
def test_level_marks(security_officer, register):
    """GIVEN records of each kind of term THEN their marks read as on paper: 机密★10年, 秘密★6个月,
    绝密★2030年12月31日, 机密★解密条件, 内部."""
    marks = [
        register(security_officer, level=Level.SECRET, term_unit=TermUnit.YEARS, term_amount=10).level_mark,
        register(security_officer, level=Level.CONFIDENTIAL, term_unit=TermUnit.MONTHS, term_amount=6).level_mark,
        register(
            security_officer, level=Level.TOP_SECRET, term_unit=TermUnit.UNTIL, until=date(2030, 12, 31)
        ).level_mark,
        register(security_officer, level=Level.SECRET, term_unit=TermUnit.CONDITION, condition="公布后").level_mark,
        register(security_officer, level=Level.INTERNAL).level_mark,
    ]
    assert marks == ["机密★10年", "秘密★6个月", "绝密★2030年12月31日", "机密★解密条件", "内部"]


def test_classified_records_need_a_basis(security_officer):
    """GIVEN a 机密 carrier WHEN registered without 定密依据 THEN refused, nothing stored."""
    with pytest.raises(ValidationError, match="定密依据"):
        services.carrier_register(
            actor=security_officer.user, title="无依据", unit=security_officer.unit, level=Level.SECRET
        )
    assert not Carrier.objects.exists()


def test_nobody_classifies_above_their_own_clearance(register):
    """GIVEN a person cleared for 秘密 WHEN they register a 机密 carrier THEN refused."""
    from django.core.exceptions import PermissionDenied

    from tests.factories import make_person

    clerk = make_person(username="clerk", clearance=Level.CONFIDENTIAL)
    with pytest.raises(PermissionDenied):
        register(clerk, level=Level.SECRET)


def test_reclassification_needs_a_reason_and_is_logged(security_officer, register):
    """GIVEN a 机密 carrier WHEN its level is lowered THEN a reason is required and the change is
    a security event with before and after."""
    carrier = register(security_officer, level=Level.SECRET)
    with pytest.raises(ValidationError):
        services.reclassify(actor=security_officer.user, record=carrier, level=Level.CONFIDENTIAL, reason=" ")

    services.reclassify(
        actor=security_officer.user,
        record=carrier,
        level=Level.CONFIDENTIAL,
        reason="降密审查",
        term_unit=TermUnit.YEARS,
        term_amount=5,
    )

    carrier.refresh_from_db()
    assert carrier.level_mark == "秘密★5年"
    event = AuditEvent.objects.filter(action=AuditAction.RECLASSIFY).latest("id")
    assert event.detail["from"]["mark"] == "机密★20年" and event.detail["to"]["mark"] == "秘密★5年"
    assert event.detail["reason"] == "降密审查"


# --- The ceiling ---------------------------------------------------------------------------------


def test_the_ceiling_refuses_content_above_it_and_keeps_the_register(security_officer, register, settings):
    """GIVEN the default ceiling 内部 WHEN a 机密 carrier is registered with content THEN it is
    refused with the reason; without content, the register entry is kept; 内部 content is fine."""
    assert settings.SHUNIU_CLASSIFICATION_CEILING == Level.INTERNAL
    with pytest.raises(services.CeilingExceeded, match="密级上限为“内部”"):
        register(security_officer, level=Level.SECRET, content="涉密正文")
    assert not Carrier.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.CEILING_REFUSED).count() == 1

    register_only = register(security_officer, level=Level.SECRET)
    internal = register(security_officer, level=Level.INTERNAL, content="内部正文")
    assert register_only.content == "" and internal.content == "内部正文"
    with pytest.raises(services.CeilingExceeded):
        services.carrier_update_content(actor=security_officer.user, carrier=register_only, content="补录")
    register_only.refresh_from_db()
    assert register_only.content == ""


def test_raising_a_record_with_content_above_the_ceiling_is_refused(security_officer, register):
    """GIVEN an 内部 carrier with content WHEN someone raises it to 机密 THEN refused: the content
    may not stay in this system at that level."""
    carrier = register(security_officer, level=Level.INTERNAL, content="内部正文")
    with pytest.raises(services.CeilingExceeded):
        services.reclassify(
            actor=security_officer.user, record=carrier, level=Level.SECRET, reason="升密", basis="保密事项范围"
        )
    carrier.refresh_from_db()
    assert carrier.level == Level.INTERNAL


def test_the_api_answers_the_ceiling_with_a_400(security_officer, api_as):
    """GIVEN the ceiling 内部 WHEN a 机密 carrier with content is posted THEN 400 with the ceiling
    message and nothing stored; the demo's ceiling 绝密 accepts it."""
    payload = {
        "title": "涉密载体",
        "unit": security_officer.unit.pk,
        "classification": "secret",
        "classification_basis": "保密事项范围",
        "content": "涉密正文",
    }
    response = api_as(security_officer).post("/api/v1/confidentiality/carriers/", payload, format="json")
    assert response.status_code == 400
    assert "密级上限" in json_text(response)
    assert not Carrier.objects.exists()


def test_the_demo_ceiling_accepts_content(security_officer, api_as, settings):
    """GIVEN the ceiling raised to 绝密 WHEN a 机密 carrier with content is posted THEN it is stored,
    and the API returns its content (绝密 content never travels through the API)."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    client = api_as(security_officer)
    base = {"unit": security_officer.unit.pk, "classification_basis": "保密事项范围", "content": "正文"}
    secret = client.post(
        "/api/v1/confidentiality/carriers/", {**base, "title": "机密件", "classification": "secret"}, format="json"
    )
    top = client.post(
        "/api/v1/confidentiality/carriers/", {**base, "title": "绝密件", "classification": "top_secret"}, format="json"
    )
    assert secret.status_code == 201 and secret.json()["content"] == "正文"
    assert top.status_code == 201 and top.json()["content"] is None
    detail = client.get(f"/api/v1/confidentiality/carriers/{top.json()['id']}/").json()
    assert detail["content"] is None and detail["level_mark"] == "绝密★30年"


def json_text(response) -> str:
    import json as _json

    return _json.dumps(response.json(), ensure_ascii=False)

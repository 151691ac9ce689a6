"""``/api/v1/confidentiality/``: the access log, the 份号 register, copy requests and the
declassification worklist, as a 保密员, a holder, a leader and an outsider meet them."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from office.confidentiality import services
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent, Carrier, ClassifiedCopy, CopyRequest
from office.org.models import Role
from tests.factories import OrganFactory, UnitFactory, make_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/confidentiality"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- The office ---------------------------------------------------------------------------------


@pytest.fixture
def organ(db):
    return OrganFactory(name="临江市档案局")


@pytest.fixture
def office_unit(organ):
    return UnitFactory(parent=organ, name="办公室")


@pytest.fixture
def officer(office_unit):
    return make_person(
        username="bmy_wang",
        name="王保密",
        unit=office_unit,
        clearance=Level.SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def second_officer(office_unit):
    return make_person(
        username="bmy_zhao",
        name="赵监销",
        unit=office_unit,
        clearance=Level.SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )


@pytest.fixture
def business_unit(organ):
    return UnitFactory(parent=organ, name="业务一处")


@pytest.fixture
def holder(business_unit):
    return make_person(username="li_holder", name="李持有", unit=business_unit, clearance=Level.SECRET)


@pytest.fixture
def staff(business_unit):
    """An ordinary 承办人 without a secret clearance."""
    return make_person(username="staff_chen", name="陈科员", unit=business_unit, clearance=Level.INTERNAL)


@pytest.fixture
def leader(organ):
    return make_person(
        username="leader_sun", name="孙局长", unit=organ, clearance=Level.TOP_SECRET, roles=(Role.LEADER,)
    )


def as_(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


def register(actor, *, level=Level.SECRET, title="关于年度保密检查的通知", unit=None, **extra) -> Carrier:
    """A carrier in the register (the test ceiling is 内部: no content above it)."""
    return services.carrier_register(
        actor=actor.user, title=title, unit=unit or actor.unit, level=level, basis="保密事项范围第3项", **extra
    )


def issue(client, carrier, holder=None, **extra):
    body = {"record_type": "confidentiality.carrier", "record_id": carrier.pk, **extra}
    if holder is not None:
        body["holder_person"] = holder.pk
    return client.post(f"{BASE}/copies/", body, format="json")


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- The access and security log ---------------------------------------------------------------


def test_access_log_is_for_security_officers_only(api, staff, leader, officer):
    """GIVEN events in the log WHEN an ordinary person or a leader asks for the log, a row or its
    export, or nobody logs in THEN 403 for the people and 401 for the anonymous caller."""
    register(officer)
    event_id = AuditEvent.objects.latest("id").pk

    for person in (staff, leader):
        client = as_(person)
        assert client.get(f"{BASE}/access-logs/").status_code == 403
        assert client.get(f"{BASE}/access-logs/{event_id}/").status_code == 403
        assert client.get(f"{BASE}/access-logs/export/").status_code == 403
    assert api.get(f"{BASE}/access-logs/").status_code == 401
    assert api.get(f"{BASE}/access-logs/export/").status_code == 401


def test_security_officer_reads_and_filters_the_log(officer, holder):
    """GIVEN two carriers, one copy issued and signed WHEN the 保密员 lists the log, with filters
    by action, actor, record and text THEN each filter keeps exactly the matching rows."""
    notice = register(officer, title="关于年度保密检查的通知")
    plan = register(officer, title="应急预案")
    copy = services.copy_issue(actor=officer.user, record=notice, holder_person=holder)
    services.copy_sign(actor=holder.user, copy=copy)
    client = as_(officer)

    everything = rows(client.get(f"{BASE}/access-logs/"))
    issued = rows(client.get(f"{BASE}/access-logs/", {"action": "copy_issue"}))
    by_holder = rows(client.get(f"{BASE}/access-logs/", {"actor": holder.user.pk}))
    about_plan = rows(
        client.get(f"{BASE}/access-logs/", {"object_type": "confidentiality.carrier", "object_id": plan.pk})
    )
    searched = rows(client.get(f"{BASE}/access-logs/", {"q": "年度保密"}))
    by_name = rows(client.get(f"{BASE}/access-logs/", {"q": "李持"}))

    assert [row["action"] for row in everything] == ["copy_sign", "copy_issue", "classify", "classify"]
    first = everything[-1]
    assert first["actor"] == officer.user.pk and first["actor_name"] == "王保密"
    assert first["action_label"] == "定密" and first["classification"] == "secret"
    assert first["object_type"] == "confidentiality.carrier" and first["object_repr"] == "关于年度保密检查的通知"
    assert len(first["hash"]) == 64 and everything[-2]["prev_hash"] == first["hash"]
    assert [row["detail"]["copy"] for row in issued] == ["000001"]
    assert [row["action"] for row in by_holder] == ["copy_sign"]
    assert [(row["action"], row["object_id"]) for row in about_plan] == [("classify", str(plan.pk))]
    assert {row["object_repr"] for row in searched} == {"关于年度保密检查的通知"} and len(searched) == 3
    assert [row["actor_name"] for row in by_name] == ["李持有"]
    detail = client.get(f"{BASE}/access-logs/{first['id']}/")
    assert detail.status_code == 200 and detail.json()["hash"] == first["hash"]


def test_date_filters_count_whole_days_in_beijing_time(officer, time_machine):
    """GIVEN a carrier registered at 00:30 Beijing time on 3 March (still 2 March in UTC) and one
    on 5 March WHEN the 保密员 filters from/to 3 March, and from 4 March THEN each day holds its own."""
    time_machine.move_to(datetime(2026, 3, 3, 0, 30, tzinfo=SHANGHAI), tick=False)
    register(officer, title="三日登记")
    time_machine.move_to(datetime(2026, 3, 5, 15, 0, tzinfo=SHANGHAI), tick=False)
    register(officer, title="五日登记")
    client = as_(officer)

    third = rows(client.get(f"{BASE}/access-logs/", {"from": "2026-03-03", "to": "2026-03-03"}))
    later = rows(client.get(f"{BASE}/access-logs/", {"from": "2026-03-04"}))
    backwards = client.get(f"{BASE}/access-logs/", {"from": "2026-03-05", "to": "2026-03-01"})

    assert [row["object_repr"] for row in third] == ["三日登记"]
    assert [row["object_repr"] for row in later] == ["五日登记"]
    assert backwards.status_code == 400 and "to" in backwards.json()["errors"]


def test_bad_log_filters_are_400(officer):
    """GIVEN a 保密员 WHEN they send an unknown filter, an unknown action or record type, or a bad
    date THEN 400 naming the parameter, instead of an unfiltered list."""
    client = as_(officer)

    cases = {
        "actr": {"actr": "3"},
        "action": {"action": "peek"},
        "object_type": {"object_type": "nothing.here"},
        "from": {"from": "yesterday"},
    }
    for field, params in cases.items():
        response = client.get(f"{BASE}/access-logs/", params)
        assert response.status_code == 400, field
        assert field in response.json()["errors"], field
    assert client.get(f"{BASE}/access-logs/", {"page": 1, "page_size": 10, "action": ""}).status_code == 200


def test_export_is_an_excel_file_of_the_filtered_rows_and_is_itself_logged(officer):
    """GIVEN two carriers WHEN the 保密员 exports the log filtered by text THEN an .xlsx with a
    header and exactly the matching rows, and an ``export`` event naming the filters (the text
    searched for with the officer's clearance, and the nonce that keeps it out of the hash)."""
    register(officer, title="关于年度保密检查的通知")
    register(officer, title="应急预案")

    response = as_(officer).get(f"{BASE}/access-logs/export/", {"q": "应急"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;") and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    header, *data = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("编号", "时间", "操作人", "操作") and "哈希" in header
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert row["记录"] == "应急预案" and row["操作"] == "定密" and row["操作人"] == "王保密" and row["密级"] == "机密"
    assert isinstance(row["时间"], datetime)
    export = AuditEvent.objects.latest("id")
    assert export.action == AuditAction.EXPORT and export.actor == officer.user
    nonce = export.detail.pop("nonce")
    assert export.detail == {"what": "access_log", "filters": {"q": "应急"}, "rows": 1, "clearance": "secret"}
    assert len(nonce) == 32


def test_export_writes_record_names_as_text_not_formulas(officer):
    """GIVEN a carrier whose title looks like a spreadsheet formula WHEN the log is exported
    THEN the cell holds that text, not a live formula."""
    title = '=HYPERLINK("http://evil.example","点我")'
    register(officer, title=title)

    response = as_(officer).get(f"{BASE}/access-logs/export/")

    sheet = load_workbook(BytesIO(response.content)).active
    cell = next(cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == title)
    assert cell.data_type == "s"


def test_officer_cleared_for_confidential_does_not_see_top_secret_rows(organ, office_unit):
    """GIVEN a 绝密 carrier registered by a core 涉密人员 and a 秘密 one WHEN a 保密员 cleared only
    for 秘密 reads the log, a 绝密 row, or exports THEN the 绝密 record never shows."""
    top = make_person(username="core", unit=office_unit, clearance=Level.TOP_SECRET)
    low_officer = make_person(
        username="bmy_low", unit=office_unit, clearance=Level.CONFIDENTIAL, roles=(Role.SECURITY_OFFICER,)
    )
    register(top, level=Level.TOP_SECRET, title="绝密载体")
    register(top, level=Level.CONFIDENTIAL, title="秘密载体")
    top_event = AuditEvent.objects.get(object_repr="绝密载体")
    client = as_(low_officer)

    listed = rows(client.get(f"{BASE}/access-logs/"))
    exported = load_workbook(BytesIO(client.get(f"{BASE}/access-logs/export/").content)).active

    assert [row["object_repr"] for row in listed] == ["秘密载体"]
    assert client.get(f"{BASE}/access-logs/{top_event.pk}/").status_code == 404
    assert "绝密载体" not in {cell for row in exported.iter_rows(values_only=True) for cell in row}


# --- The 份号 register ------------------------------------------------------------------------------


def test_officer_issues_copies_numbered_in_sequence(officer, holder, second_officer):
    """GIVEN a 机密 carrier WHEN the 保密员 issues two copies THEN they are 000001 and 000002, show
    holder, state, due date and the level mark, and the holder may now read the carrier."""
    carrier = register(officer)
    client = as_(officer)

    first = issue(client, carrier, holder, due_back="2030-01-31", note="会议材料")
    second = issue(client, carrier, second_officer)

    assert first.status_code == 201, first.json()
    body = first.json()
    assert [body["copy_number"], second.json()["copy_number"]] == ["000001", "000002"]
    assert body["holder_person"] == holder.pk and body["holder_person_name"] == "李持有"
    assert body["state"] == "issued" and body["due_back"] == "2030-01-31" and body["overdue"] is False
    assert body["record_type"] == "confidentiality.carrier" and body["record_id"] == carrier.pk
    assert body["level"] == "secret" and body["level_mark"] == "机密★20年"
    assert body["record_title"] == "关于年度保密检查的通知" and "content" not in body
    assert Carrier.objects.visible_to(holder.user).filter(pk=carrier.pk).exists()
    register_rows = rows(client.get(f"{BASE}/copies/"))
    assert [row["copy_number"] for row in register_rows] == ["000001", "000002"]


def test_officer_issues_a_chosen_number_once(officer, holder):
    """GIVEN a copy 000007 already issued WHEN the 保密员 issues 7 again THEN 400 on copy_number
    and still one copy."""
    carrier = register(officer)
    client = as_(officer)

    assert issue(client, carrier, holder, copy_number=7).json()["copy_number"] == "000007"
    again = issue(client, carrier, holder, copy_number=7)

    assert again.status_code == 400 and "copy_number" in again.json()["errors"]
    assert ClassifiedCopy.objects.count() == 1


def test_officer_issues_copies_of_any_record_in_their_register(officer, holder, business_unit):
    """GIVEN a carrier registered by a business unit, outside the 保密员's own 知悉范围 but in their
    organ's register WHEN the 保密员 issues a copy THEN it is issued."""
    registrar = make_person(username="registrar", unit=business_unit, clearance=Level.SECRET)
    carrier = register(registrar, title="业务处载体")

    response = issue(as_(officer), carrier, holder)

    assert response.status_code == 201, response.json()
    assert response.json()["record_title"] == "业务处载体"


def test_a_copy_is_signed_returned_and_destroyed_by_two_people(officer, second_officer, holder):
    """GIVEN an issued copy WHEN the holder signs, the 保密员 returns it and puts it up for
    destruction, then confirms it himself, then a second 保密员 confirms THEN the self-confirmation
    is a 400 and the copy ends destroyed with both names recorded and audited."""
    carrier = register(officer)
    copy_id = issue(as_(officer), carrier, holder).json()["id"]
    url = f"{BASE}/copies/{copy_id}"

    signed = as_(holder).post(f"{url}/sign/")
    returned = as_(officer).post(f"{url}/return/")
    requested = as_(officer).post(f"{url}/request-destruction/", {"note": "年终清退销毁"}, format="json")
    by_himself = as_(officer).post(f"{url}/confirm-destruction/")
    confirmed = as_(second_officer).post(f"{url}/confirm-destruction/")

    assert signed.status_code == 200 and signed.json()["state"] == "signed" and signed.json()["signed_at"]
    assert returned.json()["state"] == "returned" and returned.json()["returned_at"]
    assert requested.json()["state"] == "destruction_requested" and requested.json()["note"] == "年终清退销毁"
    assert by_himself.status_code == 400 and by_himself.json()["code"] == "invalid"
    assert confirmed.status_code == 200, confirmed.json()
    body = confirmed.json()
    assert body["state"] == "destroyed" and body["destroyed_at"]
    assert body["destruction_requested_by_name"] == "王保密" and body["destruction_confirmed_by_name"] == "赵监销"
    destroy = AuditEvent.objects.get(action=AuditAction.COPY_DESTROY)
    assert destroy.detail["by"] == ["王保密", "赵监销"]


def test_moves_the_copy_state_does_not_allow_are_409(officer, second_officer, holder):
    """GIVEN copies in various states WHEN someone signs twice, destroys an unreturned copy,
    confirms an unrequested destruction, or returns a destroyed copy THEN 409 and nothing moves."""
    carrier = register(officer)
    client = as_(officer)
    copy_id = issue(client, carrier, holder).json()["id"]
    url = f"{BASE}/copies/{copy_id}"
    as_(holder).post(f"{url}/sign/")

    answers = [
        as_(holder).post(f"{url}/sign/"),
        client.post(f"{url}/request-destruction/"),
        as_(second_officer).post(f"{url}/confirm-destruction/"),
    ]
    client.post(f"{url}/return/")
    client.post(f"{url}/request-destruction/")
    as_(second_officer).post(f"{url}/confirm-destruction/")
    answers.append(client.post(f"{url}/return/"))

    for response in answers:
        assert response.status_code == 409, response.json()
        assert response.json()["code"] == "transition_not_allowed" and response.json()["detail"]
    assert ClassifiedCopy.objects.get(pk=copy_id).state == "destroyed"


def test_holder_may_sign_but_not_return_or_destroy(officer, holder):
    """GIVEN a copy held by an ordinary holder WHEN the holder tries to return it or put it up for
    destruction THEN 403 and the copy stays issued."""
    carrier = register(officer)
    copy_id = issue(as_(officer), carrier, holder).json()["id"]
    client = as_(holder)

    assert client.post(f"{BASE}/copies/{copy_id}/return/").status_code == 403
    assert client.post(f"{BASE}/copies/{copy_id}/request-destruction/").status_code == 403
    assert ClassifiedCopy.objects.get(pk=copy_id).state == "issued"


def test_holder_sees_only_their_own_copies(officer, holder, second_officer, business_unit):
    """GIVEN copies held by the holder, by someone else and by the holder's unit WHEN the holder
    lists copies, opens someone else's or signs it THEN they see theirs and their unit's, and 404."""
    carrier = register(officer)
    client = as_(officer)
    mine = issue(client, carrier, holder).json()["id"]
    theirs = issue(client, carrier, second_officer).json()["id"]
    units = client.post(
        f"{BASE}/copies/",
        {"record_type": "confidentiality.carrier", "record_id": carrier.pk, "holder_unit": business_unit.pk},
        format="json",
    ).json()
    holder_client = as_(holder)

    listed = rows(holder_client.get(f"{BASE}/copies/"))

    assert {row["id"] for row in listed} == {mine, units["id"]}
    assert units["holder_unit_name"] == "业务一处" and units["holder_person"] is None
    assert holder_client.get(f"{BASE}/copies/{theirs}/").status_code == 404
    assert holder_client.post(f"{BASE}/copies/{theirs}/sign/").status_code == 404
    assert ClassifiedCopy.objects.get(pk=theirs).state == "issued"


def test_overdue_filter_finds_copies_not_returned_in_time(officer, holder, time_machine):
    """GIVEN copies due back in 7 days, in 30 days and without a date WHEN ten days pass THEN
    ``overdue=1`` lists only the first, flagged overdue; once returned it is no longer overdue."""
    time_machine.move_to(datetime(2026, 4, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    carrier = register(officer)
    client = as_(officer)
    today = timezone.localdate()
    late = issue(client, carrier, holder, due_back=(today + timedelta(days=7)).isoformat()).json()["id"]
    issue(client, carrier, holder, due_back=(today + timedelta(days=30)).isoformat())
    issue(client, carrier, holder)

    time_machine.move_to(datetime(2026, 4, 11, 9, 0, tzinfo=SHANGHAI), tick=False)
    overdue = rows(client.get(f"{BASE}/copies/", {"overdue": 1}))
    holder_overdue = rows(as_(holder).get(f"{BASE}/copies/", {"overdue": "true"}))
    client.post(f"{BASE}/copies/{late}/return/")
    after_return = rows(client.get(f"{BASE}/copies/", {"overdue": 1}))

    assert [(row["id"], row["overdue"]) for row in overdue] == [(late, True)]
    assert [row["id"] for row in holder_overdue] == [late]
    assert after_return == []


def test_register_filters_by_state_and_record(officer, holder):
    """GIVEN copies of two carriers, one signed WHEN the 保密员 filters by state and by record
    THEN only the matching copies; a record id without its type is a 400."""
    notice, plan = register(officer, title="通知"), register(officer, title="预案")
    client = as_(officer)
    signed = issue(client, notice, holder).json()["id"]
    issue(client, notice, holder)
    of_plan = issue(client, plan, holder).json()["id"]
    as_(holder).post(f"{BASE}/copies/{signed}/sign/")

    by_state = rows(client.get(f"{BASE}/copies/", {"state": "signed"}))
    by_record = rows(client.get(f"{BASE}/copies/", {"record_type": "confidentiality.carrier", "record_id": plan.pk}))
    no_type = client.get(f"{BASE}/copies/", {"record_id": plan.pk})

    assert [row["id"] for row in by_state] == [signed]
    assert [row["id"] for row in by_record] == [of_plan]
    assert no_type.status_code == 400 and "record_type" in no_type.json()["errors"]


def test_issue_for_a_record_out_of_reach_is_404(officer, holder, staff):
    """GIVEN a carrier of one organ WHEN a 保密员 of another organ, or a person outside its 知悉范围,
    tries to issue a copy THEN 404 (as for a missing record), a ``denied`` event, and no copy."""
    carrier = register(officer)
    stranger = make_person(
        username="bmy_other",
        unit=UnitFactory(parent=OrganFactory(name="乙机关")),
        clearance=Level.TOP_SECRET,
        roles=(Role.SECURITY_OFFICER,),
    )

    foreign = issue(as_(stranger), carrier, holder)
    outsider = issue(as_(staff), carrier, holder)
    missing = issue(as_(officer), Carrier(pk=carrier.pk + 1000), holder)

    assert [foreign.status_code, outsider.status_code, missing.status_code] == [404, 404, 404]
    assert foreign.json()["detail"] == missing.json()["detail"]
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor=stranger.user).exists()
    assert not ClassifiedCopy.objects.exists()


def test_bad_issue_bodies_are_400(officer, holder, second_officer):
    """GIVEN a 保密员 WHEN they issue with an unknown field, an unknown or unclassifiable record
    type, two holders or none THEN 400 naming the field, and no copy is issued."""
    carrier = register(officer)
    client = as_(officer)

    unknown_field = issue(client, carrier, holder, holdr="x")
    unknown_type = client.post(
        f"{BASE}/copies/",
        {"record_type": "documents.nothing", "record_id": 1, "holder_person": holder.pk},
        format="json",
    )
    not_classifiable = client.post(
        f"{BASE}/copies/",
        {"record_type": "org.person", "record_id": holder.pk, "holder_person": holder.pk},
        format="json",
    )
    two_holders = issue(client, carrier, holder, holder_unit=second_officer.unit.pk)
    no_holder = issue(client, carrier)

    assert unknown_field.status_code == 400 and "holdr" in unknown_field.json()["errors"]
    assert unknown_type.status_code == 400 and "record_type" in unknown_type.json()["errors"]
    assert not_classifiable.status_code == 400 and "record_type" in not_classifiable.json()["errors"]
    assert two_holders.status_code == 400 and "holder_person" in two_holders.json()["errors"]
    assert no_holder.status_code == 400 and "holder_person" in no_holder.json()["errors"]
    assert not ClassifiedCopy.objects.exists()


def test_action_bodies_are_strict(officer, holder):
    """GIVEN an issued copy WHEN the holder signs with a field the action does not take THEN 400
    and the copy is still unsigned."""
    carrier = register(officer)
    copy_id = issue(as_(officer), carrier, holder).json()["id"]

    response = as_(holder).post(f"{BASE}/copies/{copy_id}/sign/", {"signed_at": "2020-01-01"}, format="json")

    assert response.status_code == 400 and "signed_at" in response.json()["errors"]
    assert ClassifiedCopy.objects.get(pk=copy_id).state == "issued"


def test_register_list_queries_do_not_grow_with_the_number_of_copies(officer, holder, second_officer):
    """GIVEN a register of 2 copies, then of 12 over two carriers and three holders WHEN the
    保密员 lists it THEN the same number of queries both times."""
    first, second = register(officer, title="甲"), register(officer, title="乙")
    client = as_(officer)
    issue(client, first, holder)
    issue(client, first, second_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}/copies/").status_code == 200
        return len(queries)

    small = count()
    for carrier in (first, second):
        for person in (holder, second_officer, officer, holder, second_officer):
            issue(client, carrier, person)
    assert ClassifiedCopy.objects.count() == 12
    assert count() == small


# --- Copy and excerpt requests -------------------------------------------------------------------


def test_copy_request_is_submitted_and_decided_by_a_leader(officer, holder, leader):
    """GIVEN a holder who may read a 机密 carrier WHEN they ask to copy it and a leader of the organ
    approves THEN the leader saw it waiting, it is approved, and a second decision is a 409."""
    carrier = register(officer)
    services.copy_issue(actor=officer.user, record=carrier, holder_person=holder)

    created = as_(holder).post(
        f"{BASE}/copy-requests/",
        {
            "record_type": "confidentiality.carrier",
            "record_id": carrier.pk,
            "kind": "copy",
            "copies": 2,
            "reason": "会议",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    waiting = rows(as_(leader).get(f"{BASE}/copy-requests/", {"state": "pending"}))
    decided = as_(leader).post(
        f"{BASE}/copy-requests/{request_id}/decide/", {"approve": True, "note": "同意"}, format="json"
    )
    again = as_(leader).post(f"{BASE}/copy-requests/{request_id}/decide/", {"approve": False}, format="json")
    own = rows(as_(holder).get(f"{BASE}/copy-requests/"))

    assert created.json()["state"] == "pending" and created.json()["copies"] == 2
    assert created.json()["requested_by_name"] == "李持有" and created.json()["level_mark"] == "机密★20年"
    assert [row["id"] for row in waiting] == [request_id]
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    assert decided.json()["decided_by_name"] == "孙局长" and decided.json()["decision_note"] == "同意"
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    assert [(row["id"], row["state"]) for row in own] == [(request_id, "approved")]


def test_only_a_leader_decides_a_copy_request(officer, holder, staff):
    """GIVEN a pending request of a 保密员 WHEN the requester approves it himself, or an ordinary
    person who cannot see it tries THEN 403 and 404, and it stays pending."""
    carrier = register(officer)
    request = services.copy_request_submit(actor=officer.user, record=carrier, kind="copy", reason="备份")

    own = as_(officer).post(f"{BASE}/copy-requests/{request.pk}/decide/", {"approve": True}, format="json")
    other = as_(staff).post(f"{BASE}/copy-requests/{request.pk}/decide/", {"approve": True}, format="json")

    assert own.status_code == 403
    assert other.status_code == 404
    request.refresh_from_db()
    assert request.state == "pending"


def test_top_secret_copy_needs_the_classifying_organs_approval(office_unit, leader):
    """GIVEN a request to excerpt a 绝密 carrier WHEN the leader approves without stating the
    classifying organ's approval THEN 400 on that field; stating it THEN approved and recorded."""
    core = make_person(username="core", name="核心人员", unit=office_unit, clearance=Level.TOP_SECRET)
    carrier = register(core, level=Level.TOP_SECRET, title="绝密载体")
    request_id = (
        as_(core)
        .post(
            f"{BASE}/copy-requests/",
            {"record_type": "confidentiality.carrier", "record_id": carrier.pk, "kind": "excerpt", "reason": "起草"},
            format="json",
        )
        .json()["id"]
    )
    url = f"{BASE}/copy-requests/{request_id}/decide/"

    missing = as_(leader).post(url, {"approve": True}, format="json")
    approved = as_(leader).post(
        url, {"approve": True, "originating_organ_approval": "市保密局批复〔2026〕3号"}, format="json"
    )

    assert missing.status_code == 400 and "originating_organ_approval" in missing.json()["errors"]
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved" and approved.json()["originating_organ_approval"].startswith(
        "市保密局"
    )


def test_copy_request_for_a_record_out_of_reach_is_404(officer, staff):
    """GIVEN a 机密 carrier outside a person's reach WHEN they ask to copy it, or name a type that
    is not classifiable, or send an unknown field THEN 404, 400, 400 and no request exists."""
    carrier = register(officer)
    body = {"record_type": "confidentiality.carrier", "record_id": carrier.pk, "kind": "copy", "reason": "学习"}
    client = as_(staff)

    hidden = client.post(f"{BASE}/copy-requests/", body, format="json")
    wrong_type = client.post(f"{BASE}/copy-requests/", {**body, "record_type": "org.unit"}, format="json")
    extra = as_(officer).post(f"{BASE}/copy-requests/", {**body, "urgent": True}, format="json")

    assert hidden.status_code == 404
    assert wrong_type.status_code == 400 and "record_type" in wrong_type.json()["errors"]
    assert extra.status_code == 400 and "urgent" in extra.json()["errors"]
    assert not CopyRequest.objects.exists()


# --- Declassification review ---------------------------------------------------------------------


def test_declassification_worklist_is_for_security_officers_only(api, staff, leader):
    """GIVEN the worklist WHEN a person who is not a 保密员 asks, or nobody logs in THEN 403 / 401."""
    assert as_(staff).get(f"{BASE}/declassification/").status_code == 403
    assert as_(leader).get(f"{BASE}/declassification/").status_code == 403
    assert as_(leader).post(f"{BASE}/declassification/decide/", {}, format="json").status_code == 403
    assert api.get(f"{BASE}/declassification/").status_code == 401


@pytest.fixture
def expired(officer, time_machine):
    """A 秘密 carrier with a one-month term registered on 2 March 2026, and today is 5 May 2026."""
    time_machine.move_to(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
    carrier = register(officer, level=Level.CONFIDENTIAL, title="一个月期限", term_unit="months", term_amount=1)
    register(officer, level=Level.SECRET, title="长期")
    time_machine.move_to(datetime(2026, 5, 5, 10, 0, tzinfo=SHANGHAI), tick=False)
    return carrier


def test_a_record_whose_term_ran_out_is_declassified_from_the_worklist(officer, expired):
    """GIVEN a 秘密 carrier whose one-month term ended WHEN the 保密员 opens the worklist and
    declassifies it THEN it was listed, it is 内部 now, off the list, and a ``declassify`` event exists."""
    client = as_(officer)

    before = rows(client.get(f"{BASE}/declassification/"))
    decided = client.post(
        f"{BASE}/declassification/decide/",
        {
            "record_type": "confidentiality.carrier",
            "record_id": expired.pk,
            "action": "declassify",
            "reason": "保密期限届满，经审核不再需要保密",
        },
        format="json",
    )
    after = rows(client.get(f"{BASE}/declassification/"))

    assert before == [
        {
            "record_type": "confidentiality.carrier",
            "record_id": expired.pk,
            "title": "一个月期限",
            "level": "confidential",
            "level_mark": "秘密★1个月",
            "secrecy_from": "2026-03-02",
            "declassify_due": "2026-04-02",
            "condition": "",
            "condition_met": False,
        }
    ]
    assert decided.status_code == 200, decided.json()
    assert decided.json()["level"] == "internal" and decided.json()["level_mark"] == "内部"
    assert after == []
    expired.refresh_from_db()
    assert expired.classification == Level.INTERNAL
    event = AuditEvent.objects.get(action=AuditAction.DECLASSIFY, object_id=str(expired.pk))
    assert event.actor == officer.user and event.detail["reason"].startswith("保密期限届满")


def test_extending_the_term_takes_a_record_off_the_worklist(officer, expired):
    """GIVEN a record whose one-month term ran out WHEN the 保密员 extends the term to a year THEN it
    keeps its level, the year counts from the date first marked, and it leaves the worklist."""
    response = as_(officer).post(
        f"{BASE}/declassification/decide/",
        {
            "record_type": "confidentiality.carrier",
            "record_id": expired.pk,
            "action": "extend",
            "secrecy_term_unit": "years",
            "secrecy_term_amount": 1,
            "reason": "相关工作尚未结束",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["level"] == "confidential" and response.json()["level_mark"] == "秘密★1年"
    assert (
        response.json()["declassify_due"]
        == (expired.secrecy_from.replace(year=expired.secrecy_from.year + 1)).isoformat()
    )
    assert rows(as_(officer).get(f"{BASE}/declassification/")) == []
    assert AuditEvent.objects.filter(action=AuditAction.RECLASSIFY, object_id=str(expired.pk)).exists()


def test_bad_declassification_decisions_are_refused(officer, expired, organ):
    """GIVEN a record due for review WHEN the decision is malformed, breaks the law's maximum, or
    names a record outside the 保密员's register THEN 400 / 404 and the record is unchanged."""
    client = as_(officer)
    base = {"record_type": "confidentiality.carrier", "record_id": expired.pk, "reason": "审核"}
    elsewhere = make_person(
        username="reg_b", unit=UnitFactory(parent=OrganFactory(name="乙机关")), clearance=Level.SECRET
    )
    foreign = register(elsewhere, level=Level.CONFIDENTIAL)

    cases = {
        "classification": {**base, "action": "declassify", "classification": "secret"},
        "secrecy_term_unit": {**base, "action": "extend"},
        "secrecy_term_amount": {**base, "action": "extend", "secrecy_term_unit": "years", "secrecy_term_amount": 11},
        "reason": {**base, "action": "declassify", "reason": ""},
        "record_type": {**base, "action": "declassify", "record_type": "org.unit"},
        "approve": {**base, "action": "declassify", "approve": True},
    }
    for field, body in cases.items():
        response = client.post(f"{BASE}/declassification/decide/", body, format="json")
        assert response.status_code == 400, (field, response.json())
        assert field in response.json()["errors"], (field, response.json())
    outside = client.post(
        f"{BASE}/declassification/decide/", {**base, "record_id": foreign.pk, "action": "declassify"}, format="json"
    )

    assert outside.status_code == 404
    expired.refresh_from_db()
    foreign.refresh_from_db()
    assert expired.classification == Level.CONFIDENTIAL and foreign.classification == Level.CONFIDENTIAL


def test_export_is_never_kept_in_a_cache(officer):
    """GIVEN a carrier in the log WHEN the 保密员 exports it through the API THEN the file is sent
    ``no-store``: a log of classified reads does not linger in a proxy or the browser."""
    register(officer, title="应急预案")

    response = as_(officer).get(f"{BASE}/access-logs/export/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]

"""导入 at the 交办会: the 届次会次, the batch from an Excel workbook or JSON (``imports.parse_rows``)
and ``services.proposals_import`` — every row or none, each bad row named, numbers once per session."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from petitions.proposals import services
from petitions.proposals.imports import parse_rows
from petitions.proposals.models import Proposal, ProposalEvent, ProposalSigner

pytestmark = pytest.mark.django_db

HEADER = ["类型", "编号", "案由", "内容", "领衔人", "代表团或界别", "提出日期", "附议人"]


def row(number="0101", **extra) -> dict:
    values = {
        "kind": "代表建议",
        "number": number,
        "title": "关于增设公交线路的建议",
        "content": "城北新区公交线路不足。",
        "lead_proposer": "陈代表",
        "delegation": "城北代表团",
        "submitted_on": "2026-01-15",
        "co_signers": [{"name": "林代表", "delegation": "城北代表团"}, {"name": "何代表"}],
    }
    values.update(extra)
    return values


def workbook(lines, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("交办清单.xlsx", buffer.getvalue())


def errors(excinfo, field):
    return excinfo.value.message_dict[field]


def test_import_creates_items_waiting_for_assignment(proposal_city):
    pc = proposal_city
    made = services.proposals_import(actor=pc.office.user, session=pc.session, rows=[row("0101"), row("0102")])
    assert [p.number for p in made] == ["0101", "0102"]
    proposal = Proposal.objects.get(number="0101")
    assert proposal.state == "imported" and proposal.kind == "deputy"
    assert (proposal.organ, proposal.intake_unit, proposal.registrar) == (pc.city.org.city, pc.office_unit, pc.office)
    assert proposal.submitted_on == date(2026, 1, 15)
    signers = list(ProposalSigner.objects.filter(proposal=proposal).values_list("name", "lead", "delegation"))
    assert signers == [("陈代表", True, "城北代表团"), ("林代表", False, "城北代表团"), ("何代表", False, "")]
    assert ProposalEvent.objects.filter(proposal=proposal, action="导入").exists()
    assert Proposal.objects.visible_to(pc.office.user).filter(pk=proposal.pk).exists()
    assert not Proposal.objects.visible_to(pc.bureau_head.user).filter(pk=proposal.pk).exists()


def test_import_is_all_or_nothing_with_each_bad_row_named(proposal_city):
    pc = proposal_city
    rows = [
        row("0201"),
        row("0202", kind="政协提案"),  # not of a 人大 session
        row("0203", title="", submitted_on="去年"),
        row("0201"),  # twice in the batch
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.proposals_import(actor=pc.office.user, session=pc.session, rows=rows)
    messages = errors(excinfo, "rows")
    assert len(messages) == 3
    assert messages[0].startswith("第2行：") and "类型" in messages[0]
    assert messages[1].startswith("第3行：") and "案由" in messages[1] and "提出日期" in messages[1]
    assert messages[2].startswith("第4行：") and "0201" in messages[2] and "第1行" in messages[2]
    assert not Proposal.objects.exists()


def test_a_number_already_in_the_session_is_an_error(proposal_city, make_proposal):
    pc = proposal_city
    make_proposal(number="0301")
    with pytest.raises(ValidationError) as excinfo:
        services.proposals_import(actor=pc.office.user, session=pc.session, rows=[row("0302"), row("0301")])
    assert errors(excinfo, "rows") == ["第2行：编号0301在本届次会次中已存在。"]
    assert not Proposal.objects.filter(number="0302").exists()


def test_kind_by_code_co_signers_as_text_and_chinese_dates(proposal_city):
    pc = proposal_city
    [proposal] = services.proposals_import(
        actor=pc.office.user,
        session=pc.session,
        rows=[row("0401", kind="recess", submitted_on="2026年2月3日", co_signers="林代表、何代表，陈代表")],
    )
    assert proposal.kind == "recess" and proposal.submitted_on == date(2026, 2, 3)
    # The 领衔人 named again among the co-signers is not a second signer.
    assert list(proposal.signers.values_list("name", flat=True)) == ["陈代表", "林代表", "何代表"]


def test_only_a_supervisor_imports_into_his_organs_session(proposal_city):
    pc = proposal_city
    assert services.may_import(pc.office.user) and not services.may_import(pc.bureau_head.user)
    with pytest.raises(PermissionDenied):
        services.proposals_import(actor=pc.bureau_head.user, session=pc.session, rows=[row()])
    session = services.session_create(
        actor=pc.office.user, body="cppcc", name="测试市十届政协四次会议", year=2026, recipient_office="市政协提案委"
    )
    assert session.organ == pc.city.org.city
    with pytest.raises(ValidationError) as excinfo:
        services.session_create(
            actor=pc.office.user,
            body="cppcc",
            name="测试市十届政协四次会议",
            year=2026,
            recipient_office="市政协提案委",
        )
    assert "name" in excinfo.value.message_dict
    [proposal] = services.proposals_import(actor=pc.office.user, session=session, rows=[row(kind="政协提案")])
    assert proposal.kind == "cppcc"


def test_parse_an_excel_workbook(proposal_city):
    upload = workbook(
        [
            [
                "代表建议",
                501,
                "关于增设公交线路的建议",
                "城北新区公交线路不足。",
                "陈代表",
                "城北代表团",
                date(2026, 1, 15),
                "林代表、何代表",
            ],
            [None] * 8,  # an empty line is skipped
            ["代表建议", "0502", "", "内容", "陈代表", "", "2026-01-16", None],
        ]
    )
    rows = parse_rows(upload)
    assert [r["_row"] for r in rows] == [2, 4]
    assert rows[0]["number"] == "501" and rows[0]["submitted_on"] == "2026-01-15"
    with pytest.raises(ValidationError) as excinfo:
        services.proposals_import(actor=proposal_city.office.user, session=proposal_city.session, rows=rows)
    [message] = errors(excinfo, "rows")
    assert message.startswith("第4行：") and "案由" in message
    [proposal] = services.proposals_import(
        actor=proposal_city.office.user, session=proposal_city.session, rows=rows[:1]
    )
    assert list(proposal.signers.values_list("name", flat=True)) == ["陈代表", "林代表", "何代表"]


def test_parse_json(proposal_city):
    upload = SimpleUploadedFile("list.json", json.dumps([row("0601")], ensure_ascii=False).encode())
    [parsed] = parse_rows(upload)
    assert parsed["number"] == "0601" and parsed["co_signers"][0]["name"] == "林代表"
    [proposal] = services.proposals_import(
        actor=proposal_city.office.user, session=proposal_city.session, rows=[parsed]
    )
    assert proposal.signers.count() == 3


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (SimpleUploadedFile("list.csv", b"a,b"), "Excel"),
        (SimpleUploadedFile("list.json", b""), "空"),
        (SimpleUploadedFile("list.json", b"{not json"), "JSON"),
        (SimpleUploadedFile("list.json", b'{"number": "1"}'), "列表"),
        (SimpleUploadedFile("list.json", json.dumps([{"number": "1", "title": "t"}]).encode()), "缺少列"),
        (SimpleUploadedFile("list.xlsx", b"not a zip at all"), "工作簿"),
    ],
)
def test_wrong_files_are_refused_in_chinese(upload, says):
    with pytest.raises(ValidationError) as excinfo:
        parse_rows(upload)
    assert says in errors(excinfo, "file")[0]


def test_a_workbook_missing_columns_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        parse_rows(workbook([["代表建议", "1"]], header=["类型", "编号"]))
    message = errors(excinfo, "file")[0]
    assert "案由" in message and "领衔人" in message and "提出日期" in message

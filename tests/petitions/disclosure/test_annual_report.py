"""The 政府信息公开工作年度报告 of 2026 (counted in January 2027) against hand counts: requests of every
applicant kind answered every way (with the reasons the table counts), one carried over from 2025,
one carried into 2027, one unconfirmed online request, one given up, one unpaid; 复议 维持 and 纠正,
a 诉讼 after 复议 and one straight to court; 主动公开 by category. Then the workbooks, the 报告
draft, and who may read it (the 政务公开员 and the head of the 公开工作机构, nobody else)."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from petitions.disclosure import exports, report
from petitions.disclosure.models import (
    AnswerType,
    ApplicantKind,
    Category,
    Outcome,
    Publication,
    PublicationState,
    RequestChannel,
    RequestState,
)

pytestmark = pytest.mark.django_db

P, B, R, N, L, OT = (
    ApplicantKind.PERSON,
    ApplicantKind.BUSINESS,
    ApplicantKind.RESEARCH,
    ApplicantKind.NONPROFIT,
    ApplicantKind.LEGAL,
    ApplicantKind.OTHER,
)


@pytest.fixture(autouse=True)
def _january():
    with time_machine.travel("2027-01-20 10:00 +0800", tick=False):
        yield


def _at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


@pytest.fixture
def year_2026(disclosure_city, make_request, petition_city):
    """The requests (R1…R16 in the comments) and publications of the city in and around 2026."""
    make = make_request

    def answered(kind, answer, on, received, reason="", **extra):
        return make(
            applicant_kind=kind,
            received_on=received,
            arrived_on=received,
            year=received.year,
            answer_type=answer,
            answer_reason=reason,
            answered_on=on,
            answered_on_time=True,
            state=RequestState.CLOSED,
            **extra,
        )

    d = date
    answered(P, AnswerType.GRANTED, d(2026, 3, 20), d(2026, 3, 2), review_outcome=Outcome.UPHELD)  # R1
    answered(B, AnswerType.ALREADY_PUBLIC, d(2026, 4, 10), d(2026, 4, 1), public_where="政府门户网站")  # R2
    answered(  # R3: 复议 纠正, then 诉讼 after it, 维持
        P,
        AnswerType.PARTIAL,
        d(2026, 5, 10),
        d(2026, 4, 20),
        review_outcome=Outcome.CORRECTED,
        litigation_outcome=Outcome.UPHELD,
        litigation_after_review=True,
    )
    answered(R, AnswerType.REFUSED, d(2026, 6, 1), d(2026, 5, 12), reason="state_secret")  # R4
    answered(P, AnswerType.REFUSED, d(2026, 6, 3), d(2026, 5, 13), reason="third_party")  # R5
    answered(L, AnswerType.UNAVAILABLE, d(2026, 6, 5), d(2026, 5, 14), reason="needs_making")  # R6
    answered(N, AnswerType.NOT_OURS, d(2026, 6, 8), d(2026, 5, 15), competent_organ="测试市财政局")  # R7
    answered(OT, AnswerType.NOT_PROCESSED, d(2026, 6, 9), d(2026, 5, 18), reason="repeat")  # R8
    answered(P, AnswerType.SPECIAL, d(2026, 6, 10), d(2026, 5, 19))  # R9
    make(  # R10: no 补正 in time
        applicant_kind=P,
        arrived_on=d(2026, 6, 1),
        received_on=d(2026, 6, 1),
        correction_asked_on=d(2026, 6, 3),
        correction_until=d(2026, 6, 18),
        state=RequestState.ABANDONED,
        closed_reason="abandoned",
        closed_at=_at(d(2026, 7, 1)),
    )
    make(  # R11: the fee not paid
        applicant_kind=B,
        arrived_on=d(2026, 6, 2),
        received_on=d(2026, 6, 2),
        fee_notice_on=d(2026, 6, 10),
        fee_until=d(2026, 7, 8),
        state=RequestState.CLOSED,
        closed_reason="unpaid",
        closed_at=_at(d(2026, 8, 1)),
    )
    answered(P, AnswerType.GRANTED, d(2026, 1, 12), d(2025, 12, 22))  # R12: carried over from 2025
    answered(B, AnswerType.GRANTED, d(2027, 1, 10), d(2026, 12, 20))  # R13: carried into 2027
    answered(P, AnswerType.GRANTED, d(2025, 5, 20), d(2025, 5, 1), review_outcome=Outcome.UPHELD)  # R14: 2025's
    make(  # R15: online, not yet confirmed at the year's end
        applicant_kind=R,
        channel=RequestChannel.ONLINE,
        arrived_on=d(2026, 12, 30),
        received_on=None,
        state=RequestState.RECEIVED,
    )
    answered(  # R16: straight to court, not decided yet
        P, AnswerType.REFUSED, d(2026, 9, 1), d(2026, 8, 10), reason="internal", litigation_outcome=Outcome.PENDING
    )
    # Another organ's request: never in the city's report.
    org = petition_city.org
    make(
        organ=org.bureau,
        intake_unit=org.bureau_section,
        applicant_kind=P,
        answer_type=AnswerType.GRANTED,
        registrar=org.bureau_clerk,
        handler=None,
    )

    # 主动公开: two 规范性文件 made in 2026 (one repealed in 2026), one made in 2025 still in force,
    # one 规划 made in 2026 repealed in 2027, one pending review (not counted).
    from documents.outgoing import services as documents

    def publication(category, made, published, repealed=None, state=PublicationState.PUBLISHED):
        document = documents.outgoing_create(
            actor=petition_city.city_secretary.user,
            series=petition_city.series[org.city.pk],
            title=f"关于{category}的通知{made}",
            kind="notice",
        )
        return Publication.objects.create(
            document=document,
            organ=org.city,
            category=category,
            state=PublicationState.REPEALED if repealed else state,
            made_on=made,
            published_on=published,
            repealed_on=repealed,
        )

    publication(Category.NORMATIVE, d(2026, 2, 1), d(2026, 2, 20))
    publication(Category.NORMATIVE, d(2026, 3, 1), d(2026, 3, 20), repealed=d(2026, 11, 1))
    publication(Category.NORMATIVE, d(2025, 6, 1), d(2025, 6, 20))
    publication(Category.PLANS, d(2026, 4, 1), d(2026, 4, 15), repealed=d(2027, 1, 5))
    publication(Category.PLANS, d(2026, 5, 1), None, state=PublicationState.PENDING)
    return disclosure_city


# Columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
EXPECTED = {
    "new": (6, 3, 2, 1, 1, 1, 14),
    "carried_in": (1, 0, 0, 0, 0, 0, 1),
    "granted": (2, 1, 0, 0, 0, 0, 3),
    "partial": (1, 0, 0, 0, 0, 0, 1),
    "refused.state_secret": (0, 0, 1, 0, 0, 0, 1),
    "refused.law_forbids": (0, 0, 0, 0, 0, 0, 0),
    "refused.third_party": (1, 0, 0, 0, 0, 0, 1),
    "refused.internal": (1, 0, 0, 0, 0, 0, 1),
    "unavailable.not_held": (0, 0, 0, 1, 0, 0, 1),
    "unavailable.needs_making": (0, 0, 0, 0, 1, 0, 1),
    "not_processed.repeat": (0, 0, 0, 0, 0, 1, 1),
    "other.abandoned": (1, 0, 0, 0, 0, 0, 1),
    "other.unpaid": (0, 1, 0, 0, 0, 0, 1),
    "other.other": (1, 0, 0, 0, 0, 0, 1),
    "total": (7, 2, 1, 1, 1, 1, 13),
    "carried_out": (0, 1, 1, 0, 0, 0, 2),
}


def test_the_request_table_equals_hand_counts(year_2026):
    tables = report.annual_report(organ=year_2026.organ, year=2026)
    for code, counts in EXPECTED.items():
        assert tables.row(code).counts == counts, code
    # The table's rows, in the national order, headings without figures.
    labels = [row.label for row in tables.requests]
    assert labels[:3] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果"]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert (
        "1.属于国家秘密" in labels
        and "8.属于行政查询事项" in labels
        and "5.要求行政机关确认或重新出具已获取信息" in labels
    )
    assert tables.row("refused").counts is None and tables.row("results").counts is None
    assert tables.applicant_columns == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    # What came in and what was carried over equals what was finished and what goes on.
    new, carried_in, total, carried_out = (tables.row(c).total for c in ("new", "carried_in", "total", "carried_out"))
    assert new + carried_in == total + carried_out


def test_last_year_carries_into_this_one(year_2026):
    tables = report.annual_report(organ=year_2026.organ, year=2025)
    assert tables.row("new").counts == (2, 0, 0, 0, 0, 0, 2)  # R12 and R14
    assert tables.row("total").counts == (1, 0, 0, 0, 0, 0, 1)  # R14
    assert tables.row("carried_out").counts == (1, 0, 0, 0, 0, 0, 1)  # R12: 2026's 上年结转
    assert tables.outcomes["review"] == (1, 0, 0, 0, 1)


def test_review_and_litigation_and_publications(year_2026):
    tables = report.annual_report(organ=year_2026.organ, year=2026)
    assert tables.outcomes == {
        "review": (1, 1, 0, 0, 2),  # R1 维持, R3 纠正 (R14 was 2025's)
        "direct": (0, 0, 0, 1, 1),  # R16 尚未审结
        "after_review": (1, 0, 0, 0, 1),  # R3
    }
    assert tables.outcome_columns == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    # (本年制发, 本年废止, 现行有效)
    assert tables.row("publication.normative").counts == (2, 1, 2)
    assert tables.row("publication.plans").counts == (1, 0, 1)
    assert tables.row("publication.rules").counts == (0, 0, 0)
    assert tables.row("publication.total").counts == (3, 1, 3)


def test_who_reads_the_report(year_2026):
    city = year_2026
    organ = city.organ
    assert report.may_read_annual_report(city.officer.user, organ)
    assert report.may_read_annual_report(city.head.user, organ)
    for person in (city.bystander, city.bureau_clerk, city.outsider, city.security):
        assert not report.may_read_annual_report(person.user, organ), person
    # The 政务公开员 of the city is no reader of 住建局's report.
    assert not report.may_read_annual_report(city.officer.user, city.city.org.bureau)

    seen = report.annual_report(organ=organ, year=2026, user=city.officer.user)
    assert seen.row("total").counts == EXPECTED["total"]
    for person in (city.bystander, city.outsider):
        nothing = report.annual_report(organ=organ, year=2026, user=person.user)
        assert all(row.counts is None or not any(row.counts) for row in nothing.requests + nothing.publications)
        assert all(not any(counts) for counts in nothing.outcomes.values())
    as_json = report.annual_report_json(seen)
    assert as_json["year"] == 2026 and as_json["requests"]["columns"][-1] == "总计"


def test_the_report_workbook_opens_with_its_headings(year_2026):
    tables = report.annual_report(organ=year_2026.organ, year=2026)
    book = load_workbook(BytesIO(exports.annual_report_workbook(tables)))
    assert book.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    requests = list(book["三、依申请公开"].iter_rows(values_only=True))
    assert requests[0] == (
        "申请人情况",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    )
    by_label = {row[0].strip("　"): row[1:] for row in requests[1:]}
    assert by_label["一、本年新收政府信息公开申请数量"] == EXPECTED["new"]
    assert by_label["（七）总计"] == EXPECTED["total"]
    outcomes = list(book["四、复议诉讼"].iter_rows(values_only=True))
    assert outcomes[0][1:] == ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    assert outcomes[1] == ("行政复议", 1, 1, 0, 0, 2)


def test_the_register_names_the_applicant_but_never_his_id(year_2026, make_request):
    from petitions.disclosure.selectors import requests_visible

    make_request(
        applicant_name="周企业", applicant_kind=B, id_document="身份证 330102199001011234", contact_phone="13900001111"
    )
    content = exports.requests_workbook(requests_visible(user=year_2026.officer.user))
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("登记号", "申请人类型", "申请人")
    text = "\n".join(str(value) for row in rows for value in row if value)
    assert "周企业" in text and "商业企业" in text
    assert "330102199001011234" not in text and "13900001111" not in text
    # Only the city's requests the officer sees: 住建局's is not in it.
    assert len(rows) - 1 == 17


def test_the_draft_is_a_report_with_the_figures(year_2026, report_series):
    city = year_2026
    document = report.annual_report_draft(actor=city.officer.user, organ=city.organ, year=2026, series=report_series)
    assert (document.kind, document.direction, document.state) == ("report", "up", "draft")
    assert document.title == "测试市人民政府2026年政府信息公开工作年度报告"
    body = document.body
    assert "收到政府信息公开申请14件，办结13件" in body
    assert "（一）予以公开：自然人2件，商业企业1件，科研机构0件" in body
    assert "四、结转下年度继续办理：自然人0件，商业企业1件，科研机构1件" in body
    assert "行政复议：结果维持1件，结果纠正1件，其他结果0件，尚未审结0件，总计2件。" in body
    assert "行政规范性文件：本年制发2件，本年废止1件，现行有效2件。" in body
    assert "330102" not in body and "陈申请" not in body  # counts only, nobody named

    with pytest.raises(PermissionDenied):
        report.annual_report_draft(actor=city.bystander.user, organ=city.organ, year=2026, series=report_series)
    with pytest.raises(ValidationError):
        report.annual_report_draft(actor=city.officer.user, organ=city.organ, year=2026, series=city.letter_series)

"""The 核稿 checker, rule by rule: for each rule a document that triggers it (with the severity and
element it reports) and one that does not. Documents are drafted through the service; the last
test makes sure no registered rule goes without its test here."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from documents.models import Attachment, DocumentNumber, DocumentSeries, DocumentState
from documents.outgoing import checker, services
from office.confidentiality.levels import Level

S = DocumentState


def findings(document, code: str) -> list[tuple[str, str]]:
    """What one rule says about the document: (severity, element) pairs."""
    return [(f.severity, f.element) for f in checker.check(document) if f.rule == code]


ERROR, WARNING = checker.ERROR, checker.WARNING


@pytest.fixture
def cleared_drafter(office, settings):
    """The drafter cleared for 机密 on a deployment whose ceiling is 绝密 (classified content allowed)."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    office.drafter.clearance = Level.SECRET
    office.drafter.save()
    return office.drafter


def attach(document, person, *names: str) -> None:
    for order, name in enumerate(names, start=1):
        Attachment.objects.create(
            document=document,
            name=name,
            file=ContentFile(b"%PDF-1.4 tiny", name="attachment.pdf"),
            size=13,
            content_type="application/pdf",
            order=order,
            uploaded_by=person,
        )


def test_the_default_notice_is_clean(make_document):
    """GIVEN the default notice of the fixtures WHEN it is checked THEN nothing is found (so every
    trigger below is the one change it makes)."""
    assert checker.check(make_document()) == []


def test_upward_signer(office, make_document):
    """GIVEN a 上行 report without a named signer THEN an error on 签发人; GIVEN the same report naming
    the director as its signer THEN none."""
    upward = {"kind": "report", "title": "测试办公室关于年终工作情况的报告", "direction": "up"}

    assert findings(make_document(**upward), "upward_signer") == [(ERROR, "签发人")]
    assert findings(make_document(designated_signer=office.director, **upward), "upward_signer") == []


def test_classified_marks(make_document, cleared_drafter):
    """GIVEN a 机密 document with no copies THEN an error on 份号; GIVEN one whose 保密期限 is missing
    THEN an error on 密级和保密期限; GIVEN a 机密 document with copies and its term THEN none, and an
    internal document needs neither."""
    no_copies = make_document(level=Level.SECRET, basis="范围", copies=0)
    marked = make_document(level=Level.SECRET, basis="范围", copies=2)
    no_term = make_document(level=Level.SECRET, basis="范围", copies=2)
    no_term.secrecy_term_unit = ""  # the term the service always sets, lost

    assert findings(no_copies, "classified_marks") == [(ERROR, "份号")]
    assert findings(no_term, "classified_marks") == [(ERROR, "密级和保密期限")]
    assert findings(marked, "classified_marks") == []
    assert findings(make_document(copies=0), "classified_marks") == []


def test_request_one_recipient(office, make_document):
    """GIVEN a 请示 to two organs (in the system, or named outside it) THEN an error on 主送机关;
    GIVEN one to a single organ THEN none."""
    request = {"kind": "request", "title": "测试办公室关于增加年终工作经费的请示", "body": "妥否，请批示。"}

    two_units = make_document(main_to_units=[office.bureau, office.organ], **request)
    two_external = make_document(main_to_units=[], main_to_external="市财政局、市人社局", **request)
    one = make_document(main_to_units=[office.organ], **request)

    assert findings(two_units, "request_one_recipient") == [(ERROR, "主送机关")]
    assert findings(two_external, "request_one_recipient") == [(ERROR, "主送机关")]
    assert findings(one, "request_one_recipient") == []


def test_request_one_matter(office, make_document):
    """GIVEN a 请示 asking twice, or not asking at all THEN a warning on 正文; GIVEN one closing with a
    single request THEN none."""

    def request(body):
        return make_document(
            kind="request", title="测试办公室关于增加年终工作经费的请示", main_to_units=[office.organ], body=body
        )

    two_asks = request("一、拟增加经费50万元，请批准。\n二、拟增加编制2名。\n妥否，请批示。")
    no_ask = request("拟增加年终工作经费50万元。")
    one_ask = request("拟增加年终工作经费50万元。\n妥否，请批示。")

    assert findings(two_asks, "request_one_matter") == [(WARNING, "正文")]
    assert findings(no_ask, "request_one_matter") == [(WARNING, "正文")]
    assert findings(one_ask, "request_one_matter") == []


def test_report_no_request(make_document):
    """GIVEN a 报告 that slips in a request THEN an error on 正文; GIVEN a plain 报告 THEN none."""
    report = {"kind": "report", "title": "测试办公室关于年终工作情况的报告"}

    asking = make_document(body="今年工作已全部完成。\n明年拟增加经费，妥否，请批示。", **report)
    plain = make_document(body="今年工作已全部完成。\n特此报告。", **report)

    assert findings(asking, "report_no_request") == [(ERROR, "正文")]
    assert findings(plain, "report_no_request") == []


def test_reply_answers_request(make_document):
    """GIVEN a 批复 that does not name the 请示 it answers THEN an error; GIVEN one that does THEN none."""
    reply = {"kind": "reply", "title": "测试办公室关于同意调整年终工作安排的批复", "body": "同意。"}

    assert findings(make_document(**reply), "reply_answers_request") == [(ERROR, "所答复的请示")]
    assert findings(make_document(in_reply_to="财政局〔2026〕3号", **reply), "reply_answers_request") == []


def test_number_format(office, make_document, walk):
    """GIVEN a registered document (测办发〔YYYY〕1号) THEN no finding; GIVEN its number with a
    two-digit year THEN an error on 发文字号; GIVEN a series code with brackets (which the database
    would refuse) THEN an error too."""
    document = walk(make_document(), S.REGISTERED)
    assert findings(document, "number_format") == []

    DocumentNumber.objects.filter(pk=document.number_id).update(year=26)
    document.refresh_from_db()
    assert document.number_text == "测办发〔26〕1号"
    assert findings(document, "number_format") == [(ERROR, "发文字号")]

    draft = make_document()
    draft.series = DocumentSeries(code="测办发(函)", organ=office.office, office=office.office)
    assert findings(draft, "number_format") == [(ERROR, "发文字号")]


def test_attachments_match(office, make_document, settings, tmp_path):
    """GIVEN a 附件说明 of two items and only one file THEN an error; GIVEN two files named otherwise
    THEN a warning on the one that differs; GIVEN the listed files in order (numbered, with or
    without their extension) THEN none."""
    settings.MEDIA_ROOT = tmp_path
    note = "1.年终工作安排表\n2.联系人名单"

    missing = make_document(attachment_note=note)
    attach(missing, office.drafter, "年终工作安排表.pdf")
    misnamed = make_document(attachment_note=note)
    attach(misnamed, office.drafter, "年终工作安排表.pdf", "通讯录.pdf")
    matching = make_document(attachment_note=note)
    attach(matching, office.drafter, "年终工作安排表.pdf", "联系人名单")

    assert findings(missing, "attachments_match") == [(ERROR, "附件说明")]
    assert findings(misnamed, "attachments_match") == [(WARNING, "附件说明")]
    assert findings(matching, "attachments_match") == []
    assert findings(make_document(attachment_note="1.年终工作安排表"), "attachments_match") == [(ERROR, "附件说明")]


def test_date_format(make_document):
    """GIVEN a body with a zero-padded date, or a year in Chinese numerals THEN a warning on 正文;
    GIVEN 2026年1月5日 THEN none."""
    assert findings(make_document(body="请于2026年01月05日前报送。"), "date_format") == [(WARNING, "正文")]
    assert findings(make_document(body="请于2026年1月05日前报送。"), "date_format") == [(WARNING, "正文")]
    assert findings(make_document(body="请于二〇二六年一月五日前报送。"), "date_format") == [(WARNING, "正文")]
    assert findings(make_document(body="请于2026年1月5日前报送。"), "date_format") == []


def test_title_shape(make_document):
    """GIVEN a title that does not end with its kind, or has no 关于 THEN a warning on 标题 for each;
    GIVEN 发文机关＋关于＋事由＋文种 THEN none (and an order may end with 令, minutes need no 关于)."""
    assert findings(make_document(title="测试办公室关于做好年终工作"), "title_shape") == [(WARNING, "标题")]
    assert findings(make_document(title="测试办公室做好年终工作的通知"), "title_shape") == [(WARNING, "标题")]
    assert findings(make_document(title="做好年终工作"), "title_shape") == [(WARNING, "标题"), (WARNING, "标题")]
    assert findings(make_document(), "title_shape") == []
    assert findings(make_document(kind="order", title="测试市人民政府关于年终工作的令"), "title_shape") == []
    assert findings(make_document(kind="minutes", title="测试办公室主任办公会议纪要"), "title_shape") == []


def test_recipients_present(make_document):
    """GIVEN a notice with no 主送机关 THEN a warning; GIVEN one sent outside the system only, or a
    公告 (addressed to the public) with none THEN no finding."""
    assert findings(make_document(main_to_units=[]), "recipients_present") == [(WARNING, "主送机关")]
    assert findings(make_document(main_to_units=[], main_to_external="市财政局"), "recipients_present") == []
    announcement = make_document(kind="announcement", title="测试办公室关于年终工作安排的公告", main_to_units=[])
    assert findings(announcement, "recipients_present") == []


def test_disclosure_reason(make_document):
    """GIVEN a document marked 不予公开 without a reason THEN a warning on 公开属性; with a reason, or
    published proactively THEN none."""
    assert findings(make_document(disclosure="not_public"), "disclosure_reason") == [(WARNING, "公开属性")]
    reasoned = make_document(disclosure="not_public", disclosure_reason="内部工作安排")
    assert findings(reasoned, "disclosure_reason") == []
    assert findings(make_document(disclosure="on_request"), "disclosure_reason") == []


def test_every_registered_rule_has_its_test():
    """GIVEN the rules registered with ``@rule`` THEN each has a ``test_<code>`` here (a new rule
    needs its triggering and clean documents before it ships)."""
    registered = {code for code, _function in checker.RULES}
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}

    assert registered - tested == set()
    assert len(registered) == len(checker.RULES)  # no code registered twice


def test_findings_say_what_is_wrong_in_chinese(make_document):
    """GIVEN a 批复 without its 请示 WHEN checked THEN the finding carries the rule, severity, the
    element and a message a clerk can act on."""
    (finding,) = [
        f
        for f in checker.check(make_document(kind="reply", title="测试办公室关于同意调整的批复", body="同意。"))
        if f.rule == "reply_answers_request"
    ]

    assert finding == checker.Finding(
        "reply_answers_request",
        ERROR,
        "所答复的请示",
        "批复应当针对来文请示，请填写所答复请示的标题或文号。",
    )


def test_services_use_the_checker(office, make_document, walk):
    """GIVEN a 批复 without its 请示 (an error) WHEN the clerk passes it at 核稿 THEN the service's
    refusal lists the same finding the checker reports."""
    document = walk(make_document(kind="reply", title="测试办公室关于同意调整的批复", body="同意。"), S.REVIEW)

    with pytest.raises(ValidationError) as refused:
        services.outgoing_review(actor=office.clerk.user, document=document, approve=True)

    assert refused.value.message_dict == {
        "findings": ["所答复的请示：批复应当针对来文请示，请填写所答复请示的标题或文号。"]
    }

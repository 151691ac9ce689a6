"""核稿 checker: small named rules over a document's structured elements.

Each rule takes the document and yields findings (error or warning, the element, a message in
Chinese). Errors block 签发; warnings don't. To add a rule, write a function and decorate it with
``@rule``; ``check(document)`` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from documents.models import KIND_TITLE_WORDS, Direction, DocumentKind, OutgoingDocument

ERROR, WARNING = "error", "warning"
NUMBER_FORMAT = re.compile(r"^[^\s〔〕\[\]()（）]+〔\d{4}〕[1-9]\d*号$")
PADDED_DATE = re.compile(r"\d{4}年0\d月|\d{4}年\d{1,2}月0\d日|[一二三四五六七八九〇○零]{4}年")
REQUEST_PHRASES = ("请批示", "请审批", "请批准", "妥否", "请予批复", "请核准")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    element: str
    message: str


Rule = Callable[[OutgoingDocument], Iterator[Finding]]
RULES: list[tuple[str, Rule]] = []


def rule(code: str):
    def register(function: Rule) -> Rule:
        RULES.append((code, function))
        return function

    return register


def check(document: OutgoingDocument) -> list[Finding]:
    findings: list[Finding] = []
    for _code, function in RULES:
        findings.extend(function(document))
    return findings


def _main_to_count(document: OutgoingDocument) -> int:
    external = [name for name in re.split(r"[，,、；;\s]+", document.main_to_external) if name]
    units = document.main_to_units.count() if document.pk else 0
    return units + len(external)


@rule("upward_signer")
def upward_needs_signer(document):
    """上行文 carry the 签发人: one must be named (and sign)."""
    if (
        document.direction == Direction.UPWARD
        and document.designated_signer_id is None
        and document.signed_by_id is None
    ):
        yield Finding("upward_signer", ERROR, _("签发人"), _("上行文应当标注签发人，请指定拟请签发的主要负责人。"))


@rule("classified_marks")
def classified_needs_copies_and_term(document):
    """A classified document has 份号 (so copies) and a 保密期限."""
    if not document.is_classified:
        return
    if document.copies < 1:
        yield Finding("classified_marks", ERROR, _("份号"), _("涉密公文应当标注份号，请确定印制份数。"))
    if not document.secrecy_term_unit:
        yield Finding("classified_marks", ERROR, _("密级和保密期限"), _("涉密公文应当标注保密期限。"))


@rule("request_one_recipient")
def request_has_one_recipient(document):
    """请示 go to one 主送机关 only."""
    if document.kind == DocumentKind.REQUEST and _main_to_count(document) != 1:
        yield Finding("request_one_recipient", ERROR, _("主送机关"), _("请示应当一文一事，只主送一个上级机关。"))


@rule("request_one_matter")
def request_has_one_matter(document):
    """请示: one matter — more than one closing request phrase suggests several."""
    if document.kind != DocumentKind.REQUEST:
        return
    # Count the sentences that ask, not the phrases: one closing "妥否，请批示" holds two of them.
    sentences = re.split(r"[。！？!?\n]+", document.body)
    asks = sum(1 for sentence in sentences if any(phrase in sentence for phrase in REQUEST_PHRASES))
    if asks > 1:
        yield Finding("request_one_matter", WARNING, _("正文"), _("请示应当一文一事，正文中出现多处请求批示。"))
    elif asks == 0:
        yield Finding("request_one_matter", WARNING, _("正文"), _("请示结尾应当写明请求事项，如“妥否，请批示”。"))


@rule("report_no_request")
def report_carries_no_request(document):
    """报告 must not carry a request."""
    if document.kind == DocumentKind.REPORT and any(phrase in document.body for phrase in REQUEST_PHRASES):
        yield Finding("report_no_request", ERROR, _("正文"), _("报告中不得夹带请示事项。"))


@rule("reply_answers_request")
def reply_names_its_request(document):
    """批复 answer a 请示: name it."""
    if document.kind == DocumentKind.REPLY and not document.in_reply_to.strip():
        yield Finding(
            "reply_answers_request", ERROR, _("所答复的请示"), _("批复应当针对来文请示，请填写所答复请示的标题或文号。")
        )


@rule("number_format")
def number_is_well_formed(document):
    """发文字号: 代字〔YYYY〕N号 — six-corner brackets, full year, no padding, no 第."""
    text = document.number_text
    if text and not NUMBER_FORMAT.match(text):
        yield Finding("number_format", ERROR, _("发文字号"), _("发文字号格式应为“机关代字〔年份〕序号号”。"))
    if re.search(r"[\[\]()（）]", document.series.code):
        yield Finding("number_format", ERROR, _("发文字号"), _("机关代字中不得使用括号。"))


@rule("attachments_match")
def attachment_note_matches_attachments(document):
    """附件说明 lists the actual attachments, in order (a leading “附件：” as printed is allowed)."""
    lines = [re.sub(r"^\s*附件\s*[：:]\s*", "", line) for line in document.attachment_note.splitlines()]
    listed = [re.sub(r"^\s*\d+[.．、]\s*", "", line).strip() for line in lines]
    listed = [name for name in listed if name]
    actual = [a.name for a in document.attachments.all()] if document.pk else []
    if len(listed) != len(actual):
        yield Finding(
            "attachments_match",
            ERROR,
            _("附件说明"),
            _("附件说明列出%(n)d件，实际附件%(m)d件。") % {"n": len(listed), "m": len(actual)},
        )
        return
    for index, (name, real) in enumerate(zip(listed, actual, strict=True), start=1):
        stem = re.sub(r"\.\w+$", "", real)
        if name != stem and name != real:
            yield Finding(
                "attachments_match",
                WARNING,
                _("附件说明"),
                _("附件%(i)d名称“%(name)s”与附件“%(real)s”不一致。") % {"i": index, "name": name, "real": real},
            )


@rule("date_format")
def dates_are_arabic_and_unpadded(document):
    """Dates in Arabic numerals, full year, no zero padding (2026年1月5日)."""
    if PADDED_DATE.search(document.body):
        yield Finding(
            "date_format", WARNING, _("正文"), _("日期应使用阿拉伯数字，年份写全，月、日不编虚位（如2026年1月5日）。")
        )


@rule("title_shape")
def title_names_the_kind(document):
    """标题 = 发文机关 + 事由 + 文种: it ends with the kind."""
    with translation.override("zh-hans"):  # titles are Chinese whatever the reader's language
        words = KIND_TITLE_WORDS.get(document.kind, (str(DocumentKind(document.kind).label),))
    if not document.title.endswith(tuple(words)):
        yield Finding(
            "title_shape",
            WARNING,
            _("标题"),
            _("标题应由发文机关、事由和文种组成，并以“%(kind)s”结尾。") % {"kind": words[-1]},
        )
    if document.kind != DocumentKind.MINUTES and "关于" not in document.title:
        yield Finding("title_shape", WARNING, _("标题"), _("标题一般写作“××关于××的%(kind)s”。") % {"kind": words[-1]})


@rule("recipients_present")
def has_main_recipients(document):
    """Most kinds have a 主送机关; public announcements and minutes need none."""
    public = {
        DocumentKind.ANNOUNCEMENT,
        DocumentKind.PUBLIC_NOTICE,
        DocumentKind.COMMUNIQUE,
        DocumentKind.ORDER,
        DocumentKind.MINUTES,
        DocumentKind.RESOLUTION,
    }
    if document.kind not in public and _main_to_count(document) == 0:
        yield Finding("recipients_present", WARNING, _("主送机关"), _("请填写主送机关。"))


@rule("disclosure_reason")
def non_public_has_reason(document):
    """公开属性: 不予公开 needs its reason."""
    if document.disclosure == "not_public" and not document.disclosure_reason.strip():
        yield Finding("disclosure_reason", WARNING, _("公开属性"), _("不予公开的公文应当说明理由。"))

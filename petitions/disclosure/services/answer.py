"""答复: the answer by type with its 告知书 (a 信函 draft through ``documents``, 限定知悉范围: it names
the applicant), its 送达 (the answer clock is met that day), 办结 (or, unanswered, 逾期未缴费),
the 复议/诉讼 outcomes after, and the search for what is 主动公开 already."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as N_

from documents.models import OutgoingDocument
from office import search
from office.org.models import User
from office.workdays.services import format_date
from petitions.disclosure.models import (
    REASONS,
    AnswerType,
    Delivery,
    DisclosureRequest,
    Outcome,
    RequestState,
    SecrecyReview,
)
from petitions.disclosure.rules import REQUEST, fee_lapsed
from petitions.disclosure.services._common import (
    ANSWER,
    CORRECTION,
    cancel,
    locked,
    meet,
    not_future,
    notify,
    refresh_due,
    require_text,
)

RULES = "《中华人民共和国政府信息公开条例》"

NOTICE_TITLES = {
    AnswerType.ALREADY_PUBLIC: _lazy("政府信息公开申请答复告知书"),
    AnswerType.GRANTED: _lazy("政府信息予以公开告知书"),
    AnswerType.PARTIAL: _lazy("政府信息部分公开告知书"),
    AnswerType.REFUSED: _lazy("政府信息不予公开告知书"),
    AnswerType.UNAVAILABLE: _lazy("政府信息无法提供告知书"),
    AnswerType.NOT_PROCESSED: _lazy("政府信息公开申请不予处理告知书"),
    AnswerType.NOT_OURS: _lazy("非本机关政府信息告知书"),
    AnswerType.SPECIAL: _lazy("政府信息公开申请答复告知书"),
}

# The provision each answer rests on (第三十六条 lists the answers, 第三十七条 the partial one).
ARTICLES = {
    AnswerType.ALREADY_PUBLIC: "第三十六条第（一）项",
    AnswerType.GRANTED: "第三十六条第（二）项",
    AnswerType.PARTIAL: "第三十七条",
    AnswerType.REFUSED: "第三十六条第（三）项",
    AnswerType.UNAVAILABLE: "第三十六条第（四）项",
    AnswerType.NOT_OURS: "第三十六条第（五）项",
    AnswerType.SPECIAL: "第三十六条第（七）项",
}


def reason_label(answer_type: str, reason: str) -> str:
    return str(dict(REASONS.get(answer_type, [])).get(reason, ""))


def notice_body(
    request: DisclosureRequest, answer_type: str, text: str, reason: str, public_where: str, competent_organ: str
) -> str:
    """The 告知书's text: what was asked, the answer by type and the provision it rests on, and the
    applicant's right to 行政复议 or 行政诉讼."""
    why = reason_label(answer_type, reason)
    decision = {
        AnswerType.ALREADY_PUBLIC: _("你所申请的政府信息已经主动公开，可通过%(where)s获取。") % {"where": public_where},
        AnswerType.GRANTED: _(
            "你所申请的政府信息属于公开范围，本机关予以公开，现向你提供（或告知获取的方式、途径和时间）。"
        ),
        AnswerType.PARTIAL: _(
            "你所申请的政府信息中含有不应当公开的内容，但能够作区分处理，本机关向你提供可以公开的部分，"
            "并对不予公开的部分说明理由。"
        ),
        AnswerType.REFUSED: _("你所申请的政府信息%(why)s，本机关决定不予公开。") % {"why": why},
        AnswerType.UNAVAILABLE: _("你所申请的政府信息无法提供：%(why)s。") % {"why": why},
        AnswerType.NOT_PROCESSED: _("对你的申请本机关不予处理：%(why)s。") % {"why": why},
        AnswerType.NOT_OURS: _("你所申请的政府信息不属于本机关负责公开，请向%(organ)s提出申请。")
        % {"organ": competent_organ},
        AnswerType.SPECIAL: _(
            "你所申请的信息，有关法律、行政法规对信息的获取有特别规定，请依照有关法律、行政法规的规定办理。"
        ),
    }[answer_type]
    article = ARTICLES.get(answer_type)
    basis = f"{RULES}{article}" if article else _("%(rules)s的有关规定") % {"rules": RULES}
    received = request.received_on or request.arrived_on
    lines = [
        f"{request.applicant_name}：",
        _("    本机关于%(day)s收到你提出的政府信息公开申请（%(number)s），申请获取“%(what)s”。")
        % {"day": format_date(received), "number": request.number, "what": request.description.strip()},
        _("    根据%(basis)s，现答复如下：%(decision)s") % {"basis": basis, "decision": decision},
        f"    {text}",
        _(
            "    如对本答复不服，可以自收到本告知书之日起60日内依法申请行政复议，或者自收到本告知书之日起"
            "6个月内依法向人民法院提起行政诉讼（%(rules)s第五十一条）。"
        )
        % {"rules": RULES},
    ]
    return "\n".join(lines)


@transaction.atomic
def request_answer(
    *,
    actor: User,
    request: DisclosureRequest,
    answer_type: str,
    text: str,
    series,
    reason: str = "",
    public_where: str = "",
    competent_organ: str = "",
) -> DisclosureRequest:
    """The answer and its 告知书 as a 信函 draft in ``series`` (the organ's letter-format series), which
    then goes through 核稿 and 签发; it names the applicant, so it is for its participants only."""
    from documents.outgoing import services as documents

    request = locked(request)
    acting = REQUEST.check(actor, request, "answer")
    if answer_type not in AnswerType.values:
        raise ValidationError({"answer_type": _("请选择答复类型。")})
    text = require_text(text, "text", _("请填写答复内容。"))
    reasons = dict(REASONS.get(answer_type, []))
    if reasons and reason not in reasons:
        raise ValidationError({"reason": _("请选择%(type)s的具体情形。") % {"type": AnswerType(answer_type).label}})
    if not reasons:
        reason = ""
    public_where = public_where.strip()
    competent_organ = competent_organ.strip()
    if answer_type == AnswerType.ALREADY_PUBLIC and not public_where:
        raise ValidationError({"public_where": _("已主动公开的，请写明获取该信息的方式和途径。")})
    if answer_type == AnswerType.NOT_OURS and not competent_organ:
        raise ValidationError({"competent_organ": _("不属于本机关公开的，请写明负责公开该信息的机关。")})
    review = request.secrecy_reviews.order_by("-reviewed_at", "-id").first()
    if (
        review is not None
        and review.conclusion == SecrecyReview.Conclusion.NOT_PUBLIC
        and answer_type in (AnswerType.ALREADY_PUBLIC, AnswerType.GRANTED, AnswerType.PARTIAL)
    ):
        raise ValidationError({"answer_type": _("保密审查结论为不得公开，不能予以公开。")})
    # The organ's own letter series, or one of its office's (临府办函 is the 办公室's, a unit of 市政府).
    if series is None or series.template != "letter" or (series.organ.organ_id or series.organ_id) != request.organ_id:
        raise ValidationError({"series": _("告知书以信函格式制发，请选择本机关信函格式的发文代字。")})
    document = documents.outgoing_create(
        actor=actor,
        series=series,
        title=str(NOTICE_TITLES[answer_type]),
        kind="letter",
        level=request.level,
        body=notice_body(request, answer_type, text, reason, public_where, competent_organ),
        main_to_external=request.applicant_name[:200],
        restricted=True,  # it names the applicant: for the request's participants only
        term_unit=request.secrecy_term_unit,
        term_amount=request.secrecy_term_amount,
        until=request.secrecy_until,
        condition=request.declassify_condition,
        basis=request.classification_basis,
    )
    request.answer_type, request.answer_reason, request.answer_text = answer_type, reason, text
    request.public_where = public_where[:200] if answer_type == AnswerType.ALREADY_PUBLIC else ""
    request.competent_organ = competent_organ[:100] if answer_type == AnswerType.NOT_OURS else ""
    request.document = document
    request.save(
        update_fields=["answer_type", "answer_reason", "answer_text", "public_where", "competent_organ", "document"]
    )
    cancel(actor, request, _("已拟写答复，无需补正"), CORRECTION)  # the 7-day window is over for it
    label = AnswerType(answer_type).label
    why = reason_label(answer_type, reason)
    comment = f"{label}（{why}）：{text}" if why else f"{label}：{text}"
    REQUEST.record(request, actor=acting, action=N_("拟写告知书"), comment=comment)
    refresh_due(request)
    return request


@transaction.atomic
def request_deliver(*, actor: User, request: DisclosureRequest, on: date, method: str) -> DisclosureRequest:
    """送达: the signed 告知书 reached the applicant on ``on`` — the 答复之日; the answer clock is met."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "deliver")
    if method not in Delivery.values:
        raise ValidationError({"method": _("请选择送达方式。")})
    not_future(on, "on", _("送达日期"))
    document = request.document
    if document.signed_at and on < timezone.localtime(document.signed_at).date():
        raise ValidationError({"on": _("送达日期不能早于告知书签发日期。")})
    on_time = meet(actor, request, ANSWER, on=on)
    cancel(actor, request, _("已答复"))
    request.answered_on, request.answered_on_time, request.delivered_method = on, on_time, method
    REQUEST.move(
        request,
        RequestState.ANSWERED,
        actor=acting,
        action=N_("送达告知书"),
        comment=_("%(day)s%(method)s送达%(doc)s")
        % {
            "day": format_date(on),
            "method": Delivery(method).label,
            "doc": f"（{document.number_text}）" if getattr(document, "number_text", "") else "",
        },
        update_fields=["answered_on", "answered_on_time", "delivered_method"],
    )
    refresh_due(request)
    if request.registrar_id != acting.person.pk:
        notify(request.registrar, _("依申请公开已答复：%(title)s"), request)
    return request


@transaction.atomic
def request_close(*, actor: User, request: DisclosureRequest) -> DisclosureRequest:
    """办结 after the 送达; unanswered only when the fee was not paid in time (逾期未缴费, 其他处理)."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "close")
    fields = ["closed_at"]
    comment = ""
    if request.state == RequestState.HANDLING and fee_lapsed(request):
        request.closed_reason = "unpaid"
        fields.append("closed_reason")
        comment = _("缴费期限%(day)s届满未缴纳信息处理费，视为放弃申请") % {"day": format_date(request.fee_until)}
        cancel(actor, request, _("逾期未缴纳信息处理费"))
    request.closed_at = timezone.now()
    REQUEST.move(request, RequestState.CLOSED, actor=acting, action=N_("办结"), comment=comment, update_fields=fields)
    refresh_due(request)
    return request


@transaction.atomic
def request_outcome(
    *, actor: User, request: DisclosureRequest, review: str = "", litigation: str = "", after_review: bool = False
) -> DisclosureRequest:
    """行政复议 and 行政诉讼 results (the 年度报告's 四): either or both; a suit after a 复议 is marked."""
    request = locked(request)
    acting = REQUEST.check(actor, request, "outcome")
    review, litigation = review or "", litigation or ""
    if review and review not in Outcome.values:
        raise ValidationError({"review": _("行政复议结果无效。")})
    if litigation and litigation not in Outcome.values:
        raise ValidationError({"litigation": _("行政诉讼结果无效。")})
    if not review and not litigation:
        raise ValidationError({"review": _("请填写行政复议或行政诉讼结果。")})
    if after_review and not litigation:
        raise ValidationError({"after_review": _("复议后起诉的，请填写行政诉讼结果。")})
    if after_review and not (review or request.review_outcome):
        raise ValidationError({"after_review": _("复议后起诉的，请先登记行政复议结果。")})
    parts = []
    if review:
        request.review_outcome = review
        parts.append(_("行政复议：%(r)s") % {"r": Outcome(review).label})
    if litigation:
        request.litigation_outcome, request.litigation_after_review = litigation, bool(after_review)
        parts.append(
            _("行政诉讼（%(how)s）：%(r)s")
            % {"how": _("复议后起诉") if after_review else _("未经复议直接起诉"), "r": Outcome(litigation).label}
        )
    request.save(update_fields=["review_outcome", "litigation_outcome", "litigation_after_review"])
    REQUEST.record(request, actor=acting, action=N_("登记复议诉讼"), comment="；".join(parts))
    return request


def already_public(*, user: User, text: str) -> QuerySet[OutgoingDocument]:
    """What the user may read of the 主动公开 发文 (issued or archived) matching ``text``, newest first:
    an answer 已主动公开 points the applicant there."""
    terms = search.query(text or "")
    if terms is None:
        return OutgoingDocument.objects.none()
    return (
        OutgoingDocument.objects.visible_to(user)
        .filter(disclosure="proactive", state__in=("issued", "archived"), search_vector=terms)
        .order_by("-signed_at", "-id")
    )

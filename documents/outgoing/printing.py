"""The 发文稿纸: the draft sheet an office files and signs with the document.

The head gives 文号, 密级, 紧急程度, 标题, 主送, 抄送, 拟稿单位 and 拟稿人; the 意见栏 rows 拟稿, 核稿, 会签
and 签发 carry what the 流转记录 recorded for the draft as last sent for 核稿 (each opinion, who gave
it and the day), a 会签 unit that has not yet decided an empty line under its name, so the sheet can
be printed at any step and signed by hand where the system has nothing yet. Drawn by
``office.printing``; handed out as the document's PDF is (绝密 refused, the print logged).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from documents.models import OutgoingDocument, Transition
from documents.outgoing.exports import main_to_text
from office.confidentiality.levels import Level
from office.confidentiality.visibility import get_visible_or_404
from office.printing import Field, Opinion, OpinionRow, Sheet, SheetRefused, sheet_response

SUBMIT = "送核稿"
REVIEW = ("核稿通过", "核稿退回")
COUNTERSIGN = ("会签同意", "会签完毕", "会签退回")
SIGN = ("签发", "签发退回")


def _cc_text(document: OutgoingDocument) -> str:
    names = [unit.name for unit in document.cc_units.all()]
    if document.cc_external.strip():
        names.append(document.cc_external.strip())
    return "、".join(names)


def _entry(transition: Transition, *, returned: tuple[str, ...] = ()) -> Opinion:
    text = transition.comment or _(transition.action)
    if transition.action in returned:
        text = _("（退回）") + text
    return Opinion(text=text, name=transition.actor_name, on=transition.at)


def _split_unit(comment: str) -> tuple[str, str]:
    """A 会签 row's comment is "单位：意见"."""
    unit, _colon, opinion = comment.partition("：")
    return unit, opinion


def opinion_rows(document: OutgoingDocument) -> list[OpinionRow]:
    """拟稿, 核稿, 会签, 签发 from the 流转记录 since the draft was last sent for 核稿."""
    transitions = list(document.transitions.order_by("at", "id"))
    submitted = [index for index, transition in enumerate(transitions) if transition.action == SUBMIT]
    current = transitions[submitted[-1] :] if submitted else []

    if submitted:
        drafting = [Opinion(text=current[0].comment, name=current[0].actor_name, on=current[0].at)]
    else:
        drafting = [Opinion(name=document.drafter.name, on=document.created_at)]
    review = [_entry(t, returned=("核稿退回",)) for t in current if t.action in REVIEW]

    countersign = []
    decided = set()
    for transition in current:
        if transition.action in COUNTERSIGN:
            unit, opinion = _split_unit(transition.comment)
            decided.add(unit)
            if transition.action == "会签退回":
                opinion = _("（退回）") + opinion
            countersign.append(
                Opinion(prefix=unit, text=opinion or _("同意"), name=transition.actor_name, on=transition.at)
            )
    for row in document.countersigns.select_related("unit").order_by("id"):
        if row.unit.name not in decided:
            countersign.append(Opinion(prefix=row.unit.name))

    signing = [_entry(t, returned=("签发退回",)) for t in current if t.action in SIGN]
    return [
        OpinionRow(_("拟稿"), drafting, height_mm=36),
        OpinionRow(_("核稿"), review, height_mm=40),
        OpinionRow(_("会签"), countersign, height_mm=44 + 8 * max(0, len(countersign) - 2)),
        OpinionRow(_("签发"), signing, height_mm=52),
    ]


def draft_sheet(document: OutgoingDocument, *, reader=None) -> Sheet:
    """The 发文稿纸 of ``document`` (SheetRefused for 绝密)."""
    if document.level >= Level.TOP_SECRET:
        raise SheetRefused(_("绝密公文不能导出，只能在屏幕上阅读。"))
    marks = [
        document.level_mark if document.is_classified else "",
        document.get_urgency_display() if document.urgency else "",
    ]
    return Sheet(
        title=_("发文稿纸"),
        heading=document.series.organ.name,
        mark="　".join(mark for mark in marks if mark),
        fields=[
            Field(_("文号"), document.number_text),
            Field(_("密级"), document.level_mark or str(document.level.label)),
            Field(_("紧急程度"), document.get_urgency_display() if document.urgency else ""),
            Field(_("文种"), document.get_kind_display()),
            Field(_("标题"), document.title, wide=True),
            Field(_("主送"), main_to_text(document), wide=True),
            Field(_("抄送"), _cc_text(document), wide=True),
            Field(_("拟稿单位"), document.drafting_unit.name),
            Field(_("拟稿人"), document.drafter.name),
        ],
        opinions=opinion_rows(document),
    )


@login_required
@require_GET
def outgoing_draft_sheet(request, pk):
    """The 发文稿纸 as PDF, from the person's visible documents (404 otherwise)."""
    documents = OutgoingDocument.objects.select_related("series__organ", "number__series", "drafter", "drafting_unit")
    document = get_visible_or_404(documents, request.user, pk)
    return sheet_response(
        request,
        document,
        draft_sheet,
        name=f"{document.number_text or document.title} {_('发文稿纸')}",
        back=reverse("documents:outgoing_detail", args=[document.pk]),
        refusal=_("绝密公文不能导出，只能在屏幕上阅读。"),
    )

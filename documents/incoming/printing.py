"""The 收文处理笺: the sheet a received document travels with (and is filed with).

The head gives 来文单位, 文号, 标题, 收文日期, 编号 and the rest of the register line; the rows 拟办,
批示, 承办 and 传阅 carry what was recorded (the opinion, who gave it, the day): the 拟办 and the
leader's 批示 from the 流转记录, each 承办单位 with its 办理情况 and the 办结 result, each 传阅 reader
with the day read and what they wrote. Drawn by ``office.printing``; handed out as the
document's other files are (绝密 refused, the print logged).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from documents.incoming.models import AssignmentRole, ReaderState
from documents.models import IncomingDocument
from office.confidentiality.levels import Level
from office.confidentiality.visibility import get_visible_or_404
from office.printing import Field, Opinion, OpinionRow, Sheet, SheetRefused, day_text, sheet_response

REFUSAL = gettext_lazy("绝密收文不能导出，只能在屏幕上阅读。")


def opinion_rows(document: IncomingDocument) -> list[OpinionRow]:
    transitions = list(document.transitions.order_by("at", "id"))

    proposals = [Opinion(text=t.comment, name=t.actor_name, on=t.at) for t in transitions if t.action == "拟办"]
    if not proposals and document.proposal:
        proposals = [Opinion(text=document.proposal, name=getattr(document.proposed_by, "name", ""))]
    proposals = proposals[-1:]  # the 拟办 the leader decided on

    instructions = []
    for transition in transitions:
        if transition.action == "批示":
            instructions.append(Opinion(text=transition.comment, name=transition.actor_name, on=transition.at))
        elif transition.action == "批示退回重拟":
            text = _("（退回重拟）") + transition.comment
            instructions.append(Opinion(text=text, name=transition.actor_name, on=transition.at))
    if document.time_limit and instructions and not instructions[-1].text.startswith(_("（退回重拟）")):
        limit = _("办理时限：%(day)s") % {"day": day_text(document.time_limit)}
        instructions[-1].text = f"{instructions[-1].text}\n{limit}"

    inputs = {}
    for transition in transitions:
        if transition.action == "协办意见":
            unit, _colon, _note = transition.comment.partition("：")
            inputs[unit] = transition.actor_name
    handling = []
    for assignment in document.assignments.select_related("unit").order_by("-role", "id"):
        role = _("主办") if assignment.role == AssignmentRole.LEAD else _("协办")
        handling.append(
            Opinion(
                prefix=f"{role} {assignment.unit.name}",
                text=assignment.note,
                name=inputs.get(assignment.unit.name, ""),
                on=assignment.done_at,
            )
        )
    for transition in transitions:
        if transition.action == "办结":
            handling.append(
                Opinion(prefix=_("办结"), text=transition.comment, name=transition.actor_name, on=transition.at)
            )

    reading = []
    readers = document.circulations.filter(recalled_at__isnull=True)
    for circulation in readers.prefetch_related("readers__person").order_by("sent_at", "id"):
        for reader in circulation.readers.all():
            if reader.state == ReaderState.RECALLED:
                continue
            text = reader.comment or (_("已阅") if reader.state == ReaderState.READ else "")
            reading.append(Opinion(prefix=reader.person.name, text=text, on=reader.read_at))

    return [
        OpinionRow(_("拟办"), proposals, height_mm=36),
        OpinionRow(_("批示"), instructions, height_mm=56),
        OpinionRow(_("承办"), handling, height_mm=44 + 8 * max(0, len(handling) - 3)),
        OpinionRow(_("传阅"), reading, height_mm=36 + 7 * max(0, len(reading) - 3)),
    ]


def handling_sheet(document: IncomingDocument, *, reader=None) -> Sheet:
    """The 收文处理笺 of ``document`` (SheetRefused for 绝密)."""
    if document.level >= Level.TOP_SECRET:
        raise SheetRefused(str(REFUSAL))
    received = document.signed_for_at or document.delivered_at
    marks = [
        document.level_mark if document.is_classified else "",
        document.get_urgency_display() if document.urgency else "",
    ]
    return Sheet(
        title=_("收文处理笺"),
        heading=document.receiving_unit.name,
        mark="　".join(mark for mark in marks if mark),
        fields=[
            Field(_("来文单位"), document.sender_organ),
            Field(_("文号"), document.sender_number),
            Field(_("标题"), document.title, wide=True),
            Field(_("收文日期"), day_text(received)),
            Field(_("编号"), document.registration_text),
            Field(_("密级"), document.level_mark or str(document.level.label)),
            Field(_("份数"), str(document.copies_received)),
        ],
        opinions=opinion_rows(document),
    )


@login_required
@require_GET
def incoming_handling_sheet(request, pk):
    """The 收文处理笺 as PDF, from the person's visible documents (404 otherwise)."""
    documents = IncomingDocument.objects.select_related("receiving_unit", "proposed_by")
    document = get_visible_or_404(documents, request.user, pk)
    return sheet_response(
        request,
        document,
        handling_sheet,
        name=f"{document.registration_text or document.title} {_('收文处理笺')}",
        back=reverse("documents:incoming_detail", args=[document.pk]),
        refusal=str(REFUSAL),
    )

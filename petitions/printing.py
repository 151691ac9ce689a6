"""The 信访事项处理笺 of a case, as PDF: the 登记 (登记号, 信访形式, 收到日期, the 信访人 as the reader may
see them, 诉求类型, 分类, 属地, 摘要, 诉求内容), then the rows of its handling — 拟办意见 (the route
and its note), 领导批示, 办理情况 (the notes) and 答复意见 (each stage's opinion and its 送达).

Drawn by ``office.printing``. The 信访人's identity is masked for all but the case's handlers
(``selectors.petitioners_of``), as on the page; every print is logged (``audit.record`` PRINT, at
every level: a case names its 信访人); 绝密 is refused; the file is never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import get_visible_or_404
from office.inputs import file_name
from office.pages import no_store, watermark
from office.printing import Field, Opinion, OpinionRow, Sheet, day_text, render_sheet
from petitions import selectors
from petitions.models import NoteKind, PetitionCase

REFUSAL = gettext_lazy("绝密信访事项不能打印，只能在屏幕上阅读。")


def _flags(case: PetitionCase) -> str:
    flags = []
    if case.beyond_level:
        flags.append(_("越级（%(where)s）") % {"where": case.get_beyond_level_display()})
    if case.mass:
        flags.append(_("群体性"))
    if case.first_time:
        flags.append(_("初信初访"))
    if case.urgent:
        flags.append(_("紧急敏感"))
    return "、".join(flags) or _("无")


def _petitioners(case: PetitionCase, reader) -> str:
    lines = []
    for view in selectors.petitioners_of(case, reader):
        parts = [view.name + (_("（代表）") if view.representative else "")]
        parts += [value for value in (view.id_number, view.phone, view.address) if value]
        lines.append("，".join(parts))
    return "；".join(lines)


def case_sheet(case: PetitionCase, *, reader) -> Sheet:
    """The 处理笺 of ``case`` for ``reader`` (who got it through ``visible_to``)."""
    route = ""
    if case.route:
        route = case.get_route_display()
        if case.handling_unit_id:
            route += f"：{case.handling_unit.name}"
        if case.route_note:
            route += f"。{case.route_note}"
    routed = [Opinion(text=route, on=case.routed_on)] if route else []
    instructions = [
        Opinion(text=event.comment, name=event.actor_name, on=event.at)
        for event in case.events.filter(action="领导批示").order_by("at", "id")
    ]
    notes = [
        Opinion(prefix=note.get_kind_display(), text=note.text, name=note.written_by.name, on=note.on)
        for note in case.notes.exclude(kind=NoteKind.REVISIT).select_related("written_by")
    ]
    replies = []
    for reply in case.replies.select_related("written_by", "document__number"):
        served = ""
        if reply.served_on:
            served = _("（%(day)s%(method)s）") % {
                "day": day_text(reply.served_on),
                "method": reply.get_served_method_display(),
            }
        replies.append(
            Opinion(
                prefix=f"{reply.get_stage_display()}：{reply.get_opinion_display()}",
                text=f"{reply.facts}\n{_('依据：')}{reply.basis}{served}",
                name=reply.written_by.name,
                on=reply.written_at,
            )
        )
    return Sheet(
        title=_("信访事项处理笺"),
        heading=case.organ.name,
        mark=case.level_mark if case.is_classified else "",
        number=case.number,
        fields=[
            Field(_("登记号"), case.number),
            Field(_("收到日期"), day_text(case.received_on)),
            Field(_("信访形式"), case.get_channel_display()),
            Field(_("诉求类型"), case.get_kind_display()),
            Field(_("信访人"), _petitioners(case, reader), wide=True),
            Field(_("人数"), str(case.headcount)),
            Field(_("情形"), _flags(case)),
            Field(_("问题分类"), str(case.category)),
            Field(_("问题属地"), case.area.name if case.area_id else ""),
            Field(_("事项摘要"), case.title, wide=True),
            Field(_("诉求内容"), case.content, wide=True),
            Field(_("承办单位"), case.handling_unit.name if case.handling_unit_id else ""),
            Field(_("当前时限"), day_text(case.due)),
        ],
        opinions=[
            OpinionRow(_("拟办意见"), routed, height_mm=30),
            OpinionRow(_("领导批示"), instructions, height_mm=36),
            OpinionRow(_("办理情况"), notes, height_mm=36 + 8 * max(0, len(notes) - 2)),
            OpinionRow(_("答复意见"), replies, height_mm=40 + 10 * max(0, len(replies) - 1)),
        ],
    )


@login_required
@require_GET
def case_sheet_pdf(request, pk):
    """The 处理笺 as PDF, from the person's visible cases (404 otherwise)."""
    queryset = PetitionCase.objects.select_related("organ", "handling_unit", "category__parent", "area")
    case = get_visible_or_404(queryset, request.user, pk)
    if case.level >= Level.TOP_SECRET:
        messages.error(request, str(REFUSAL))
        return redirect("petitions:case", pk=case.pk)
    sheet = case_sheet(case, reader=request.user)
    mark = watermark(request.user, case)
    if mark:
        sheet.watermark = mark["text"]
    content = render_sheet(sheet)
    audit.record(request.user, AuditAction.PRINT, obj=case, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=file_name(f"{case.number} 处理笺", "pdf")
    )
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return no_store(response, case)

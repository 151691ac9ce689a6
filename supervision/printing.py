"""The 督办单 and the 催办单 of a 督办事项, as PDF.

The 督办单 goes to the units with the item: what is to be done (督办事项, 办理要求), where it came from,
who instructed it and who supervises it, the time limit and the units; its rows carry the leaders'
批示, each task's latest report (承办情况) and the 督查员's 审核意见. The 催办单 presses the units that
still owe their part: each with its time limit, the 督查员's 催办 as recorded (text, who, day), and
the units' replies since the last 催办 — empty lines to answer by hand where nothing came yet.
Drawn by ``office.printing``; handed out as the record's other files are (绝密 refused, the print
logged). Above the ceiling the texts are empty (a register entry) and the sheets print the rest.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from office.confidentiality.levels import Level
from office.confidentiality.visibility import get_visible_or_404
from office.printing import Field, Opinion, OpinionRow, Sheet, SheetRefused, day_text, sheet_response
from supervision import rules
from supervision.models import ProgressReport, SupervisionItem

REFUSAL = gettext_lazy("绝密督办事项不能导出，只能在屏幕上阅读。")


def _refuse_top_secret(item: SupervisionItem) -> None:
    if item.level >= Level.TOP_SECRET:
        raise SheetRefused(str(REFUSAL))


def _units(item: SupervisionItem) -> tuple[str, str]:
    lead, assisting = [], []
    for task in item.tasks.exclude(state="cancelled").select_related("lead_unit").prefetch_related("assists__unit"):
        lead.append(task.lead_unit.name)
        assisting += [assist.unit.name for assist in task.assists.all()]
    return "、".join(dict.fromkeys(lead)), "、".join(dict.fromkeys(assisting))


def _head(item: SupervisionItem) -> list[Field]:
    lead, assisting = _units(item)
    source = item.get_source_display() + (f"（{item.source_text}）" if item.source_text else "")
    return [
        Field(_("督办事项"), item.title, wide=True),
        Field(_("督办编号"), item.number),
        Field(_("来源"), source),
        Field(_("批示领导"), getattr(item.instructing_leader, "name", "")),
        Field(_("督查员"), item.supervisor.name),
        Field(_("立项日期"), day_text(item.opened_at)),
        Field(_("办结时限"), day_text(item.due)),
        Field(_("主办单位"), lead, wide=True),
        Field(_("协办单位"), assisting, wide=True),
    ]


def _mark(item: SupervisionItem) -> str:
    level = item.level_mark if item.is_classified else ""
    urgent = item.get_priority_display() if item.priority != "normal" else ""
    return "　".join(part for part in (level, urgent) if part)


def supervision_sheet(item: SupervisionItem, *, reader=None) -> Sheet:
    """The 督办单 (SheetRefused for 绝密)."""
    _refuse_top_secret(item)
    instructions = [
        Opinion(text=row.text, name=row.leader.name, on=row.at) for row in item.instructions.select_related("leader")
    ]
    progress, reviews = [], []
    tasks = (
        item.tasks.exclude(state="cancelled").select_related("lead_unit", "responsible_person").order_by("order", "id")
    )
    for task in tasks:
        reports = list(task.reports.select_related("submitted_by", "reviewed_by").order_by("submitted_at", "id"))
        who = f"{task.lead_unit.name}（{task.responsible_person.name}）"
        latest = reports[-1] if reports else None
        progress.append(
            Opinion(
                prefix=who,
                text=latest.text if latest else "",
                name=latest.submitted_by.name if latest else "",
                on=latest.submitted_at if latest else None,
            )
        )
        for report in reports:
            if report.review:
                text = report.review_comment or report.get_review_display()
                reviews.append(
                    Opinion(prefix=task.lead_unit.name, text=text, name=report.reviewed_by.name, on=report.reviewed_at)
                )
    return Sheet(
        title=_("督办单"),
        heading=item.organ.name,
        mark=_mark(item),
        fields=[
            *_head(item),
            Field(_("办理要求"), item.requirement, wide=True),
            Field(_("反馈要求"), item.get_cadence_display()),
            Field(_("状态"), item.get_state_display()),
        ],
        opinions=[
            OpinionRow(_("领导批示"), instructions, height_mm=44),
            OpinionRow(_("承办情况"), progress, height_mm=48 + 10 * max(0, len(progress) - 1)),
            OpinionRow(_("审核意见"), reviews, height_mm=40),
        ],
    )


def chase_sheet(item: SupervisionItem, *, reader=None) -> Sheet:
    """The 催办单 (SheetRefused for 绝密): the units that still owe their part, the 催办 recorded, and
    what they reported since the last one."""
    _refuse_top_secret(item)
    owed = rules.tasks_to_chase(item)
    chases = list(item.chases.select_related("by"))
    last = chases[-1] if chases else None
    pressed = [
        f"{task.lead_unit.name}（{_('办结时限')}{day_text(task.due)}，{task.get_state_display()}）" for task in owed
    ]
    replies = ProgressReport.objects.filter(task__in=[task.pk for task in owed]).select_related(
        "submitted_by", "task__lead_unit"
    )
    if last is not None:
        replies = replies.filter(submitted_at__gt=last.at)
    return Sheet(
        title=_("催办单"),
        heading=item.organ.name,
        mark=_mark(item),
        fields=[
            Field(_("督办事项"), item.title, wide=True),
            Field(_("督办编号"), item.number),
            Field(_("办结时限"), day_text(item.due)),
            Field(_("被催办单位"), "；".join(pressed), wide=True),
            Field(_("催办人"), last.by.name if last else item.supervisor.name),
            Field(_("催办日期"), day_text(last.at) if last else ""),
            Field(_("送达"), last.sent_to if last else "", wide=True),
        ],
        opinions=[
            OpinionRow(
                _("催办意见"),
                [Opinion(text=chase.text, name=chase.by.name, on=chase.at) for chase in chases],
                height_mm=56 + 8 * max(0, len(chases) - 2),
            ),
            OpinionRow(
                _("办理反馈"),
                [
                    Opinion(
                        prefix=report.task.lead_unit.name,
                        text=report.text,
                        name=report.submitted_by.name,
                        on=report.submitted_at,
                    )
                    for report in replies.order_by("submitted_at", "id")
                ],
                height_mm=64,
            ),
        ],
        note=_("请承办单位抓紧办理，按时限报送办理情况；确有困难的，及时说明原因并提出措施。"),
    )


def _sheet_view(build, noun):
    @login_required
    @require_GET
    def view(request, pk):
        items = SupervisionItem.objects.select_related("organ", "supervisor", "instructing_leader")
        item = get_visible_or_404(items, request.user, pk)
        return sheet_response(
            request,
            item,
            build,
            name=f"{item.number} {noun}",
            back=reverse("supervision:item_detail", args=[item.pk]),
            refusal=str(REFUSAL),
        )

    view.__doc__ = f"The {noun} as PDF, from the person's visible items (404 otherwise)."
    return view


item_supervision_sheet = _sheet_view(supervision_sheet, "督办单")
item_chase_sheet = _sheet_view(chase_sheet, "催办单")

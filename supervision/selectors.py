"""Reads of supervised items — every one from ``visible_to(user)`` — with their warning lights, and the
figures the dashboards and the annual assessment use.

Lights (one rule, in SQL so the ledger can filter and sort on it): a task in hand is **red** once its
due date has passed, **yellow** when it falls due within 3 working days or an expected report (a
cadence report or a milestone) is missing, else **green**; an item shows its worst task (an item not
yet split: its own due date). Done and cancelled ones have no light.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from office import search
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.workdays.services import PeriodUnit, due_date, format_date
from supervision.models import (
    ExtensionDecision,
    ExtensionRequest,
    ExtensionState,
    ItemState,
    Light,
    SupervisionItem,
    SupervisionTask,
    TaskAssist,
    TaskState,
)

YELLOW_WORKING_DAYS = 3
CLOSED_TASK = [TaskState.DONE, TaskState.CANCELLED]
# Still owed by the lead unit, so still on its clock: in hand, or its 办结报告 waiting for 审签.
OWED = [TaskState.ASSIGNED, TaskState.SIGNOFF]


def soon_after(today: date) -> date:
    """The last day that counts as "due within 3 working days" of ``today``."""
    return due_date(today, YELLOW_WORKING_DAYS, PeriodUnit.WORKING_DAYS).due_date


def _light_rules(today: date, soon: date | None = None) -> tuple[Q, Q]:
    """(red, yellow) for a task in hand, as conditions on its own columns (``soon``: the caller's
    ``soon_after(today)``, when it has it — each is a read of the calendar)."""
    soon = soon or soon_after(today)
    red = Q(state__in=OWED, due__lt=today)
    yellow = Q(state__in=OWED) & (Q(due__lte=soon) | Q(report_due__lt=today))
    return red, yellow


def with_task_light(tasks: QuerySet[SupervisionTask], today: date | None = None) -> QuerySet[SupervisionTask]:
    today = today or timezone.localdate()
    red, yellow = _light_rules(today)
    return tasks.annotate(
        light=Case(
            When(state__in=CLOSED_TASK, then=Value(Light.NONE)),
            When(red, then=Value(Light.RED)),
            When(yellow, then=Value(Light.YELLOW)),
            default=Value(Light.GREEN),
            output_field=CharField(),
        )
    )


def with_item_light(items: QuerySet[SupervisionItem], today: date | None = None) -> QuerySet[SupervisionItem]:
    today = today or timezone.localdate()
    soon = soon_after(today)
    red, yellow = _light_rules(today, soon)
    tasks = SupervisionTask.objects.filter(item=OuterRef("pk"))
    return items.annotate(
        light=Case(
            When(state__in=[ItemState.DONE, ItemState.CANCELLED], then=Value(Light.NONE)),
            When(state=ItemState.OPENED, due__lt=today, then=Value(Light.RED)),
            When(state=ItemState.OPENED, due__lte=soon, then=Value(Light.YELLOW)),
            When(state=ItemState.OPENED, then=Value(Light.GREEN)),
            When(Exists(tasks.filter(red)), then=Value(Light.RED)),
            When(Exists(tasks.filter(yellow)), then=Value(Light.YELLOW)),
            default=Value(Light.GREEN),
            output_field=CharField(),
        )
    )


def items_visible(*, user, filters: dict | None = None, text: str = "", today: date | None = None):
    """督办台账: visible items with their lights, filtered (``state``, ``source``, ``priority``,
    ``light``, ``year``, ``lead_unit``, ``instructing_leader``, ``supervisor``, ``classification``,
    ``due_from``/``due_to``) and searched (title, number, requirement, source)."""
    filters = {k: v for k, v in dict(filters or {}).items() if v not in (None, "")}
    items = SupervisionItem.objects.visible_to(user).select_related(
        "supervising_unit", "instructing_leader", "supervisor"
    )
    if lead_unit := filters.pop("lead_unit", None):
        items = items.filter(pk__in=SupervisionTask.objects.filter(lead_unit=lead_unit).values("item_id"))
    if due_from := filters.pop("due_from", None):
        items = items.filter(due__gte=due_from)
    if due_to := filters.pop("due_to", None):
        items = items.filter(due__lte=due_to)
    light = filters.pop("light", None)
    items = with_item_light(items.filter(**filters), today)
    if light:
        items = items.filter(light=light)
    if text and (terms := search.query(text)) is not None:
        items = items.filter(search_vector=terms)
    return items


# What a ledger row never shows, read in the detail only: the 办理要求 and the search vector.
LIST_DEFERRED = ("requirement", "search_vector")


def ledger_rows(items: QuerySet[SupervisionItem], today: date | None = None) -> QuerySet[SupervisionItem]:
    """督办台账 rows, one shape for the ledger page, the API list and the Excel export: the light,
    the task counts (cancelled tasks not counted) and ``row_tasks`` with their lead and assisting
    units — every task, so a cancelled item keeps the units it had been given (``row_units``). A
    fixed number of queries whatever the page size; ``items`` come from ``items_visible``. No row
    shows the long texts (``LIST_DEFERRED``): they are not read."""
    today = today or timezone.localdate()
    if "light" not in items.query.annotations:
        items = with_item_light(items, today)
    items = items.defer(*LIST_DEFERRED)

    def count(condition: Q):
        counted = (
            SupervisionTask.objects.filter(condition, item=OuterRef("pk"))
            .order_by()
            .values("item")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(counted), Value(0))

    # Each task's assisting units by name, in the order they were given (one query with the tasks).
    assisting_names = (
        TaskAssist.objects.filter(task=OuterRef("pk"))
        .order_by()
        .values("task")
        .annotate(names=ArrayAgg("unit__name", order_by=("id",)))
        .values("names")
    )
    return (
        items.select_related("instructing_leader")
        .annotate(
            task_count=count(~Q(state=TaskState.CANCELLED)),
            done_count=count(Q(state=TaskState.DONE)),
            overdue_count=count(Q(state__in=OWED, due__lt=today)),
        )
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=SupervisionTask.objects.select_related("lead_unit")
                .annotate(assisting_names=Subquery(assisting_names))
                .order_by("order", "id"),
                to_attr="row_tasks",
            )
        )
    )


def row_units(item: SupervisionItem) -> tuple[list[str], list[str]]:
    """A ledger row's (lead units, assisting units), by name, each once, in task order."""
    lead = list(dict.fromkeys(task.lead_unit.name for task in item.row_tasks))
    assisting = list(dict.fromkeys(name for task in item.row_tasks for name in task.assisting_names or ()))
    return lead, assisting


def item_tasks(item: SupervisionItem, today: date | None = None) -> QuerySet[SupervisionTask]:
    """An item's tasks (the caller got the item through ``visible_to``) with lights and their parts."""
    return (
        with_task_light(item.tasks.all(), today)
        .select_related("lead_unit", "responsible_person")
        .prefetch_related("assists__unit", "milestones", "reports__attachments", "reports__submitted_by")
    )


def item_tasks_in_full(item: SupervisionItem, today: date | None = None) -> QuerySet[SupervisionTask]:
    """An item's tasks for its page and its API detail: ``item_tasks`` with who sent each input and
    reviewed each report, the milestone reached, and the extension requests with their decisions —
    a fixed number of queries (the caller got the item through ``visible_to``)."""
    return item_tasks(item, today).prefetch_related(
        "assists__sent_by",
        "reports__reviewed_by",
        "reports__signed_off_by",
        "reports__milestone",
        Prefetch(
            "extension_requests",
            queryset=ExtensionRequest.objects.select_related("requested_by").prefetch_related(
                Prefetch("decisions", queryset=ExtensionDecision.objects.select_related("approver"))
            ),
        ),
    )


def my_tasks(*, user, today: date | None = None) -> dict[str, QuerySet]:
    """我的督办: tasks my unit leads, inputs my unit owes, 办结报告 waiting for my 审签, extension
    requests waiting for me, and for a 督查员 the red and yellow items he supervises, the items to
    split and the final reports to review — all within what I may see."""
    from supervision.rules import signs_for_unit_q

    person = person_of(user)
    if person is None:
        return {}
    visible = SupervisionItem.objects.visible_to(user).values("pk")
    lineage = person.units()  # within my organ, as visible_to counts it
    tasks = SupervisionTask.objects.filter(item__in=visible).select_related("item", "lead_unit", "responsible_person")
    supervised = Q(item__supervisor=person) | Q(item__supervising_unit__in=lineage)
    pending_extensions = ExtensionRequest.objects.filter(
        state=ExtensionState.PENDING, task__item__in=visible
    ).select_related("task__item", "task__lead_unit", "requested_by")
    from supervision.services import may_decide

    waiting_for_me = [request for request in pending_extensions if may_decide(user, request)]
    is_supervisor = _is_supervisor(user)
    return {
        "lights": warning_items(user=user, person=person, today=today)
        if is_supervisor
        else SupervisionItem.objects.none(),
        "lead": with_task_light(
            tasks.filter(Q(responsible_person=person) | Q(lead_unit__in=lineage), state=TaskState.ASSIGNED), today
        ).order_by("due"),
        "signoff": with_task_light(tasks.filter(signs_for_unit_q(user), state=TaskState.SIGNOFF), today).order_by(
            "due"
        ),
        "assist": tasks.filter(
            assists__unit__in=lineage, assists__sent_at__isnull=True, state=TaskState.ASSIGNED
        ).distinct(),
        "review": tasks.filter(supervised, state=TaskState.REVIEW) if is_supervisor else tasks.none(),
        "split": with_item_light(
            SupervisionItem.objects.visible_to(user).filter(state=ItemState.OPENED, supervisor=person), today
        ),
        "extensions": waiting_for_me,
    }


def warning_items(*, user, person, today: date | None = None) -> QuerySet[SupervisionItem]:
    """The red and yellow items a 督查员 supervises (his own, or his supervising unit's), red first,
    then by due date: what to press (催办) today."""
    lineage = person.units()
    items = SupervisionItem.objects.visible_to(user).filter(
        Q(supervisor=person) | Q(supervising_unit__in=lineage), state__in=[ItemState.OPENED, ItemState.ASSIGNED]
    )
    items = with_item_light(items.select_related("supervisor", "instructing_leader"), today)
    red_first = Case(When(light=Light.RED, then=Value(0)), default=Value(1))
    return items.filter(light__in=[Light.RED, Light.YELLOW]).order_by(red_first, "due", "pk").defer(*LIST_DEFERRED)


def _is_supervisor(user) -> bool:
    from office.org.models import Role

    return user.has_role(Role.SUPERVISOR)


def overdue_tasks(*, user, today: date | None = None) -> QuerySet[SupervisionTask]:
    """Tasks in hand past their due date, most overdue first."""
    today = today or timezone.localdate()
    return (
        SupervisionTask.objects.filter(
            item__in=SupervisionItem.objects.visible_to(user).values("pk"), state__in=OWED, due__lt=today
        )
        .select_related("item", "lead_unit", "responsible_person")
        .order_by("due", "pk")
    )


# --- Figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Counts for one row (a unit, a leader or a source). ``expected`` = tasks that should be done by
    now (done, or past their due date); 按期办结率 = done on time / expected."""

    key: str | int | None
    label: str
    tasks: int
    done: int
    on_time: int
    overdue: int
    returned: int

    @property
    def expected(self) -> int:
        return self.done + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def completion_rate(self) -> float | None:
        return self.done / self.tasks if self.tasks else None


GROUPS = {
    "unit": ("lead_unit_id", "lead_unit__name"),
    "leader": ("item__instructing_leader_id", "item__instructing_leader__name"),
    "source": ("item__source", None),
}


def figures(*, user, by: str, start: date, end: date, today: date | None = None) -> list[Figures]:
    """Counts and on-time rates of the tasks assigned in [start, end] by lead unit, instructing leader
    or source, over the items ``user`` may see. Cancelled tasks do not count."""
    from supervision.models import Source

    today = today or timezone.localdate()
    key, label = GROUPS[by]
    rows = (
        _tasks_in(user, start, end)
        .values(*[f for f in (key, label) if f])
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(state=TaskState.DONE)),
            on_time=Count("id", filter=Q(state=TaskState.DONE, done_on_time=True)),
            overdue=Count("id", filter=Q(state__in=OWED, due__lt=today)),
            returned=Sum("returns"),
        )
        .order_by(key)
    )
    result = []
    for row in rows:
        name = row[label] if label else Source(row[key]).label
        result.append(
            Figures(
                row[key],
                str(name or _("（未指定）")),
                row["n"],
                row["done"],
                row["on_time"],
                row["overdue"],
                row["returned"] or 0,
            )
        )
    return result


def _tasks_in(user, start: date, end: date) -> QuerySet[SupervisionTask]:
    return SupervisionTask.objects.filter(
        item__in=SupervisionItem.objects.visible_to(user).values("pk"),
        assigned_at__date__gte=start,
        assigned_at__date__lte=end,
    ).exclude(state=TaskState.CANCELLED)


@dataclass(frozen=True)
class Score:
    unit_id: int
    unit_name: str
    on_time: int
    late: int
    returned: int
    points: int


def unit_scores(*, user, start: date, end: date, today: date | None = None) -> list[Score]:
    """Per lead unit, for the annual assessment: points (``SUPERVISION_SCORE_POINTS``) for each task
    done on time, each done late or still overdue, and each 退回重办; best first."""
    today = today or timezone.localdate()
    points = settings.SUPERVISION_SCORE_POINTS
    rows = (
        _tasks_in(user, start, end)
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            on_time=Count("id", filter=Q(state=TaskState.DONE, done_on_time=True)),
            late=Count(
                "id",
                filter=Q(state=TaskState.DONE, done_on_time=False) | Q(state=TaskState.ASSIGNED, due__lt=today),
            ),
            returned=Sum("returns"),
        )
    )
    scores = [
        Score(
            r["lead_unit_id"],
            r["lead_unit__name"],
            r["on_time"],
            r["late"],
            r["returned"] or 0,
            r["on_time"] * points["on_time"] + r["late"] * points["late"] + (r["returned"] or 0) * points["returned"],
        )
        for r in rows
    ]
    return sorted(scores, key=lambda s: (-s.points, s.unit_name))


def light_counts(*, user, today: date | None = None) -> dict[str, int]:
    """How many visible items in hand show each light (for the dashboard)."""
    rows = (
        with_item_light(SupervisionItem.objects.visible_to(user), today)
        .exclude(state__in=[ItemState.DONE, ItemState.CANCELLED])
        .values("light")
        .annotate(n=Count("id"))
    )
    counts = {Light.GREEN.value: 0, Light.YELLOW.value: 0, Light.RED.value: 0}
    counts.update({r["light"]: r["n"] for r in rows})
    return counts


# --- Texts for 通报 and 督查专报 --------------------------------------------------------------------------


def period_text(start: date, end: date) -> str:
    if start.year == end.year and start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        return _("%(year)d年") % {"year": start.year}
    return _("%(start)s至%(end)s") % {"start": format_date(start), "end": format_date(end)}


def bulletin_text(*, user, start: date, end: date, today: date | None = None) -> str:
    """The 通报's body: the period's figures, units with overdue tasks, units with every task on time —
    from items at 内部 or below that ``user`` may see."""
    today = today or timezone.localdate()
    tasks = _tasks_in(user, start, end).filter(item__classification__lte=Level.INTERNAL)
    rows = figures_for(tasks, today)
    total = sum(r["n"] for r in rows)
    done = sum(r["done"] for r in rows)
    on_time = sum(r["on_time"] for r in rows)
    overdue_units = [r for r in rows if r["overdue"] or r["late"]]
    exemplary = [r for r in rows if r["done"] and r["on_time"] == r["done"] and not r["overdue"] and not r["returned"]]
    lines = [
        _("为推动各项决策部署落地见效，现将%(period)s督查督办事项办理情况通报如下。")
        % {"period": period_text(start, end)},
        _("一、总体情况"),
        _("本期共交办督办任务%(total)d项，已办结%(done)d项，其中按期办结%(on_time)d项。")
        % {"total": total, "done": done, "on_time": on_time},
        _("二、办理较好的单位"),
    ]
    if exemplary:
        lines.append(
            _("%(units)s交办任务全部按期办结，予以通报表扬。")
            % {"units": "、".join(r["lead_unit__name"] for r in exemplary)}
        )
    else:
        lines.append(_("本期无全部按期办结的单位。"))
    lines.append(_("三、逾期未办结或逾期办结的单位"))
    if overdue_units:
        for row in overdue_units:
            lines.append(
                _("%(unit)s：逾期未办结%(overdue)d项，逾期办结%(late)d项，退回重办%(returned)d次。")
                % {
                    "unit": row["lead_unit__name"],
                    "overdue": row["overdue"],
                    "late": row["late"],
                    "returned": row["returned"],
                }
            )
        overdue = tasks.filter(state=TaskState.ASSIGNED, due__lt=today).select_related("item", "lead_unit")
        for task in overdue.order_by("due"):
            lines.append(
                _("（%(unit)s）%(title)s，时限%(due)s。")
                % {"unit": task.lead_unit.name, "title": task.item.title, "due": format_date(task.due)}
            )
    else:
        lines.append(_("本期无逾期事项。"))
    lines += [
        _("四、有关要求"),
        _("各单位要对照交办要求，逐项抓好落实；逾期事项请于5个工作日内报送办理情况和整改措施。"),
    ]
    return "\n".join(lines)


def bulletin_units(*, user, start: date, end: date) -> list:
    """The units a 通报 is addressed to: the lead units of the period's tasks it counts."""
    from office.org.models import Unit

    tasks = _tasks_in(user, start, end).filter(item__classification__lte=Level.INTERNAL)
    return list(Unit.objects.filter(pk__in=tasks.values("lead_unit")).order_by("code"))


def figures_for(tasks: QuerySet[SupervisionTask], today: date) -> list[dict]:
    return list(
        tasks.values("lead_unit__name")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(state=TaskState.DONE)),
            on_time=Count("id", filter=Q(state=TaskState.DONE, done_on_time=True)),
            late=Count("id", filter=Q(state=TaskState.DONE, done_on_time=False)),
            overdue=Count("id", filter=Q(state__in=OWED, due__lt=today)),
            returned=Sum("returns", default=0),
        )
        .order_by("lead_unit__name")
    )


def report_text(items: list[SupervisionItem]) -> str:
    """The 督查专报's body: per item its source, requirement, tasks and where each stands (from the
    recorded reports and reviews)."""
    numerals = "一二三四五六七八九十"
    lines = [_("现将有关督办事项的督查情况报告如下。")]
    for index, item in enumerate(items):
        head = numerals[index] if index < len(numerals) else str(index + 1)
        lines.append(f"{head}、{item.title}")
        lines.append(
            _(
                "（一）基本情况。该事项来源于%(source)s%(text)s，由%(supervisor)s督办，办结时限为%(due)s。办理要求：%(req)s"
            )
            % {
                "source": item.get_source_display(),
                "text": f"（{item.source_text}）" if item.source_text else "",
                "supervisor": item.supervisor.name,
                "due": format_date(item.due),
                "req": item.requirement,
            }
        )
        lines.append(_("（二）办理进展。"))
        for task in item.tasks.select_related("lead_unit").prefetch_related("reports"):
            reports = list(task.reports.all())
            latest = reports[-1].text if reports else _("尚未报送进展")
            lines.append(
                _("%(unit)s（%(state)s，时限%(due)s）：%(latest)s")
                % {
                    "unit": task.lead_unit.name,
                    "state": task.get_state_display(),
                    "due": format_date(task.due),
                    "latest": latest,
                }
            )
        lines.append(
            _("（三）下一步建议。请有关单位对照办理要求抓紧推进，%(office)s将继续跟踪督办。")
            % {"office": item.supervising_unit.name}
        )
    return "\n".join(lines)


def pending_extensions(task: SupervisionTask) -> QuerySet[ExtensionRequest]:
    return task.extension_requests.filter(state=ExtensionState.PENDING)

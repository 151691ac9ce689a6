"""The 会议 pages: 我的会议 and the visible meetings (filters, phone cards), 登记会议, a meeting's page
(header, 议程, 参会人员 with the 出席 figures, 材料, 议定事项, 会场冲突 and one form per step
``rules.MEETING`` offers), the rotating 签到 code and 扫码签到, the .ics invitation, the rooms' week, 议题
(list, 申报, page with its ``rules.TOPIC`` steps) and the leaders' 一周安排 (office and public).

Thin edges: forms check shape, ``services`` take the steps (and check who may), ``selectors`` read,
every read from ``visible_to()`` — a meeting not visible is a 404. What a page offers is
``MEETING.offered`` / ``TOPIC.offered``; the view decides nothing. A step whose service is not
there is not shown."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from meetings import forms, rules, selectors, services
from meetings.models import Material, Meeting, Topic, TopicState
from meetings.views import logistics, preparation
from meetings.views._common import (
    NO_PERSON,
    NOT_OFFICE,
    NOT_OFFICER,
    NOT_RUNNER,
    PAGE_SIZE,
    Action,
    _act,
    _form,
    _leaders,
    _may_create,
    _nav,
    _office,
    _organ_of,
    _organs,
    _panel,
    _people,
    _plain,
    _private,
    _rooms,
    _service,
    _step,
    _types,
    _units,
    _week_start,
)
from meetings.views.plans import approved_plans
from office.confidentiality import audit
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import get_visible_or_404, person_of
from office.org.models import User
from office.pages import page_of, person_or_403, query_without_page, take_step, watermark

# --- 会议 list -------------------------------------------------------------------------------------------


def _filtered(rows: QuerySet[Meeting], form: forms.MeetingFilterForm) -> QuerySet[Meeting]:
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    if data["type"]:
        rows = rows.filter(type=data["type"])
    if data["state"]:
        rows = rows.filter(state=data["state"])
    if data["month"]:
        year, month = (int(part) for part in data["month"].split("-"))
        zone = timezone.get_current_timezone()
        first = datetime(year, month, 1, tzinfo=zone)
        after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        rows = rows.filter(starts_at__gte=first, starts_at__lt=after)
    return rows


def _mine(user: User) -> list[dict]:
    person = person_of(user)
    rows = []
    for meeting in selectors.my_meetings(user=user).prefetch_related("attendees")[:20]:
        mine = next((a for a in meeting.attendees.all() if a.person_id == person.pk), None)
        rows.append({"meeting": meeting, "attendee": mine, "runs": rules.runs(user, meeting)})
    return rows


@login_required
@require_GET
def meetings(request):
    """我的会议 (upcoming first, with my 回执) and every meeting the person may see, filtered."""
    form = forms.MeetingFilterForm(request.GET or None, types=_types())
    page = page_of(request, _filtered(selectors.meeting_list_visible(user=request.user), form), PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "mine": _mine(request.user),
        **_nav(request, "meetings"),
    }
    return _private(render(request, "meetings/list.html", context))


def _meeting_form(data, user, *, edit: bool = False, **kwargs):
    form_class = forms.EditForm if edit else forms.MeetingForm
    return form_class(data, types=_types(), people=_people(user), units=_units(user), rooms=_rooms(user), **kwargs)


@login_required
def meeting_new(request):
    """登记会议 (a 会务员 of the organ): the form, then ``meeting_create``; the new meeting's page."""
    if not _may_create(request.user):
        raise PermissionDenied(str(NOT_OFFICER))
    form = _meeting_form(
        request.POST if request.method == "POST" else None, request.user, plans=approved_plans(request.user)
    )
    status = 200
    if request.method == "POST":
        created = {}

        def perform():
            data = form.cleaned_data
            created["meeting"] = services.meeting_create(
                actor=request.user,
                type=data["type"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                chair=data["chair"],
                organizing_unit=data["organizing_unit"],
                room=data["room"],
                platform=data["platform"],
                branch_venues=data["branch_venues"],
                level=data["level"],
                basis=data["basis"],
                notice=data["notice"],
                plan=data["plan"],
            )
            return _("会议已登记。")

        status = take_step(request, form, perform)
        if status is None:
            return redirect(created["meeting"].get_absolute_url())
    context = {"form": form, **_nav(request, "new")}
    return _private(render(request, "meetings/meeting_form.html", context, status=status))


# --- A meeting's page ------------------------------------------------------------------------------------


def _visible(request, pk) -> Meeting:
    queryset = Meeting.objects.select_related(
        "organ", "type", "room", "chair", "organizer", "organizing_unit", "minutes_document"
    )
    return get_visible_or_404(queryset, request.user, pk)


def _placeable(user: User, meeting: Meeting) -> QuerySet[Topic]:
    return (
        Topic.objects.visible_to(user)
        .filter(organ=meeting.organ_id, meeting_type=meeting.type_id, state=TopicState.APPROVED)
        .select_related("unit")
    )


def _meeting_topics(user, meeting: Meeting) -> QuerySet[Topic]:
    """The agenda's 议题 the person may see (what a material or a 议定事项 may name)."""
    return selectors.agenda(meeting).visible_to(user)


def _edit_form(data, files, user, meeting, **kwargs):
    if data is None:
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        kwargs["initial"] = {
            "title": meeting.title,
            "day": start.date(),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "chair": meeting.chair_id,
            "platform": meeting.platform,
            "branch_venues": meeting.branch_venues,
            "notice": meeting.notice,
        }
    return _meeting_form(data, user, edit=True, **kwargs)


def _unsigned(user, meeting):
    return meeting.attendees.filter(checked_in_at__isnull=True).select_related("person")


MEETING_ACTIONS: dict[str, Action] = {
    "edit": Action("meeting_edit", _edit_form, _step("meeting_edit", gettext_lazy("会议安排已修改。"))),
    "book": Action(
        "room_book",
        _form(forms.BookForm, rooms=lambda user, meeting: _rooms(user)),
        _step("room_book", gettext_lazy("会场已预订。")),
    ),
    "invite": Action(
        "attendee_invite",
        _form(forms.InviteForm, people=lambda user, meeting: _people(user)),
        _step("attendee_invite", lambda rows: _("已邀请%(count)d人参会。") % {"count": len(rows)}),
    ),
    "place_topic": Action(
        "topic_place",
        _form(forms.PlaceTopicForm, topics=_placeable),
        _step("topic_place", gettext_lazy("议题已列入议程。")),
    ),
    "add_material": Action(
        "material_add",
        _form(forms.MaterialForm, topics=lambda user, meeting: _meeting_topics(user, meeting)),
        _step("material_add", gettext_lazy("会议材料已报送。")),
    ),
    "notify": Action(
        "meeting_notify", _plain(forms.EmptyForm), _step("meeting_notify", gettext_lazy("会议通知已发出。"))
    ),
    "reply": Action(
        "attendee_reply",
        _form(forms.ReplyForm, people=lambda user, meeting: _people(user)),
        _step("attendee_reply", gettext_lazy("回执已提交。")),
    ),
    "hold": Action("meeting_hold", _plain(forms.EmptyForm), _step("meeting_hold", gettext_lazy("已登记会议召开。"))),
    "sign_in": Action(
        "sign_in",
        _form(forms.SignInForm, attendees=_unsigned),
        _step("sign_in", lambda row: _("%(name)s已签到。") % {"name": row.person.name}),
    ),
    "recall": Action(
        "material_recall",
        _form(forms.RecallForm, copies=lambda user, meeting: selectors.copies_out(meeting)),
        _step("material_recall", lambda copy: _("份号%(n)s已清退。") % {"n": copy.number_display}, record=None),
    ),
    "decide": Action(
        "decision_add",
        _form(
            forms.DecideForm, units=lambda user, meeting: _units(user), topics=lambda user, m: _meeting_topics(user, m)
        ),
        _step("decision_add", gettext_lazy("议定事项已记录。")),
    ),
    "draft_minutes": Action(
        "minutes_draft",
        _plain(forms.EmptyForm),
        _step("minutes_draft", lambda document: _("会议纪要已起草：%(title)s") % {"title": document.title}),
    ),
    "close": Action("meeting_close", _plain(forms.EmptyForm), _step("meeting_close", gettext_lazy("会议已归档。"))),
    "cancel": Action("meeting_cancel", _plain(forms.CancelForm), _step("meeting_cancel", gettext_lazy("会议已取消。"))),
}

MEETING_ACTIONS.update(preparation.ACTIONS)
MEETING_ACTIONS.update(logistics.ACTIONS)

MEETING_HINTS = {
    "notify": gettext_lazy(
        "发通知前须确定会场（或视频会议平台）和参会人员；"
        "以政府名义召开的会议须列入经批准的会议计划（计划外会议在“会议计划”页报批）。"
    ),
    "reply": gettext_lazy("请假的写明事由；委托他人代会的选择代会人。"),
    "sign_in": gettext_lazy("参会人员未能扫码时由会务员代为签到。"),
    "decide": gettext_lazy("议定事项随纪要印发后自动立项督办。"),
    "draft_minutes": gettext_lazy("以纪要格式起草发文，正文载明出席、请假、列席人员和议定事项。"),
}
MEETING_HINTS.update(preparation.HINTS)
MEETING_HINTS.update(logistics.HINTS)


def _decision_rows(user: User, meeting: Meeting) -> list[dict]:
    """议定事项, each with its 督办 item's link and light (绿/黄/红灯, 已结束: as the 督办台账 shows it,
    ``supervision.selectors.with_item_light``) — only for an item the reader may see; another shows
    just "已立项督办"."""
    from supervision.models import SupervisionItem
    from supervision.selectors import with_item_light

    decisions = list(meeting.decisions.select_related("lead_unit").prefetch_related("assist_units"))
    opened = [d.item_id for d in decisions if d.item_id]
    items = SupervisionItem.objects.visible_to(user).filter(pk__in=opened)
    lights = dict(with_item_light(items).values_list("pk", "light")) if opened else {}
    return [
        {
            "decision": d,
            "item_link": reverse("supervision:item_detail", args=[d.item_id]) if d.item_id in lights else None,
            "light": lights.get(d.item_id),
        }
        for d in decisions
    ]


def _minutes_link(user: User, meeting: Meeting) -> str | None:
    from documents.models import OutgoingDocument

    document = meeting.minutes_document
    if document is None or not OutgoingDocument.objects.visible_to(user).filter(pk=document.pk).exists():
        return None
    return reverse("documents:outgoing_detail", args=[document.pk])


def _meeting_context(request, meeting: Meeting, bound: dict | None = None) -> dict:
    user = request.user
    runs = rules.runs(user, meeting)
    return {
        **_nav(request, "meetings"),
        "record": meeting,
        "object": meeting,
        "watermark": watermark(user, meeting),
        "runs": runs,
        "agenda": list(selectors.agenda(meeting).visible_to(user)),
        "attendees": list(meeting.attendees.select_related("person__unit", "substitute", "checked_in_by")),
        "attendance": services.attendance(meeting),
        "materials": list(Material.objects.visible_to(user).filter(meeting=meeting).select_related("topic")),
        "decision_rows": _decision_rows(user, meeting),
        "conflicts": selectors.conflicts(meeting, user) if runs else [],
        "minutes_link": _minutes_link(user, meeting),
        "events": list(meeting.events.all()),
        "panel": _panel(rules.MEETING, MEETING_ACTIONS, user, meeting, bound or {}, MEETING_HINTS),
        "bound_action": (bound or {}).get("action"),
        "may_qr": runs,
        "materials_due": rules.materials_due(meeting),
        **preparation.context(user, meeting),
        **logistics.context(user, meeting),
    }


def _meeting_page(request, meeting: Meeting, bound: dict | None = None, status: int = 200) -> HttpResponse:
    audit.record(request.user, AuditAction.VIEW, obj=meeting, request=request)
    context = _meeting_context(request, meeting, bound)
    return _private(render(request, "meetings/meeting.html", context, status=status))


@login_required
@require_GET
def meeting(request, pk):
    return _meeting_page(request, _visible(request, pk))


@login_required
@require_POST
def meeting_action(request, pk, action):
    record = _visible(request, pk)
    return _act(
        request,
        rules.MEETING,
        MEETING_ACTIONS,
        record,
        action,
        reverse("meetings:meeting", args=[record.pk]),
        lambda bound, status: _meeting_page(request, _visible(request, record.pk), bound, status),
    )


# --- 签到 ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_qr(request, pk):
    """The room's 签到码 (the 会务员 only), the page reloading itself as the code turns."""
    record = _visible(request, pk)
    if not rules.runs(request.user, record):
        raise PermissionDenied(str(NOT_RUNNER))
    from meetings import qr

    def url_for_token(token: str) -> str:
        return request.build_absolute_uri(reverse("meetings:meeting_checkin", args=[record.pk, token]))

    context = {
        **_nav(request, "meetings"),
        "record": record,
        "svg": qr.checkin_svg(record, url_for_token),
        "refresh": qr.refresh_in(),
        "window": qr.window_seconds(),
        "attendance": services.attendance(record),
    }
    return _private(render(request, "meetings/qr.html", context))


@login_required
def meeting_checkin(request, pk, token):
    """扫码签到: a confirm button (GET), then ``check_in`` (POST)."""
    record = _visible(request, pk)
    form = forms.CheckInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        person_or_403(request.user, NO_PERSON)

        def perform():
            services.check_in(actor=request.user, meeting=record, token=token)
            return _("签到成功。")

        status = take_step(request, form, perform)
        if status is None:
            return redirect(reverse("meetings:meeting", args=[record.pk]))
    context = {**_nav(request, "meetings"), "record": record, "form": form, "token": token}
    return _private(render(request, "meetings/checkin.html", context, status=status))


@login_required
@require_GET
def meeting_ics(request, pk):
    from meetings import ical

    record = _visible(request, pk)
    if not rules.exportable(record):
        raise PermissionDenied(str(ical.NOT_EXPORTABLE))
    audit.record_read(request.user, record, request=request)
    response = HttpResponse(ical.meeting_ics(record), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"会议-{record.pk}.ics")
    return _private(response)


# --- 会议室 ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def rooms(request):
    """The rooms' calendar: the week (rooms as rows, days as columns; ``?week=`` any day of it), a
    day of every room (``?day=``), or one room's month (``?room=``, ``?month=YYYY-MM``) or week
    (``?room=`` with ``?week=``): ``views.calendar``."""
    from meetings.views import calendar

    context = {**_nav(request, "rooms"), **calendar.context(request)}
    return _private(render(request, "meetings/rooms.html", context))


# --- 议题 -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def topics(request):
    form = forms.TopicFilterForm(request.GET or None, types=_types())
    rows = selectors.topic_list_visible(user=request.user)
    if form.is_valid():
        if form.cleaned_data["meeting_type"]:
            rows = rows.filter(meeting_type=form.cleaned_data["meeting_type"])
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
    context = {
        "form": form,
        "page": page_of(request, rows, PAGE_SIZE),
        "query": query_without_page(request),
        "can_propose": person_of(request.user) is not None,
        **_nav(request, "topics"),
    }
    return _private(render(request, "meetings/topics.html", context))


def _topic_form(data, user, *, edit: bool = False, **kwargs):
    form_class = forms.TopicEditForm if edit else forms.TopicForm
    choices = {"organs": _organs(user), "units": _units(user), "people": _people(user), "leaders": _leaders(user)}
    return form_class(data, types=_types(), **choices, **kwargs)


TOPIC_FIELDS = (
    "title",
    "summary",
    "presenter",
    "reviewing_leader",
    "consultation",
    "agreed",
    "normative",
    "legality_reviewed",
    "minutes",
    "wished_on",
)


@login_required
def topic_new(request):
    """议题申报: the form, then ``topic_create``; the new 议题's page (拟报, to be 报送 from there)."""
    person_or_403(request.user, NO_PERSON)
    form = _topic_form(request.POST if request.method == "POST" else None, request.user)
    status = 200
    if request.method == "POST":
        created = {}

        def perform():
            data = form.cleaned_data
            created["topic"] = services.topic_create(
                actor=request.user,
                meeting_type=data["meeting_type"],
                organ=data["organ"],
                unit=data["unit"],
                attending_units=list(data["attending_units"]),
                **({"level": data["level"]} if data["level"] is not None else {}),
                **{name: data[name] for name in TOPIC_FIELDS},
            )
            return _("议题已拟报，请核对后报送。")

        status = take_step(request, form, perform)
        if status is None:
            return redirect(created["topic"].get_absolute_url())
    context = {"form": form, **_nav(request, "topic_new")}
    return _private(render(request, "meetings/topic_form.html", context, status=status))


def _topic_edit_form(data, files, user, topic, **kwargs):
    if data is None:
        kwargs["initial"] = {
            **{name: getattr(topic, name) for name in TOPIC_FIELDS if name not in ("presenter", "reviewing_leader")},
            "presenter": topic.presenter_id,
            "reviewing_leader": topic.reviewing_leader_id,
            "attending_units": list(topic.attending_units.values_list("pk", flat=True)),
        }
    return _topic_form(data, user, edit=True, **kwargs)


def _topic_meetings(user: User, topic: Topic) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .filter(organ=topic.organ_id, type=topic.meeting_type_id, state__in=rules.PREPARING)
        .order_by("starts_at")
    )


OPINION, RETURN, WITHDRAW = _plain(forms.OpinionForm), _plain(forms.ReturnForm), _plain(forms.WithdrawForm)
TOPIC_ACTIONS: dict[str, Action] = {
    "edit": Action("topic_edit", _topic_edit_form, _step("topic_edit", gettext_lazy("议题已修改。"), "topic")),
    "submit": Action(
        "topic_submit", _plain(forms.EmptyForm), _step("topic_submit", gettext_lazy("议题已报送。"), "topic")
    ),
    "review": Action("topic_review", OPINION, _step("topic_review", gettext_lazy("已审核。"), "topic")),
    "approve": Action("topic_approve", OPINION, _step("topic_approve", gettext_lazy("已定题。"), "topic")),
    "return": Action("topic_return", RETURN, _step("topic_return", gettext_lazy("议题已退回。"), "topic")),
    "withdraw": Action("topic_withdraw", WITHDRAW, _step("topic_withdraw", gettext_lazy("议题已撤回。"), "topic")),
    "place": Action(
        "topic_place",
        _form(forms.PlaceForm, meetings=_topic_meetings),
        _step("topic_place", gettext_lazy("议题已列入议程。"), "topic"),
    ),
    "unplace": Action(
        "topic_unplace", _plain(forms.UnplaceForm), _step("topic_unplace", gettext_lazy("议题已退出议程。"), "topic")
    ),
}

TOPIC_HINTS = {
    "submit": gettext_lazy("不协调一致不上会：须写明征求意见和会签情况；涉及规范性文件的须经合法性审查。"),
}


def _visible_topic(request, pk) -> Topic:
    queryset = Topic.objects.select_related("organ", "meeting_type", "meeting", "unit", "presenter", "reviewing_leader")
    return get_visible_or_404(queryset, request.user, pk)


def _topic_page(request, topic: Topic, bound: dict | None = None, status: int = 200) -> HttpResponse:
    audit.record(request.user, AuditAction.VIEW, obj=topic, request=request)
    context = {
        **_nav(request, "topics"),
        "record": topic,
        "object": topic,
        "watermark": watermark(request.user, topic),
        "deadline": rules.topic_deadline(topic),
        "attending_units": list(topic.attending_units.all()),
        "events": list(topic.events.all()),
        "panel": _panel(rules.TOPIC, TOPIC_ACTIONS, request.user, topic, bound or {}, TOPIC_HINTS),
        "bound_action": (bound or {}).get("action"),
    }
    return _private(render(request, "meetings/topic.html", context, status=status))


@login_required
@require_GET
def topic(request, pk):
    return _topic_page(request, _visible_topic(request, pk))


@login_required
@require_POST
def topic_action(request, pk, action):
    record = _visible_topic(request, pk)
    return _act(
        request,
        rules.TOPIC,
        TOPIC_ACTIONS,
        record,
        action,
        reverse("meetings:topic", args=[record.pk]),
        lambda bound, status: _topic_page(request, _visible_topic(request, record.pk), bound, status),
    )


# --- 一周安排 --------------------------------------------------------------------------------------------


def _week_context(request, section: str, rows: list, monday: date) -> dict:
    return {
        **_nav(request, section),
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": [monday + timedelta(days=n) for n in range(7)],
        "rows": rows,
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
    }


@login_required
@require_GET
def schedule(request):
    """领导一周活动安排 (what the reader may see), print-friendly; ``?monday=`` any day of the week."""
    monday = _week_start(request.GET.get("monday"))
    organ = _organ_of(request.user)
    rows = services.week(user=request.user, organ=organ, monday=monday) if organ is not None else []
    context = _week_context(request, "schedule", rows, monday)
    return _private(render(request, "meetings/schedule.html", context))


@login_required
@require_GET
def schedule_public(request):
    """The 一周安排 for publishing: only the entries marked 可对外公布."""
    monday = _week_start(request.GET.get("monday"))
    organ = _organ_of(request.user)
    rows = services.public_week(organ=organ, monday=monday) if organ is not None else []
    context = {**_week_context(request, "schedule", rows, monday), "public": True}
    return _private(render(request, "meetings/schedule.html", context))


@login_required
def schedule_new(request):
    """录入领导活动 (会务员 or 文秘): the form, then ``schedule_add``; back to the week."""
    if not _office(request.user) or _service("schedule_add") is None:
        raise PermissionDenied(str(NOT_OFFICE))
    form = forms.ScheduleForm(request.POST if request.method == "POST" else None, leaders=_leaders(request.user))
    status = 200
    if request.method == "POST":

        def perform():
            data = form.cleaned_data
            services.schedule_add(
                actor=request.user,
                leader=data["leader"],
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                public=data["public"],
                note=data["note"],
                allow_overlap=data["allow_overlap"],
            )
            return _("领导活动已录入。")

        status = take_step(request, form, perform)
        if status is None:
            day = form.cleaned_data["day"]
            return redirect(reverse("meetings:schedule") + f"?monday={day.isoformat()}")
    context = {"form": form, **_nav(request, "schedule_new")}
    return _private(render(request, "meetings/schedule_form.html", context, status=status))

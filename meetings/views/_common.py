"""What the 会议 pages share: the reader's organ, units, people and rooms, the forms of the steps
(``Action``: the service, its form, its message), the panel of what ``rules`` offers and the POST of
one step. Private to ``meetings.views``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import rules, services
from meetings.models import MeetingType, Room
from office.confidentiality.visibility import person_of
from office.org.models import Person, Role, Unit, User
from office.pages import person_or_403, take_step
from office.workflow.confirm import confirmation_page

PAGE_SIZE = 50
NO_PERSON = gettext_lazy("该账号没有对应的人员信息，不能办理会议事项。")
NOT_OFFICER = gettext_lazy("会议由会务员登记。")
NOT_RUNNER = gettext_lazy("签到码只向本次会议的会务员显示。")
NOT_OFFICE = gettext_lazy("领导活动安排由会务员或文秘录入。")


# --- Shared --------------------------------------------------------------------------------------------


def _service(name: str) -> Callable | None:
    return getattr(services, name, None)


def _organ_of(user: User) -> Unit | None:
    person = person_of(user)
    if person is None:
        return None
    return person.unit.organ or person.unit


def _may_create(user: User) -> bool:
    organ = _organ_of(user)
    return organ is not None and _service("meeting_create") is not None and rules.is_meeting_officer(user, organ.pk)


def _office(user: User) -> bool:
    """会务员 or 文秘 of an organ: enters the leaders' activities."""
    return person_of(user) is not None and (user.has_role(Role.MEETING_OFFICER) or user.has_role(Role.SECRETARY))


def _nav(request, section: str) -> dict:
    user = request.user
    return {
        "section": section,
        "can_create": _may_create(user),
        "can_schedule": _office(user) and _service("schedule_add") is not None,
    }


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def _organs(user: User) -> QuerySet[Unit]:
    """The reader's organ and the organs above it (a bureau's 议题 go to the government's meetings)."""
    organ = _organ_of(user)
    if organ is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=organ.lineage_ids(), kind="organ").order_by("-pk")


def _units(user: User) -> QuerySet[Unit]:
    """The active units under the top of the reader's organs (牵头单位, the people to invite)."""
    top = _organs(user).filter(parent__isnull=True).first() or _organ_of(user)
    if top is None:
        return Unit.objects.none()
    return Unit.objects.active().filter(pk__in=top.subtree_ids()).order_by("sort_order", "pk")


def _people(user: User) -> QuerySet[Person]:
    return Person.objects.active().filter(unit__in=_units(user)).select_related("unit").order_by("unit_id", "name")


def _leaders(user: User) -> QuerySet[Person]:
    return _people(user).filter(user__groups__name=Role.LEADER).distinct()


def _rooms(user: User) -> QuerySet[Room]:
    organ = _organ_of(user)
    return Room.objects.filter(organ=organ, active=True) if organ is not None else Room.objects.none()


def _types() -> QuerySet[MeetingType]:
    return MeetingType.objects.all()


# The calendars turn pages within these years; a date outside them (9999-12-31) falls back to today.
CALENDAR_YEARS = range(2000, 2101)


def _in_calendar(day: date) -> date:
    return day if day.year in CALENDAR_YEARS else timezone.localdate()


def _week_start(value: str | None) -> date:
    today = timezone.localdate()
    try:
        day = _in_calendar(date.fromisoformat(value)) if value else today
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Action:
    service: str  # the name in ``meetings.services``; the step is not shown without it
    make_form: Callable[..., object]  # (data, files, user, record, **form kwargs)
    perform: Callable[[User, object, object], str]  # the message


def _panel(machine, actions: dict, user: User, record, bound: dict, hints: dict) -> list[dict]:
    panel = []
    for name in machine.offered(user, record):
        spec = actions.get(name)
        if spec is None or _service(spec.service) is None:
            continue
        form = bound["form"] if bound.get("action") == name else spec.make_form(None, None, user, record, **_ids(name))
        step = machine.step(name)
        panel.append(
            {
                "name": name,
                "label": _(step.label),
                "form": form,
                "hint": hints.get(name, ""),
                "irreversible": bool(step.confirm),
                "multipart": any(f.widget.needs_multipart_form for f in form.fields.values()),
            }
        )
    return panel


def _ids(name: str) -> dict:
    return {"auto_id": f"id_{name}_%s"}


def _act(request, machine, actions: dict, record, action: str, back: str, show) -> HttpResponse:
    """POST one step: its form, the confirmation of an irreversible step, the service; back to the
    page with a message, or the page again with the form's errors (400), the refusal (409 not now,
    403 not you) and nothing changed."""
    spec = actions.get(action)
    if spec is None or _service(spec.service) is None:
        raise Http404
    person_or_403(request.user, NO_PERSON)
    form = spec.make_form(request.POST, request.FILES, request.user, record, **_ids(action))
    if form.is_valid() and (asked := confirmation_page(request, machine, record, action, back=back)):
        return _private(asked)
    status = take_step(request, form, lambda: spec.perform(request.user, record, form))
    if status is None:
        return redirect(back)
    return show({"action": action, "form": form}, status)


CLOCK = ("day", "start", "end")  # typed as a day and two times; the service takes starts_at / ends_at


def _step(service: str, message, record: str | None = "meeting") -> Callable:
    """Take ``service`` with the form's fields as its keyword arguments (the forms carry the
    services' argument names) and the record as ``record``; ``message`` is the text or makes it
    from the service's answer."""

    def perform(user, obj, form):
        values = {name: value for name, value in form.cleaned_data.items() if name not in CLOCK}
        if record:
            values[record] = obj
        done = getattr(services, service)(actor=user, **values)
        return message(done) if callable(message) else str(message)

    return perform


def _form(form_class, **choices: Callable) -> Callable:
    """A step's form: ``choices`` name each field's queryset as a function of (user, record)."""

    def make(data, files, user, record, **kwargs):
        return form_class(data, files, **{name: of(user, record) for name, of in choices.items()}, **kwargs)

    return make


def _plain(form_class) -> Callable:
    return _form(form_class)

"""会议 on the desk: what the 会务员 owes on the meetings he runs (发通知, 召开, 起草纪要, 归档 once every
numbered copy is back), what an invited person owes (回执), and what a 议题 waits for (分管领导审核, 定题, the unit's
revision of a returned one, the 会务员's 列入议程).

Each section is one query over ``visible_to(user)`` whose condition is the step's rule in
``rules.MEETING`` / ``rules.TOPIC`` written as SQL (tests/meetings/test_desk_dashboard.py proves
listed ⇔ offered)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    Attendee,
    Material,
    Meeting,
    MeetingEvent,
    MeetingState,
    Reply,
    Topic,
    TopicEvent,
    TopicState,
)
from meetings.rules import PREPARING
from office.confidentiality.models import ClassifiedCopy, CopyState
from office.confidentiality.visibility import person_of
from office.desk.providers import (
    DONE,
    FOLLOWED,
    HISTORY_LIMIT,
    SECTION_LIMIT,
    STARTED,
    TODO,
    DeskItem,
    Provider,
    last_acted,
)
from office.org.models import Role, Unit

MEETING_SECTIONS = (
    ("notify", _("待发会议通知"), ("notify",)),
    ("hold", _("待登记召开"), ("hold",)),
    ("minutes", _("待起草会议纪要"), ("draft_minutes",)),
    ("close", _("待归档"), ("close",)),
    ("reply", _("待回执"), ("reply",)),
)
TOPIC_SECTIONS = (
    ("review", _("待审核议题"), ("review",)),
    ("approve", _("待定题"), ("approve",)),
    ("revise", _("退回待修改的议题"), ("edit", "submit")),
    ("place", _("待列入议程"), ("place",)),
)


def _runs_q(person) -> Q:
    """``rules.runs`` as SQL: his meetings, or a 会务员's of his unit or below it within his organ."""
    runs = Q(organizer=person)
    if person.user.has_role(Role.MEETING_OFFICER):
        below = Unit.objects.get(pk=person.unit_id).subtree_ids()
        runs |= Q(organ_id=person.unit.organ_id or person.unit_id, organizing_unit_id__in=below)
    return runs & Q(classification__lte=person.clearance)  # never one he could not read


def _copies_out() -> QuerySet[Material]:
    """``selectors.copies_out`` as SQL: a material of the meeting with a copy neither back nor destroyed."""
    held = ClassifiedCopy.objects.filter(
        content_type=ContentType.objects.get_for_model(Material),
        returned_at__isnull=True,
        destroyed_at__isnull=True,
    ).exclude(state__in=[CopyState.RETURNED, CopyState.DESTROYED])
    return Material.objects.filter(meeting=OuterRef("pk"), pk__in=held.values("object_id"))


def meeting_sections(user) -> dict[str, QuerySet[Meeting]]:
    visible = Meeting.objects.visible_to(user)
    person = person_of(user)
    if person is None:
        return {key: visible.none() for key, _label, _steps in MEETING_SECTIONS}
    now = timezone.now()
    mine = visible.filter(_runs_q(person))
    venue = Q(room__isnull=False) | ~Q(platform="")
    invited = Attendee.objects.filter(meeting=OuterRef("pk"))
    own_pending = Exists(Attendee.objects.filter(meeting=OuterRef("pk"), person=person, reply=Reply.PENDING))
    return {
        "notify": mine.filter(venue, Exists(invited), state=MeetingState.PLANNED),
        "hold": mine.filter(venue, state=MeetingState.NOTIFIED, starts_at__lte=now),
        "minutes": mine.filter(state=MeetingState.HELD, minutes_document__isnull=True),
        # rules._may_close: 纪要已印发 and no numbered copy of its materials still out (selectors.copies_out).
        "close": mine.filter(state=MeetingState.MINUTED).exclude(Exists(_copies_out())),
        "reply": visible.filter(own_pending, state__in=PREPARING, starts_at__gt=now),
    }


def topic_sections(user) -> dict[str, QuerySet[Topic]]:
    visible = Topic.objects.visible_to(user)
    person = person_of(user)
    if person is None:
        return {key: visible.none() for key, _label, _steps in TOPIC_SECTIONS}
    below = Unit.objects.get(pk=person.unit_id).subtree_ids()
    # rules.decides_topic: the organ's head, or the chair of the meeting it is placed on.
    deciding = Q(organ__head=person) | Q(meeting__chair=person)
    place = visible.none()
    if user.has_role(Role.MEETING_OFFICER):
        place = visible.filter(state=TopicState.APPROVED, organ_id=person.unit.organ_id or person.unit_id)
    return {
        "review": visible.filter(state=TopicState.SUBMITTED, reviewing_leader=person),
        "approve": visible.filter(deciding, state=TopicState.REVIEWED),
        # rules.of_topic_unit: a person of the 汇报单位 or above it within its organ — the unit is in his
        # subtree and of his organ (the city government's people are not inside a bureau's).
        "revise": visible.filter(
            state=TopicState.RETURNED,
            unit_id__in=below,
            unit__organ_id=person.unit.organ_id or person.unit_id,
            classification__lte=person.clearance,
        ),
        "place": place,
    }


class MeetingProvider(Provider):
    key = "meetings"
    models = (Meeting, Topic)
    label = _("会议")

    def meeting_item(self, meeting: Meeting, *, section: str, label, tab: str, steps=(), since=None) -> DeskItem:
        return DeskItem(
            provider=self.key,
            module=str(self.label),
            section=section,
            section_label=str(label),
            tab=tab,
            record=meeting,
            title=meeting.title,
            url=f"/meetings/{meeting.pk}/",
            reference=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
            since=since or meeting.updated_at,
            steps=steps,
        )

    def topic_item(self, topic: Topic, *, section: str, label, tab: str, steps=(), since=None) -> DeskItem:
        return DeskItem(
            provider=self.key,
            module=str(_("议题")),
            section=section,
            section_label=str(label),
            tab=tab,
            record=topic,
            title=topic.title,
            url=f"/meetings/topics/{topic.pk}/",
            since=since or topic.updated_at,
            steps=steps,
        )

    def waiting(self, user) -> list[DeskItem]:
        items = []
        meetings = meeting_sections(user)
        for section, label, steps in MEETING_SECTIONS:
            for meeting in meetings[section].order_by("starts_at", "pk")[:SECTION_LIMIT]:
                items.append(self.meeting_item(meeting, section=section, label=label, tab=TODO, steps=steps))
        topics = topic_sections(user)
        for section, label, steps in TOPIC_SECTIONS:
            for topic in topics[section].defer("summary").order_by("updated_at", "pk")[:SECTION_LIMIT]:
                items.append(self.topic_item(topic, section=section, label=label, tab=TODO, steps=steps))
        return items

    def done(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        meetings = last_acted(MeetingEvent, user, "meeting_id", limit)
        topics = last_acted(TopicEvent, user, "topic_id", limit)
        label = _("经我办理")
        found = [
            self.meeting_item(m, section="done", label=label, tab=DONE, since=meetings[m.pk])
            for m in Meeting.objects.visible_to(user).filter(pk__in=list(meetings))
        ]
        found += [
            self.topic_item(t, section="done", label=label, tab=DONE, since=topics[t.pk])
            for t in Topic.objects.visible_to(user).filter(pk__in=list(topics)).defer("summary")
        ]
        return found

    def started(self, user, limit: int = HISTORY_LIMIT) -> list[DeskItem]:
        person = person_of(user)
        if person is None:
            return []
        meetings = Meeting.objects.visible_to(user).filter(created_by=person).order_by("-created_at", "-pk")[:limit]
        topics = Topic.objects.visible_to(user).filter(submitted_by=person).defer("summary").order_by("-pk")[:limit]
        return [
            *(self.meeting_item(m, section="created", label=_("我登记"), tab=STARTED) for m in meetings),
            *(self.topic_item(t, section="submitted", label=_("我申报"), tab=STARTED) for t in topics),
        ]

    def describe(self, records) -> list[DeskItem]:
        return [
            self.meeting_item(r, section="followed", label=_("跟踪"), tab=FOLLOWED)
            if isinstance(r, Meeting)
            else self.topic_item(r, section="followed", label=_("跟踪"), tab=FOLLOWED)
            for r in records
        ]

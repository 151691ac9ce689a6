"""``manage.py seed_demo`` loads 政府信息公开申请 in every state and answer type, walked there through
the services on days relative to today — a 补正 restarting the clock, a third party's opinion
pausing it, an extension by the 公开工作机构负责人 — and the 主动公开 of the demo 发文, once however
often it runs; the 商务局's staff see none of the requests."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from office.confidentiality.levels import Level
from office.org.models import Person, Role
from office.reminders.models import Deadline, DeadlineState
from office.workdays.services import due_date
from petitions.disclosure.models import (
    AnswerType,
    Consultation,
    DisclosureRequest,
    Outcome,
    Publication,
    PublicationState,
    RequestChannel,
    RequestState,
    SecrecyReview,
)
from petitions.disclosure.selectors import publications_visible, requests_visible

pytestmark = pytest.mark.django_db

DEMO = override_settings(SHUNIU_DEMO=True, SHUNIU_CLASSIFICATION_CEILING=Level.TOP_SECRET)


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _answer_clock(request: DisclosureRequest) -> Deadline:
    return Deadline.objects.get(
        content_type=ContentType.objects.get_for_model(DisclosureRequest), object_id=request.pk, kind_id="disclosure"
    )


def _counts() -> dict[str, int]:
    return {
        "requests": DisclosureRequest.objects.count(),
        "consultations": Consultation.objects.count(),
        "publications": Publication.objects.count(),
        "reviews": SecrecyReview.objects.count(),
        "deadlines": Deadline.objects.count(),
    }


@DEMO
def test_demo_has_every_state_and_answer_type_and_a_second_run_adds_nothing():
    _seed()
    first = _counts()
    _seed()

    assert _counts() == first
    requests = DisclosureRequest.objects.all()
    assert set(requests.values_list("state", flat=True)) == set(RequestState.values)
    assert requests.filter(state=RequestState.HANDLING, channel=RequestChannel.IN_PERSON).exists()
    waiting = requests.get(state=RequestState.RECEIVED)
    assert waiting.channel == RequestChannel.ONLINE and waiting.received_on is None
    assert {
        AnswerType.GRANTED,
        AnswerType.PARTIAL,
        AnswerType.REFUSED,
        AnswerType.ALREADY_PUBLIC,
        AnswerType.NOT_OURS,
    } <= set(requests.values_list("answer_type", flat=True))
    assert not requests.filter(answer_type=AnswerType.REFUSED, answer_reason="").exists()
    assert requests.get(state=RequestState.ABANDONED).closed_reason == "abandoned"
    corrected = requests.get(state=RequestState.CLOSED)
    assert corrected.review_outcome == Outcome.CORRECTED and corrected.answer_type == AnswerType.REFUSED


@DEMO
def test_demo_clocks_restart_pause_and_extend():
    _seed()
    requests = DisclosureRequest.objects.all()

    # The 补正 came in: 20 working days counted afresh from that day.
    restarted = [
        r
        for r in requests
        if _has_clock(r) and _answer_clock(r).suspensions.filter(restarts_clock=True, end__isnull=False).exists()
    ]
    assert restarted
    clock = _answer_clock(restarted[0])
    back = clock.suspensions.get(restarts_clock=True).end
    assert clock.state == DeadlineState.OPEN and not clock.suspended
    assert clock.due_date > due_date(restarted[0].received_on, 20, "working_days").due_date
    assert clock.due_date >= due_date(back, 20, "working_days").due_date

    # A third party's opinion pending: the clock stands still.
    paused = Consultation.objects.get(answered_on__isnull=True).request
    assert paused.state == RequestState.HANDLING and _answer_clock(paused).suspended

    # Extended once by 许文, the head of the 综合科.
    extended = [r for r in requests if _has_clock(r) and _answer_clock(r).extensions.exists()]
    assert len(extended) == 1
    assert _answer_clock(extended[0]).extensions.get().approved_by.user.username == "zh_chief"


def _has_clock(request):
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(DisclosureRequest), object_id=request.pk, kind_id="disclosure"
    ).exists()


@DEMO
def test_demo_publications_and_who_sees_the_requests():
    _seed()
    today = timezone.localdate()
    people = {p.user.username: p for p in Person.objects.select_related("user")}

    officer = people["disclosure_officer"]
    assert officer.user.has_role(Role.DISCLOSURE_OFFICER) and officer.unit.code == "LJ-BGS-ZH"
    assert requests_visible(user=officer.user).count() == DisclosureRequest.objects.count()
    staff = people["staff"]  # 商务局's 科员: no request was shared with him
    assert staff.unit.code.startswith("LJ-SWJ")
    assert not requests_visible(user=staff.user).exists()

    published = Publication.objects.get(state=PublicationState.PUBLISHED)
    assert published.published_on == today
    assert published.secrecy_reviews.get().reviewer.user.username == "security_officer"
    assert Publication.objects.filter(state=PublicationState.PENDING).exists()
    assert published in publications_visible(user=staff.user)

"""政府信息公开 on the desk and the dashboard (the clock frozen on Monday 9 March 2026): over requests
and 主动公开 in every state, each one on a person's desk offers its section's step and the service
takes exactly the offered ones; every one offering a desk step is on the desk; the desk's query
count does not grow; someone outside sees nothing; the tiles are the hand counts of what one sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from office.dashboard import registry
from office.dashboard.registry import Scope
from office.desk import providers
from petitions.disclosure import publication as publishing
from petitions.disclosure import services
from petitions.disclosure.dashboard import DisclosureFigures, soon_after, totals
from petitions.disclosure.desk import PUBLICATION_SECTIONS, SECTIONS, DisclosureProvider, sections
from petitions.disclosure.models import DisclosureRequest, Publication, RequestChannel, SecrecyReview
from petitions.disclosure.rules import OPEN, PUBLICATION, REQUEST
from petitions.disclosure.selectors import publications_visible
from tests.reminders.conftest import at
from tests.workflow.harness import accepted

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 9)  # a Monday
ALL_SECTIONS = SECTIONS + PUBLICATION_SECTIONS
DESK_STEPS = {step for _key, _label, steps in SECTIONS for step in steps}
PUBLICATION_STEPS = {step for _key, _label, steps in PUBLICATION_SECTIONS for step in steps}
SECTION_OF = {step: key for key, _label, steps in ALL_SECTIONS for step in steps}


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def records(disclosure_city, disclosure_flow, issue_document) -> dict:
    """A request or a 主动公开 in each state a desk section waits on (and a few that owe nothing)."""
    city, flow = disclosure_city, disclosure_flow
    officer = city.officer.user
    found = {
        "received": flow.register(channel=RequestChannel.ONLINE, description="网络申请：项目批复"),
        "handling": flow.register(description="办理中：补偿方案"),
        "correcting": flow.to(None, "correcting", description="待补正：未写明名称"),
        "answered": flow.to(None, "answered", description="已答复：规划图"),
        "closed": flow.to(None, "closed", description="已办结：会议纪要"),
    }
    lapsed = flow.to(None, "correcting", description="逾期未补正：某文件")
    DisclosureRequest.objects.filter(pk=lapsed.pk).update(correction_until=TODAY - timedelta(days=1))
    found["lapsed"] = lapsed
    consulting = flow.register(description="征求意见：企业信息")
    services.request_consult(actor=officer, request=consulting, party="third_party", name="某公司", sent_on=TODAY)
    found["consulting"] = consulting
    drafted = flow.register(description="告知书拟稿：年度预算")
    found["drafted"] = flow.answer(drafted)
    signed = flow.register(description="告知书已登记：年度决算")
    flow.answer(signed)
    found["signed"] = flow.sign(signed) and signed
    unpaid = flow.register(description="逾期未缴费：大量复制")
    services.request_fee(actor=officer, request=unpaid, mode="per_item", amount=100, notice_on=TODAY)
    DisclosureRequest.objects.filter(pk=unpaid.pk).update(fee_until=TODAY - timedelta(days=1))
    found["unpaid"] = unpaid
    reviewing = flow.register(description="送保密审查：内部文件")
    found["reviewing"] = services.request_ask_review(actor=officer, request=reviewing, reviewer=city.security)
    reviewed = flow.register(description="已保密审查：内部文件")
    services.request_ask_review(actor=officer, request=reviewed, reviewer=city.security)
    services.request_secrecy_review(
        actor=city.security.user, request=reviewed, conclusion=SecrecyReview.Conclusion.PUBLIC, note="可以公开"
    )
    found["reviewed"] = reviewed
    issue_document(title="关于公布第一批政务服务事项的通知")
    issue_document(title="关于公布第二批政务服务事项的通知")
    pending, cleared = Publication.objects.order_by("pk")
    publishing.publication_review(
        actor=city.security.user, publication=cleared, conclusion=SecrecyReview.Conclusion.PUBLIC, note="可以公开"
    )
    found["pending"], found["cleared"] = pending, cleared
    return found


def _people(city):
    return [city.officer, city.head, city.security, city.bystander, city.bureau_clerk, city.outsider]


def _attempt_for(city):
    def attempt(step: str, user, record) -> None:
        if step == "confirm":
            services.request_confirm(actor=user, request=record, on=TODAY)
        elif step == "consult":
            services.request_consult(actor=user, request=record, party="organ", name="市财政局", sent_on=TODAY)
        elif step == "opinion":
            consultation = record.consultations.filter(answered_on__isnull=True).first() or record.consultations.first()
            services.request_opinion(
                actor=user, request=record, consultation=consultation, on=TODAY, opinion="同意公开", agrees=True
            )
        elif step == "answer":
            services.request_answer(
                actor=user, request=record, answer_type="granted", text="予以公开。", series=city.letter_series
            )
        elif step == "abandon":
            services.request_abandon(actor=user, request=record)
        elif step == "deliver":
            services.request_deliver(actor=user, request=record, on=TODAY, method="email")
        elif step == "close":
            services.request_close(actor=user, request=record)
        elif step == "secrecy_review":
            services.request_secrecy_review(
                actor=user, request=record, conclusion=SecrecyReview.Conclusion.PUBLIC, note="可以公开"
            )
        elif step == "review":
            publishing.publication_review(
                actor=user, publication=record, conclusion=SecrecyReview.Conclusion.PUBLIC, note="可以公开"
            )
        elif step == "publish":
            publishing.publication_publish(actor=user, publication=record, on=TODAY)
        else:
            raise AssertionError(step)

    return attempt


def _fresh(record):
    return type(record).objects.get(pk=record.pk)


def _machine(record):
    return PUBLICATION if isinstance(record, Publication) else REQUEST


def _desk(user) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for item in DisclosureProvider().waiting(user):
        found.setdefault(item.section, set()).add(item.record.pk)
    return found


def test_every_record_on_the_desk_offers_its_steps_and_the_service_takes_them(disclosure_city, records):
    """GIVEN requests and 主动公开 in every state WHEN each person's desk lists his 政务公开 work THEN
    each offers one of its section's steps, of those the service takes exactly the offered ones, and
    it is one he may see; every section has work."""
    attempt = _attempt_for(disclosure_city)
    seen = set()
    for person in _people(disclosure_city):
        user = person.user
        for item in providers.provider("disclosure").waiting(user):
            record = _fresh(item.record)
            offered = _machine(record).offered(user, record)
            assert set(item.steps) & set(offered), f"{person.name}: {item.section} {item.title} ({offered})"
            for step in item.steps:
                took = accepted(attempt, step, user, _fresh(record))
                assert took == (step in offered), f"{person.name}: {item.section} {item.title} {step}"
            readable = type(item.level_record).objects.visible_to(user).filter(pk=item.level_record.pk)
            assert readable.exists(), f"{person.name} is shown {item.title}"
            seen.add(item.section)
    assert seen == {key for key, _label, _steps in ALL_SECTIONS}


def test_every_record_offering_a_desk_step_is_on_the_desk(disclosure_city, records):
    """GIVEN the records WHEN anyone is offered a desk step on one he sees THEN it is in that step's
    section of his desk (a second 保密审查 by the same 保密员 is possible, not owed)."""
    for person in _people(disclosure_city):
        user = person.user
        desk = _desk(user)
        for request in DisclosureRequest.objects.visible_to(user):
            offered = set(REQUEST.offered(user, _fresh(request))) & DESK_STEPS
            if request.secrecy_reviews.filter(reviewer=person).exists():
                offered.discard("secrecy_review")
            for step in offered:
                assert request.pk in desk.get(SECTION_OF[step], set()), f"{person.name}: {request} {step}"
        for publication in publications_visible(user=user):
            for step in set(PUBLICATION.offered(user, _fresh(publication))) & PUBLICATION_STEPS:
                assert publication.pk in desk.get(SECTION_OF[step], set()), f"{person.name}: {publication} {step}"


def test_each_person_finds_the_work_that_is_his(disclosure_city, records):
    """GIVEN the records WHEN the 政务公开员 and the 保密员 open the desk THEN the 政务公开员 finds the
    requests to confirm, to answer, to take as given up, to deliver and to close, and the one to
    publish; the 保密员 the request he was named for (not the one he reviewed) and the one to review;
    the head finds nothing (the one extension is asked outside the system)."""
    city, r = disclosure_city, records
    officer = _desk(city.officer.user)
    assert officer["confirm"] == {r["received"].pk}
    assert officer["handle"] == {r[k].pk for k in ("handling", "consulting", "unpaid", "reviewing", "reviewed")}
    assert officer["abandon"] == {r["lapsed"].pk}
    assert officer["deliver"] == {r["signed"].pk}
    assert officer["close"] == {r["answered"].pk, r["unpaid"].pk}
    assert officer["publication_publish"] == {r["cleared"].pk}
    security = _desk(city.security.user)
    assert security == {"review": {r["reviewing"].pk}, "publication_review": {r["pending"].pk}}
    assert _desk(city.head.user) == {}


def test_the_desk_is_a_fixed_number_of_queries_whatever_the_records(disclosure_flow, disclosure_city, records):
    """GIVEN the 政务公开员's desk WHEN three more requests are registered THEN three more wait and the
    desk takes the same number of queries."""
    provider = DisclosureProvider()
    user = disclosure_city.officer.user

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            provider.waiting(user)
        return len(queries)

    before_items, before = len(provider.waiting(user)), count()
    for n in range(3):
        disclosure_flow.register(description=f"新申请（{n}）")
    assert len(provider.waiting(user)) == before_items + 3
    assert count() == before


def test_an_outsider_has_nothing_on_the_desk_and_counts_nothing(disclosure_city, records):
    """GIVEN the records WHEN 住建局's clerk and the province's clerk open the desk and the dashboard
    THEN nothing waits and no request or unpublished 主动公开 is counted."""
    for person in (disclosure_city.bureau_clerk, disclosure_city.outsider):
        user = person.user
        assert all(not qs.exists() for qs in sections(user).values())
        assert DisclosureProvider().waiting(user) == []
        scope = Scope(user=user, start=TODAY - timedelta(days=30), end=TODAY)
        assert totals(scope) == {"open": 0, "soon": 0, "overdue": 0, "unpublished": 0, "late": 0}


def _hand_counts(user, scope: Scope) -> dict[str, int]:
    requests = [
        r for r in DisclosureRequest.objects.all() if DisclosureRequest.objects.visible_to(user).filter(pk=r.pk)
    ]
    seen = set(publications_visible(user=user).values_list("pk", flat=True))
    waiting = [p for p in Publication.objects.all() if p.pk in seen and p.state in ("pending", "cleared")]
    soon = soon_after(scope.today)
    open_ = [r for r in requests if r.state in OPEN]
    return {
        "open": len(open_),
        "soon": sum(r.due is not None and scope.today <= r.due <= soon for r in open_),
        "overdue": sum(r.due is not None and r.due < scope.today for r in open_),
        "unpublished": len(waiting),
        "late": sum(p.due is not None and p.due < scope.today for p in waiting),
    }


def test_the_tiles_are_the_hand_counts_of_what_the_person_sees(disclosure_city, records):
    """GIVEN the records, one request due on Wednesday, one past due and one 主动公开 past its 20
    working days WHEN the 政务公开员, the 保密员 and the bystander open the dashboard THEN each tile is
    the count one makes by hand over what each may see; the live-only read answers no panel."""
    DisclosureRequest.objects.filter(pk=records["handling"].pk).update(due=TODAY + timedelta(days=2))
    DisclosureRequest.objects.filter(pk=records["consulting"].pk).update(due=TODAY - timedelta(days=1))
    Publication.objects.filter(pk=records["pending"].pk).update(due=TODAY - timedelta(days=1))
    keys = ("disclosure-open", "disclosure-soon", "disclosure-overdue", "publications-unpublished", "publications-late")
    for person in (disclosure_city.officer, disclosure_city.security, disclosure_city.bystander):
        user = person.user
        scope = Scope(user=user, start=TODAY - timedelta(days=30), end=TODAY)
        expected = _hand_counts(user, scope)
        assert totals(scope) == expected
        tiles = {p.key: p.value for p in DisclosureFigures().panels(scope) if isinstance(p, registry.Tile)}
        assert [tiles[k] for k in keys] == list(expected.values())
        live = Scope(user=user, start=scope.start, end=scope.end, live_only=True)
        assert DisclosureFigures().panels(live) == []
    officer = totals(Scope(user=disclosure_city.officer.user, start=TODAY, end=TODAY))
    assert officer["soon"] >= 1 and officer["overdue"] == 1 and officer["unpublished"] == 2 and officer["late"] == 1

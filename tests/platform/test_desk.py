"""我的工作台: every item on a person's desk is a step the flow's machine offers him (so the
service accepts it: the machines' own offered ⇔ accepted tests prove that half), only records he
may see appear, the query count does not grow with the items, and the page and the API agree."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.incoming.rules import incoming_machine, reader_machine, subassignment_machine
from documents.models import CirculationReader, IncomingDocument, OutgoingDocument, ReaderState, UnitAssignment
from documents.outgoing.rules import OUTGOING
from meetings.models import Meeting, Topic
from meetings.rules import MEETING, TOPIC
from office.desk import providers
from office.desk.providers import DONE, READ, STARTED, TODO
from office.org.models import Person
from petitions.disclosure.models import DisclosureRequest, Publication
from petitions.disclosure.rules import PUBLICATION, REQUEST
from petitions.models import PetitionCase
from petitions.proposals.models import Proposal
from petitions.proposals.rules import PROPOSAL
from petitions.rules import CASE
from supervision.models import ExtensionRequest, SupervisionItem, SupervisionTask
from supervision.rules import EXTENSION, ITEM, TASK
from tests.workflow.harness import demo_office

pytestmark = pytest.mark.django_db

MACHINES = {
    OutgoingDocument: OUTGOING,
    IncomingDocument: incoming_machine,
    CirculationReader: reader_machine,
    UnitAssignment: subassignment_machine,
    SupervisionItem: ITEM,
    SupervisionTask: TASK,
    ExtensionRequest: EXTENSION,
    PetitionCase: CASE,
    Proposal: PROPOSAL,
    DisclosureRequest: REQUEST,
    Publication: PUBLICATION,
    Meeting: MEETING,
    Topic: TOPIC,
}


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    with demo_office(django_db_blocker):
        yield {p.user.username: p for p in Person.objects.select_related("user", "unit").filter(user__isnull=False)}


def _visible(item, user) -> bool:
    record = item.level_record
    return type(record).objects.visible_to(user).filter(pk=record.pk).exists()


def test_every_item_is_offered_and_visible_for_every_demo_person(people):
    seen = 0
    for person in people.values():
        user = person.user
        for item in providers.waiting(user):
            subject = item.subject if item.subject is not None else item.record
            fresh = type(subject).objects.get(pk=subject.pk)
            offered = MACHINES[type(subject)].offered(user, fresh)
            assert set(item.steps) & set(offered), (
                f"{person.name}: {item.module} {item.section} “{item.title}” offers none of {item.steps} ({offered})"
            )
            assert _visible(item, user), f"{person.name} is shown “{item.title}”, which he may not see"
            seen += 1
    assert seen >= 10  # the demo office has work waiting across the modules


def test_the_leaders_desk_holds_his_signing_and_instructions(people):
    mayor = people["director"].user
    sections = {(item.provider, item.section) for item in providers.waiting(mayor)}
    assert ("outgoing", "signoff") in sections
    assert ("incoming", "instruct") in sections


def test_the_bureau_handler_finds_his_subassignment_on_the_desk(people):
    staff = people["staff"].user  # 郑浩, 商务局 承办人: the demo gives him a 分办
    sections = {(item.provider, item.section) for item in providers.waiting(staff)}
    assert ("incoming", "subassigned") in sections


def test_someone_without_a_record_in_scope_has_an_empty_desk(people):
    from tests.factories import make_person

    outsider = make_person(name="局外人")
    items, counts = providers.desk(outsider.user, TODO)
    assert items == [] and counts == {TODO: 0, READ: 0}
    for tab in (DONE, STARTED):
        assert providers.desk(outsider.user, tab)[0] == []


def test_sorted_by_urgency_then_due_date(people):
    for person in people.values():
        items = providers.waiting(person.user)
        assert items == sorted(items, key=providers.sort_key)


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as context:
        providers.desk(user, TODO)
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_items(people):
    from documents.models import DocumentSeries
    from documents.outgoing import services

    clerk = people["clerk"].user
    series = DocumentSeries.objects.filter(organ=people["clerk"].unit.organ_id, active=True).first()
    before_items = len(providers.waiting(clerk))
    before = _queries(clerk)
    for n in range(3):
        services.outgoing_create(actor=clerk, series=series, title=f"关于工作台测试的通知（{n}）", kind="notice")
    assert len(providers.waiting(clerk)) == before_items + 3
    assert _queries(clerk) == before


def test_the_page_shows_the_desk_and_the_api_the_same_items(people, client, api):
    mayor = people["director"].user
    expected = [item.key for item in providers.desk(mayor, TODO)[0]]
    client.force_login(mayor)
    page = client.get("/").content.decode()
    assert 'data-testid="desk"' in page
    for item in providers.desk(mayor, TODO)[0][:5]:
        assert f'data-key="{item.key}"' in page
    api.force_authenticate(mayor)
    data = api.get("/api/v1/desk/").json()
    assert [row["key"] for row in data["results"]] == expected
    assert data["counts"]["todo"] == len(expected)
    assert api.get("/api/v1/desk/", {"tab": "nonsense"}).status_code == 400
    assert api.get("/api/v1/desk/", {"tabb": "todo"}).status_code == 400


def test_batch_read_marks_only_my_own_pending_readers(people, api):
    readers = CirculationReader.objects.filter(
        state__in=[ReaderState.SENT, ReaderState.OPENED], circulation__recalled_at__isnull=True
    ).select_related("person__user")
    reader = next((r for r in readers if r.person.user_id), None)
    assert reader is not None, "the demo office has a pending 传阅"
    owner = reader.person.user
    mine = [item.key for item in providers.desk(owner, READ)[0] if item.readable_id == reader.pk]
    assert mine
    stranger = next(p.user for p in people.values() if p.pk != reader.person_id)
    api.force_authenticate(stranger)
    assert api.post("/api/v1/desk/read/", {"keys": mine}, format="json").json() == {"read": 0, "skipped": 1}
    reader.refresh_from_db()
    assert reader.state != ReaderState.READ
    api.force_authenticate(owner)
    assert api.post("/api/v1/desk/read/", {"keys": mine}, format="json").json() == {"read": 1, "skipped": 0}
    reader.refresh_from_db()
    assert reader.state == ReaderState.READ
    assert api.post("/api/v1/desk/read/", {"keys": []}, format="json").status_code == 400


def test_the_navigation_count_is_the_desks(people, client):
    clerk = people["clerk"].user
    client.force_login(clerk)
    counts = providers.waiting_counts(clerk)
    html = client.get("/desk/count/").content.decode()
    if counts[TODO]:
        assert f'data-testid="desk-count-todo" title="待办">{counts[TODO]}<' in html


def test_follow_a_record_and_find_it_under_the_followed_tab(people, client, api):
    from django.contrib.contenttypes.models import ContentType

    from office.desk.models import Follow
    from office.desk.providers import FOLLOWED

    clerk = people["clerk"].user
    mine = OutgoingDocument.objects.visible_to(clerk).first()
    client.force_login(clerk)
    page = client.get(f"/documents/outgoing/{mine.pk}/").content.decode()
    assert 'data-testid="follow-button"' in page
    assert client.post(f"/desk/follow/outgoing/{mine.pk}/", {"next": "/"}).status_code == 302
    assert [item.record.pk for item in providers.desk(clerk, FOLLOWED)[0]] == [mine.pk]
    api.force_authenticate(clerk)
    assert [row["record_id"] for row in api.get("/api/v1/desk/", {"tab": "followed"}).json()["results"]] == [mine.pk]
    # A record he may not see: 404, nothing stored; a follow row for one is never shown.
    hidden = OutgoingDocument.objects.exclude(pk__in=OutgoingDocument.objects.visible_to(clerk).values("pk")).first()
    assert client.post(f"/desk/follow/outgoing/{hidden.pk}/").status_code == 404
    assert client.post(f"/desk/follow/nonsense/{mine.pk}/").status_code == 404
    Follow.objects.create(
        person=people["clerk"], content_type=ContentType.objects.get_for_model(OutgoingDocument), object_id=hidden.pk
    )
    assert [item.record.pk for item in providers.desk(clerk, FOLLOWED)[0]] == [mine.pk]
    assert client.post(f"/desk/follow/outgoing/{mine.pk}/", {"next": "https://evil.example/"}).url == "/"
    assert providers.desk(clerk, FOLLOWED)[0] == []


def test_odd_keys_for_batch_read_are_skipped(people, api):
    api.force_authenticate(people["staff"].user)
    answer = api.post(
        "/api/v1/desk/read/", {"keys": ["incoming:read:²", "incoming:read:99999999999999999999"]}, format="json"
    )
    assert answer.status_code == 200 and answer.json() == {"read": 0, "skipped": 2}

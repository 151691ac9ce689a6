"""The leak matrix of supervised items through the API: who sees which item in the list, the detail
(404, never 403), the full-text search, every action, the 督办台账 export, the figures, the scores,
the overdue list and 我的督办 — for someone in another organ, someone cleared below an item's
level, a unit of the same organ not involved, and the participants who must see it (督查员,
instructing leader, lead unit, assisting unit, a 绝密-cleared 督查员)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import DocumentSeries
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Person, Role
from supervision import services
from supervision.models import SupervisionItem, SupervisionTask
from tests.confidentiality.leaks import assert_api_visible, assert_visible
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/supervision/items/"
REQUIREMENT = "按期完成并报送书面材料。"


def as_(person: Person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


@dataclass
class Matrix:
    """The items (by name), each with a word of its title no other title shares, and the people."""

    items: dict[str, SupervisionItem]
    words: dict[str, str]
    people: dict[str, Person] = field(default_factory=dict)
    request_id: int = 0
    attachment_id: int = 0

    def universe(self) -> list[SupervisionItem]:
        return list(self.items.values())

    def of(self, names: str) -> list[SupervisionItem]:
        return [self.items[name] for name in names.split()]


@pytest.fixture
def matrix(city, open_item, today, settings) -> Matrix:
    """Five items (the ceiling raised to 绝密 so that each can hold content):

    - ``internal``     内部, 发改委 leads, 财政局 assists (a report with an attachment);
    - ``secret``       机密, 发改委 leads, 财政局 assists (an extension request pending);
    - ``confidential`` 秘密, 财政局 leads;
    - ``top``          绝密, opened by a 绝密-cleared 督查员 of 督查室, not yet split;
    - ``other``        内部, another city's item.

    Every task falls due on 10 March.
    """
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    people = {
        "supervisor": city.supervisor,
        "leader": city.leader,
        "ndrc_head": city.ndrc_head,
        "ndrc_staff": city.ndrc_staff,
        "finance_head": city.finance_head,
        "low": city.low,
        "neighbour": make_person(
            username="sv-neighbour", name="人事处", unit=UnitFactory(parent=city.organ, name="人事处"),
            clearance=Level.SECRET,
        ),
        "outsider": city.outsider,
        "top_supervisor": make_person(
            username="sv-top", name="绝密督查", unit=city.supervision, roles=(Role.SUPERVISOR,),
            clearance=Level.TOP_SECRET,
        ),
    }  # fmt: skip
    other_supervisor = make_person(
        username="sv-other", name="邻市督查", unit=UnitFactory(parent=city.outsider.unit, name="邻市督查室"),
        roles=(Role.SUPERVISOR,), clearance=Level.SECRET,
    )  # fmt: skip
    due = date(2026, 3, 10)

    def task(lead, assisting=()):
        return [services.TaskSpec(lead_unit=lead, assisting_units=list(assisting), due=due)]

    classified = {"basis": "保密事项范围第2项", "term_unit": "years", "term_amount": 10}
    items = {
        "internal": open_item(title="推进老旧小区改造", requirement=REQUIREMENT, tasks=task(city.ndrc, [city.finance])),
        "secret": open_item(
            title="水库调度预案", requirement=REQUIREMENT, level=Level.SECRET, tasks=task(city.ndrc, [city.finance]),
            **classified,
        ),
        "confidential": open_item(
            title="干部考察工作", requirement=REQUIREMENT, level=Level.CONFIDENTIAL, tasks=task(city.finance),
            **classified,
        ),
        "top": open_item(
            actor=people["top_supervisor"].user, supervisor=people["top_supervisor"], instructing_leader=None,
            title="战备物资储备", requirement=REQUIREMENT, level=Level.TOP_SECRET, **classified,
        ),
        "other": open_item(
            actor=other_supervisor.user, instructing_leader=None, title="春运保障措施", requirement=REQUIREMENT
        ),
    }  # fmt: skip
    internal_task = items["internal"].tasks.get()
    report = services.task_report(
        actor=city.ndrc_staff.user,
        task=internal_task,
        text="已完成方案",
        attachments=[SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan", content_type="application/pdf")],
    )
    request = services.extension_request(
        actor=city.ndrc_head.user,
        task=items["secret"].tasks.get(),
        reason="征地未完成",
        new_due=date(2026, 3, 31),
        progress="完成60%",
    )
    words = {name: item.title[:4] for name, item in items.items()}
    return Matrix(
        items=items,
        words=words,
        people=people,
        request_id=request.pk,
        attachment_id=report.attachments.get().pk,
    )


# Who must see exactly which items (everyone else's: 404).
EXPECTED = {
    # the 督查员 of the supervising unit, cleared for 机密
    "supervisor": "internal secret confidential",
    # the leader who gave the instructions
    "leader": "internal secret confidential",
    # the lead unit's head: the items his unit leads
    "ndrc_head": "internal secret",
    # the lead unit, cleared for 秘密 only: the 机密 item stays hidden
    "ndrc_staff": "internal",
    # the assisting unit (and the lead unit of the 秘密 item)
    "finance_head": "internal secret confidential",
    # the 办公室 above 督查室, cleared for 内部: the organ's 内部 items only
    "low": "internal",
    # a unit of the same organ not involved, cleared for 机密: the organ's 内部 items only
    "neighbour": "internal",
    # another organ: its own item only
    "outsider": "other",
    # a 督查员 of 督查室 cleared for 绝密
    "top_supervisor": "internal secret confidential top",
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_list_and_detail(matrix, who):
    """GIVEN the matrix WHEN ``who`` lists the items and opens each one THEN exactly the expected
    ones are listed and answer 200; every other one is a 404 (never a 403)."""
    person = matrix.people[who]
    expected = matrix.of(EXPECTED[who])

    assert_visible(
        SupervisionItem.objects.visible_to(person.user), expected=expected, universe=matrix.universe(), who=who
    )
    assert_api_visible(as_(person), BASE, expected=expected, universe=matrix.universe(), who=who)
    assert as_(person).get(BASE).json()["count"] == len(expected)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_full_text_search(matrix, who):
    """GIVEN the matrix WHEN ``who`` searches for a word of each item's title THEN a visible item is
    found and a hidden one is not; the requirement (shared by all) finds only the visible ones."""
    client = as_(matrix.people[who])
    visible = set(EXPECTED[who].split())

    for name, word in matrix.words.items():
        rows = client.get(BASE, {"q": word}).json()["results"]
        wanted = [matrix.items[name].pk] if name in visible else []
        assert [row["id"] for row in rows] == wanted, f"{who} searching {word}"
    shared = {row["id"] for row in client.get(BASE, {"q": "书面材料"}).json()["results"]}
    assert shared == {item.pk for item in matrix.of(EXPECTED[who])}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_ledger_export(matrix, who):
    """GIVEN the matrix WHEN ``who`` exports the ledger (all of it, and searched for each hidden word)
    THEN the sheet holds the visible titles only, never a 绝密 one, never a classified row's progress;
    every export is in the audit log."""
    client = as_(matrix.people[who])
    expected = {item.title for item in matrix.of(EXPECTED[who]) if item.level < Level.TOP_SECRET}

    response = client.get(f"{BASE}ledger/")
    assert response.status_code == 200, response.content
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[1:]
    assert {row[1] for row in rows} == expected
    assert all(row[9] in (None, "已完成方案") for row in rows)
    assert not any(REQUIREMENT in str(cell) for row in rows for cell in row)
    hidden_words = [word for name, word in matrix.words.items() if name not in EXPECTED[who].split()]
    for word in hidden_words:
        searched = client.get(f"{BASE}ledger/", {"q": word})
        assert len(list(load_workbook(BytesIO(searched.content)).active.iter_rows())) == 1, word
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=matrix.people[who].user)
    assert exports.count() == 1 + len(hidden_words)
    assert matrix.items["top"].pk not in exports.order_by("id").first().detail["classified"]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_figures_scores_overdue_and_mine(matrix, who, today):
    """GIVEN the matrix on 20 March (every task overdue) WHEN ``who`` asks for the figures, the
    scores, the overdue list and 我的督办 THEN each counts and lists only tasks of visible items."""
    today.move_to("2026-03-20 10:00 +0800")
    client = as_(matrix.people[who])
    visible_tasks = SupervisionTask.objects.filter(item__in=matrix.of(EXPECTED[who]))
    visible_items = {item.pk for item in matrix.of(EXPECTED[who])}

    for by in ("unit", "leader", "source"):
        rows = client.get(f"{BASE}figures/", {"by": by}).json()
        assert sum(row["tasks"] for row in rows) == visible_tasks.count(), (who, by)
        assert sum(row["overdue"] for row in rows) == visible_tasks.count(), (who, by)
    scores = client.get(f"{BASE}scores/").json()
    assert sum(row["late"] for row in scores) == visible_tasks.count()
    overdue = client.get(f"{BASE}overdue/").json()
    assert {row["item"] for row in overdue["results"]} == set(visible_tasks.values_list("item_id", flat=True))
    mine = client.get(f"{BASE}mine/").json()
    for queue in ("lead", "assist", "review", "split", "extensions"):
        rows = mine[queue]["results"]
        items = {row["id"] if queue == "split" else row["item"] for row in rows}
        assert items <= visible_items, (who, queue)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_actions_on_hidden_items_are_404(matrix, who, city):
    """GIVEN the matrix WHEN ``who`` posts every action to each item (with an empty body) and asks
    for an attachment THEN a hidden item is a 404 every time, whatever the body, and nothing changes;
    a visible one is never a 404 for the item itself."""
    client = as_(matrix.people[who])
    visible = set(EXPECTED[who].split())
    series = DocumentSeries.objects.create(organ=city.office, office=city.office, code="测督", issuer_name="测试")
    internal_task = matrix.items["internal"].tasks.get().pk

    for name, item in matrix.items.items():
        own = item.tasks.first()
        task_id = own.pk if own else internal_task
        before = (SupervisionItem.objects.get(pk=item.pk).state, item.events.count())
        routes = [
            "split",
            "cancel",
            "report-draft",
            f"tasks/{task_id}/input",
            f"tasks/{task_id}/report",
            f"tasks/{task_id}/review",
            f"tasks/{task_id}/extension",
            f"extensions/{matrix.request_id}/decide",
        ]
        answers = {route: client.post(f"{BASE}{item.pk}/{route}/", {}, format="json").status_code for route in routes}
        answers["report-draft (valid)"] = client.post(
            f"{BASE}{item.pk}/report-draft/", {"series": series.pk}, format="json"
        ).status_code
        attachment = client.get(f"{BASE}{item.pk}/attachments/{matrix.attachment_id}/").status_code
        if name in visible:
            assert 404 not in [answers[r] for r in ("split", "cancel", "report-draft")], (who, name, answers)
            if own:
                # (the extension request is the 机密 item's own: on any other item it is a 404)
                decide = f"extensions/{matrix.request_id}/decide"
                mine = {route: code for route, code in answers.items() if route != decide or name == "secret"}
                assert 404 not in mine.values(), (who, name, answers)
            if name == "internal":
                assert attachment == 200, (who, name, attachment)
        else:
            assert set(answers.values()) == {404}, (who, name, answers)
            assert attachment == 404, (who, name)
        assert (SupervisionItem.objects.get(pk=item.pk).state, item.events.count()) == before, (who, name)


def test_a_theme_report_cannot_name_a_hidden_item(matrix, city):
    """GIVEN the 督查员 WHEN they ask for a 督查专报 naming the 绝密 item they cannot see THEN 400
    under ``items`` — the same answer as for an id that does not exist."""
    series = DocumentSeries.objects.create(organ=city.office, office=city.office, code="测督", issuer_name="测试")

    response = as_(city.supervisor).post(
        f"{BASE}theme-report/",
        {"series": series.pk, "items": [matrix.items["internal"].pk, matrix.items["top"].pk], "theme": "专题"},
        format="json",
    )
    missing = as_(city.supervisor).post(
        f"{BASE}theme-report/",
        {"series": series.pk, "items": [matrix.items["internal"].pk, 999999], "theme": "专题"},
        format="json",
    )

    assert response.status_code == 400 and "items" in response.json()["errors"]
    assert response.json()["errors"]["items"] == [
        message.replace("999999", str(matrix.items["top"].pk)) for message in missing.json()["errors"]["items"]
    ]


def test_hidden_reads_are_security_events(matrix):
    """GIVEN an item outside a person's reach WHEN they ask for it THEN 404, and the attempt is a
    ``denied`` event in the audit log."""
    neighbour = matrix.people["neighbour"]
    secret = matrix.items["secret"]

    assert as_(neighbour).get(f"{BASE}{secret.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor=neighbour.user, object_id=str(secret.pk)).exists()


def test_top_secret_content_never_leaves_through_the_api(matrix):
    """GIVEN the 绝密 item WHEN its 督查员 reads it THEN the register fields come back, the
    requirement is null, and the read is in the access log."""
    person = matrix.people["top_supervisor"]
    top = matrix.items["top"]

    body = as_(person).get(f"{BASE}{top.pk}/").json()

    assert body["title"] == "战备物资储备" and body["level_mark"] == "绝密★10年"
    assert body["requirement"] is None
    assert REQUIREMENT not in str(body)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=person.user, object_id=str(top.pk)).exists()


def test_anonymous_callers_get_nothing(matrix):
    """GIVEN no login WHEN the list, a detail, the ledger or an action is asked THEN 401/403."""
    client = APIClient()
    item = matrix.items["internal"]

    for response in (
        client.get(BASE),
        client.get(f"{BASE}{item.pk}/"),
        client.get(f"{BASE}ledger/"),
        client.post(f"{BASE}{item.pk}/cancel/", {"reason": "x"}, format="json"),
    ):
        assert response.status_code in (401, 403)
    assert SupervisionItem.objects.get(pk=item.pk).state == "assigned"

"""The leak matrix of outgoing documents through the API: who sees which document in the list,
the detail (404, never 403), the full-text search, the 发文登记簿 export, the rendered download,
the counts and the actions — for an anonymous caller, too low a clearance, outside the scope, the
drafter, the drafting unit, a countersign unit, a direct grant, a unit grant, a revoked grant,
the organ's internal documents, a recipient organ after 核发, and a voided draft."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import DocumentState, OutgoingDocument
from documents.outgoing import services
from office.confidentiality import services as secrecy
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Person
from tests.confidentiality.leaks import assert_api_visible, assert_visible
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db

S = DocumentState
BASE = "/api/v1/documents/outgoing/"
BODY = "一、总体要求\n请各单位认真落实。"


def as_(person: Person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person.user)
    return client


@dataclass
class Matrix:
    """The documents (by name), each with a word of its title no other title shares, and the people."""

    documents: dict[str, OutgoingDocument]
    words: dict[str, str]
    people: dict[str, Person] = field(default_factory=dict)

    def universe(self) -> list[OutgoingDocument]:
        return list(self.documents.values())

    def of(self, names: str) -> list[OutgoingDocument]:
        return [self.documents[name] for name in names.split()]


@pytest.fixture
def fake_rendering(monkeypatch):
    """The renderer stands in: what is pinned here is who reaches it, not the layout."""
    module = types.ModuleType("documents.rendering")
    module.ExportRefused = type("ExportRefused", (ValueError,), {})
    module.render_docx = lambda document, *, reader: b"docx"
    module.render_pdf = lambda document, *, reader: b"pdf"
    monkeypatch.setitem(sys.modules, "documents.rendering", module)
    return module


@pytest.fixture
def matrix(office, make_document, walk, settings) -> Matrix:
    """Seven documents of the office's series, drafted by ``author`` (cleared for 绝密) in 综合科:

    - ``internal``  内部, in drafting;
    - ``secret``    机密, with a body, countersigned by 政策法规处;
    - ``granted``   秘密, granted to ``grantee`` (a person) and to 督查处 (a unit);
    - ``revoked``   秘密, granted to ``grantee`` and revoked again;
    - ``top``       绝密, with a body;
    - ``voided``    内部, a voided draft (still on record);
    - ``issued``    内部, issued to 测试市财政局 (another organ).
    """
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    organ = office.organ
    personnel = UnitFactory(parent=organ, name="人事处")
    audit_unit = UnitFactory(parent=organ, name="审计处")
    inspection = UnitFactory(parent=organ, name="督查处")
    people = {
        "author": make_person(
            username="m-author", name="作者", unit=office.general_section, clearance=Level.TOP_SECRET
        ),
        "colleague": make_person(
            username="m-colleague", name="同科室", unit=office.general_section, clearance=Level.SECRET
        ),
        "low": make_person(username="m-low", name="低密级", unit=office.general_section, clearance=Level.INTERNAL),
        "neighbour": make_person(username="m-neighbour", name="同机关", unit=personnel, clearance=Level.SECRET),
        "countersigner": make_person(
            username="m-countersigner", name="会签处室", unit=office.countersign_unit, clearance=Level.SECRET
        ),
        "grantee": make_person(username="m-grantee", name="被授权人", unit=audit_unit, clearance=Level.SECRET),
        "unit_grantee": make_person(username="m-unit", name="授权处室", unit=inspection, clearance=Level.SECRET),
        "recipient": office.bureau_staff,
    }
    author = people["author"].user

    def draft(title: str, level: Level = Level.INTERNAL, **extra) -> OutgoingDocument:
        classified = Level(level).is_classified
        return make_document(
            actor=author,
            title=title,
            level=level,
            basis="保密事项范围第3项" if classified else "",
            copies=2 if classified else 0,
            body=BODY,
            **extra,
        )

    documents = {
        "internal": draft("测试办公室关于开展爱国卫生运动的通知"),
        "secret": draft("测试办公室关于水库调度预案的通知", Level.SECRET, countersign_units=[office.countersign_unit]),
        "granted": draft("测试办公室关于干部考察人选的通知", Level.CONFIDENTIAL),
        "revoked": draft("测试办公室关于专项审计线索的通知", Level.CONFIDENTIAL),
        "top": draft("测试办公室关于战备物资储备的通知", Level.TOP_SECRET),
        "voided": draft("测试办公室关于召开季度例会的通知"),
        "issued": walk(make_document(title="测试办公室关于春运保障工作的通知"), S.ISSUED),
    }
    secrecy.grant(actor=author, record=documents["granted"], person=people["grantee"], reason="工作需要")
    secrecy.grant(actor=author, record=documents["granted"], unit=inspection, reason="工作需要")
    secrecy.grant(actor=author, record=documents["revoked"], person=people["grantee"], reason="工作需要")
    secrecy.revoke(actor=author, record=documents["revoked"], person=people["grantee"], reason="工作调整")
    services.outgoing_void_draft(actor=author, document=documents["voided"], reason="重复拟稿")
    words = {
        "internal": "爱国卫生",
        "secret": "水库调度",
        "granted": "干部考察",
        "revoked": "专项审计",
        "top": "战备物资",
        "voided": "季度例会",
        "issued": "春运保障",
    }
    return Matrix(documents=documents, words=words, people=people)


# Who must see exactly which documents (everyone else's: 404).
EXPECTED = {
    # the drafter, cleared for 绝密: all of their own; not another organ's business
    "author": "internal secret granted revoked top voided issued",
    # the drafting unit, cleared for 机密: the unit's documents up to 机密
    "colleague": "internal secret granted revoked voided issued",
    # the drafting unit, cleared for 内部 only: the classified ones stay hidden
    "low": "internal voided issued",
    # the same organ, outside the scope: only the organ's 内部 documents
    "neighbour": "internal voided issued",
    # a countersign unit: the document it countersigns
    "countersigner": "internal secret voided issued",
    # granted directly (and the revoked grant no longer counts)
    "grantee": "internal granted voided issued",
    # a member of a granted unit
    "unit_grantee": "internal granted voided issued",
    # another organ: only what was issued to it
    "recipient": "issued",
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_list_and_detail(matrix, who):
    """GIVEN the matrix WHEN ``who`` lists the documents and opens each one THEN exactly the
    expected ones are listed and answer 200; every other one is a 404 (never a 403)."""
    person = matrix.people[who]
    expected = matrix.of(EXPECTED[who])

    assert_visible(
        OutgoingDocument.objects.visible_to(person.user), expected=expected, universe=matrix.universe(), who=who
    )
    assert_api_visible(as_(person), BASE, expected=expected, universe=matrix.universe(), who=who)
    assert as_(person).get(BASE).json()["count"] == len(expected)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_full_text_search(matrix, who):
    """GIVEN the matrix WHEN ``who`` searches for a word of each document's title THEN a visible
    document is found and a hidden one is not: the search answers nothing for outsiders."""
    client = as_(matrix.people[who])
    visible = set(EXPECTED[who].split())

    for name, word in matrix.words.items():
        rows = client.get(BASE, {"q": word}).json()["results"]
        wanted = [matrix.documents[name].pk] if name in visible else []
        assert [row["id"] for row in rows] == wanted, f"{who} searching {word}"


@pytest.mark.parametrize("who", list(EXPECTED))
def test_register_export(matrix, who):
    """GIVEN the matrix WHEN ``who`` exports the 发文登记簿 (all of it, and searched for each hidden
    word) THEN the sheet holds the visible titles only — but never a 绝密 one (on screen only) — and
    the export is in the audit log."""
    client = as_(matrix.people[who])
    expected = {document.title for document in matrix.of(EXPECTED[who]) if document.level < Level.TOP_SECRET}

    response = client.get(f"{BASE}register/")
    assert response.status_code == 200, response.content
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))[1:]
    assert {row[2] for row in rows} == expected
    hidden_words = [word for name, word in matrix.words.items() if name not in EXPECTED[who].split()]
    for word in hidden_words:
        searched = client.get(f"{BASE}register/", {"q": word})
        assert len(list(load_workbook(BytesIO(searched.content)).active.iter_rows())) == 1, word
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=matrix.people[who].user).count() == 1 + len(
        hidden_words
    )
    # The 登记簿 never carries content, 绝密 or not.
    assert not any(BODY.splitlines()[0] in str(cell) for row in rows for cell in row)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_render_and_actions(matrix, who, fake_rendering):
    """GIVEN the matrix WHEN ``who`` renders each document, checks it and posts an action to it THEN
    a hidden document is a 404 every time; a visible one renders (绝密: 403) and checks."""
    client = as_(matrix.people[who])
    visible = set(EXPECTED[who].split())

    for name, document in matrix.documents.items():
        render = client.get(f"{BASE}{document.pk}/render/", {"format": "docx"}).status_code
        check = client.get(f"{BASE}{document.pk}/check/").status_code
        withdraw = client.post(f"{BASE}{document.pk}/withdraw/", {}, format="json").status_code
        patch = client.patch(f"{BASE}{document.pk}/", {"title": "改"}, format="json").status_code
        if name in visible:
            assert render == (403 if name == "top" else 200), (who, name, render)
            assert check == 200
            assert withdraw != 404 and patch != 404
        else:
            assert (render, check, withdraw, patch) == (404, 404, 404, 404), (who, name)


def test_hidden_reads_are_security_events(matrix):
    """GIVEN a document outside a person's reach WHEN they ask for it THEN 404, and the attempt is
    a ``denied`` event in the audit log."""
    neighbour = matrix.people["neighbour"]
    secret = matrix.documents["secret"]

    assert as_(neighbour).get(f"{BASE}{secret.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, actor=neighbour.user, object_id=str(secret.pk)).exists()


def test_classified_reads_are_logged_and_top_secret_body_is_never_returned(matrix):
    """GIVEN the matrix WHEN the author reads the 机密 and the 绝密 document THEN each read is in the
    access log; the 机密 body comes back, the 绝密 body is null."""
    author = matrix.people["author"]
    client = as_(author)

    secret = client.get(f"{BASE}{matrix.documents['secret'].pk}/").json()
    top = client.get(f"{BASE}{matrix.documents['top'].pk}/").json()

    assert secret["body"] == BODY
    assert top["body"] is None
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, actor=author.user)
    assert {event.object_id for event in views} == {str(matrix.documents["secret"].pk), str(matrix.documents["top"].pk)}


def test_anonymous_callers_get_401_everywhere(matrix, api):
    """GIVEN the matrix WHEN nobody is logged in THEN the list, a detail, the search, the export,
    a render, an action and a draft are all 401."""
    internal = matrix.documents["internal"].pk

    responses = [
        api.get(BASE),
        api.get(BASE, {"q": "爱国卫生"}),
        api.get(f"{BASE}{internal}/"),
        api.get(f"{BASE}register/"),
        api.get(f"{BASE}{internal}/render/"),
        api.get(f"{BASE}{internal}/check/"),
        api.post(f"{BASE}{internal}/submit/", {}, format="json"),
        api.post(BASE, {"title": "匿名"}, format="json"),
    ]

    assert [response.status_code for response in responses] == [401] * len(responses)
    assert OutgoingDocument.objects.count() == len(matrix.documents)


def test_a_person_granted_below_their_clearance_is_refused(matrix):
    """GIVEN a 机密 document WHEN its author grants it to a person cleared for 内部 THEN the grant is
    refused, and that person still cannot find it."""
    from django.core.exceptions import ValidationError

    low = matrix.people["low"]
    with pytest.raises(ValidationError):
        secrecy.grant(
            actor=matrix.people["author"].user, record=matrix.documents["secret"], person=low, reason="工作需要"
        )

    assert as_(low).get(f"{BASE}{matrix.documents['secret'].pk}/").status_code == 404

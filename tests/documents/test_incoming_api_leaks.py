"""``/api/v1/documents/incoming/``: the leak matrix — a 机密 document outside the caller's reach (another
organ, too low a clearance, a clearance lowered, an organ below) is a 404 on every route and
missing from every list, search, inbox, figures and register export, while the cleared see it —
and a leader not cleared for a document cannot be proposed to instruct it.

The receiving bureau, its people and the ``receive`` / ``advance`` fixtures come from
``conftest.py``; the client, URL, ``snapshot``, ``reader_of`` and answer checks from
``incoming_api_helpers.py``."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from documents.incoming import services as incoming
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction, AuditEvent
from office.org.models import Role
from tests.documents.incoming_api_helpers import (
    BASE,
    S,
    _sheet,
    as_,
    assert_forbidden,
    assert_invalid,
    fresh,
    post,
    reader_of,
    snapshot,
    url,
)
from tests.factories import OrganFactory, make_person

pytestmark = pytest.mark.django_db


# --- Leaks ---------------------------------------------------------------------------------------


ACTIONS = [
    ("sign-for", {}),
    ("register", {}),
    ("screen", {"accept": True}),
    ("propose", {"proposal": "拟办", "leader": 0}),
    ("instruct", {"instruction": "同意", "lead_unit": 0}),
    ("unit-done", {"unit": 0, "note": "好"}),
    ("complete", {"result": "已办"}),
    ("archive", {"retention": "10年"}),
    ("chase", {"message": "请办理"}),
    ("circulate", {"readers": [0], "note": "请阅"}),
    ("readers/{reader}/open", {}),
    ("readers/{reader}/read", {}),
    ("circulations/{circulation}/recall", {"reason": "收回"}),
]


@pytest.fixture
def secret_document(bureau, receive, advance, settings):
    """A 机密 document with its content (the ceiling raised, as in the demo) in 承办 at the bureau,
    being circulated to a cleared reader."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    document = advance(
        receive(title="关于某专项资金问题线索的通报", level=Level.SECRET, basis="来文标注", body="线索内容"), S.HANDLING
    )
    incoming.circulation_start(actor=bureau.clerk.user, document=document, readers=[bureau.reader], note="请阅")
    return fresh(document)


@pytest.fixture
def outsiders(office, bureau):
    """Who must never learn of the bureau's 机密 document: someone of another organ cleared for
    绝密, and someone inside the bureau without the clearance."""
    return {"another organ": office.director, "no clearance": bureau.low_reader}


@pytest.mark.parametrize("who", ["another organ", "no clearance"])
def test_an_invisible_document_is_a_404_everywhere_and_in_no_list(bureau, secret_document, outsiders, who):
    """GIVEN a 机密 document WHEN someone outside its reach asks for it in any way THEN the detail and
    every action are 404 (each a ``denied`` event), and it is in no list, search, inbox, figures or
    register export; the document is unchanged."""
    person = outsiders[who]
    client = as_(person)
    before = snapshot(secret_document)
    reader = reader_of(secret_document, bureau.reader)
    circulation = reader.circulation
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED).count()

    assert client.get(url(secret_document)).status_code == 404
    for action, body in ACTIONS:
        path = action.format(reader=reader.pk, circulation=circulation.pk)
        response = client.post(url(secret_document, path), body, format="json")
        assert response.status_code == 404, (action, response.content)
    assert snapshot(secret_document) == before
    assert AuditEvent.objects.filter(action=AuditAction.DENIED).count() > denied

    assert client.get(BASE).json()["count"] == 0
    assert client.get(BASE, {"q": "专项资金"}).json()["count"] == 0
    assert all(not queue["results"] for queue in client.get(f"{BASE}inbox/").json().values())
    assert client.get(f"{BASE}figures/").json() == []
    rows = _sheet(client.get(f"{BASE}register/"))
    assert rows[1:] == []


def test_the_cleared_reader_sees_the_document_the_low_one_does_not(bureau, secret_document):
    """GIVEN the 机密 document WHEN the cleared reader of the bureau and its 文秘 search THEN they find
    it, and the reader reads its body."""
    for person in (bureau.reader, bureau.clerk):
        assert [row["id"] for row in as_(person).get(BASE, {"q": "专项资金"}).json()["results"]] == [secret_document.pk]
    assert as_(bureau.reader).get(url(secret_document)).json()["body"] == "线索内容"


def test_anonymous_callers_get_nothing(secret_document):
    """GIVEN the 机密 document WHEN an anonymous caller asks THEN 401 on the list and the detail."""
    client = APIClient()
    assert client.get(BASE).status_code == 401
    assert client.get(url(secret_document)).status_code == 401


def test_a_reader_whose_clearance_is_lowered_no_longer_finds_the_document(bureau, secret_document):
    """GIVEN the 机密 document circulated to a cleared reader WHEN his clearance is lowered to 内部
    THEN it leaves his 待阅 queue and his list, and its detail and his reader actions are 404."""
    reader = reader_of(secret_document, bureau.reader)
    client = as_(bureau.reader)
    assert client.get(f"{BASE}inbox/").json()["read"]["count"] == 1

    bureau.reader.clearance = Level.INTERNAL
    bureau.reader.save(update_fields=["clearance"])

    queue = client.get(f"{BASE}inbox/").json()["read"]
    assert queue == {"count": 0, "results": []}
    assert client.get(BASE).json()["count"] == 0
    assert client.get(url(secret_document)).status_code == 404
    assert client.post(url(secret_document, f"readers/{reader.pk}/open")).status_code == 404


def test_the_office_of_an_organ_below_does_not_run_the_receiving_organs_mail(bureau, receive, advance):
    """GIVEN a branch bureau — an organ of its own under the receiving bureau — with its own 文秘
    WHEN that 文秘 registers or screens the bureau's documents THEN 404 (the bureau's mail is not the
    branch's business: it cannot even see it); receiving for the bureau is 403; and the bureau's
    documents are not in the branch's 待登记 queue."""
    branch = OrganFactory(name="测试市财政局直属分局", parent=bureau.organ)
    branch_clerk = make_person(username="in-branch-clerk", name="吕文秘", unit=branch, roles=(Role.SECRETARY,))
    signed = receive()
    registered = advance(receive(), S.REGISTERED)
    before = (snapshot(signed), snapshot(registered))

    assert post(branch_clerk, signed, "register").status_code == 404
    assert post(branch_clerk, registered, "screen", {"accept": True}).status_code == 404
    created = as_(branch_clerk).post(
        BASE,
        {"receiving_unit": bureau.organ.pk, "sender_organ": "测试省财政厅", "title": "关于某事的通知"},
        format="json",
    )
    assert_forbidden(created)
    assert as_(branch_clerk).get(f"{BASE}inbox/").json()["register"]["count"] == 0
    assert (snapshot(signed), snapshot(registered)) == before


def test_propose_refuses_a_leader_not_cleared_for_the_document(bureau, receive, advance):
    """GIVEN a 机密 document in 拟办 and a deputy leader cleared only for 内部 WHEN the 文秘 proposes it
    to him THEN 400 on ``leader`` (he could never open it to instruct), and it stays in 拟办."""
    deputy = make_person(username="in-deputy", name="严副局长", unit=bureau.organ, roles=(Role.LEADER,))
    document = advance(receive(level=Level.SECRET, basis="来文标注"), S.PROPOSAL)
    before = snapshot(document)

    refused = post(bureau.clerk, document, "propose", {"proposal": "拟请阅示。", "leader": deputy.pk})

    assert "涉密等级" in str(assert_invalid(refused, "leader"))
    assert snapshot(document) == before

"""发文: what a page offers is what the service accepts, for every state × every demo person × step.

The demo office is loaded once (rolled back at the end); it holds a document in every state of the
machine, and one more is driven to 核稿 with a named 核稿人. Each attempt takes the step through
``documents.outgoing.services`` with valid input inside a savepoint that is rolled back
(``tests/workflow/harness.py``).
"""

from __future__ import annotations

import pytest

from documents.models import CountersignState, DocumentState, OutgoingDocument
from documents.outgoing import services
from documents.outgoing.rules import OUTGOING
from office.org.models import Person
from tests.workflow.harness import demo_office, mismatches

S = DocumentState
# Taken by saving a substantive edit in 复核 (tests/documents/test_workflow.py), not offered as a button.
NOT_A_BUTTON = {"send_back_to_signer"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo office: a document per state, and every person with a login."""
    with demo_office(django_db_blocker):
        records = {}
        for document in OutgoingDocument.objects.order_by("id"):
            records.setdefault(document.state, document)
        named = _draft_with_named_reviewer(records[S.DRAFT])
        people = list(Person.objects.filter(user__isnull=False).select_related("user", "unit").order_by("id"))
        yield {"records": [*records.values(), named], "users": [person.user for person in people]}


def _draft_with_named_reviewer(draft: OutgoingDocument) -> OutgoingDocument:
    """A second draft by the demo's drafter, sent to 核稿 naming the 秘书科 科长."""
    drafter = draft.drafter.user
    document = services.outgoing_create(
        actor=drafter, series=draft.series, title="关于指定核稿人的测试通知", kind=draft.kind, body=draft.body
    )
    reviewer = Person.objects.get(user__username="ms_chief")
    return services.outgoing_submit(actor=drafter, document=document, reviewer=reviewer)


def _countersign_unit(user, document):
    """The unit this person would decide for (a pending one first), else any asked."""
    person = user.person
    countersigns = list(document.countersigns.select_related("unit").order_by("id"))
    mine = [c for c in countersigns if c.unit.head_id == person.pk or c.unit_id == person.unit_id]
    for countersign in sorted(mine, key=lambda c: c.state != CountersignState.PENDING):
        return countersign.unit
    return countersigns[0].unit if countersigns else person.unit


def attempt(step: str, user, document: OutgoingDocument) -> None:
    """Take ``step`` through the service, with input the service accepts."""
    if step == "edit":
        services.outgoing_update(actor=user, document=document, note=(document.note + "（改）")[:200])
    elif step == "submit":
        services.outgoing_submit(actor=user, document=document, comment="请核稿")
    elif step == "withdraw":
        services.outgoing_withdraw(actor=user, document=document, reason="补充材料")
    elif step == "review":
        services.outgoing_review(actor=user, document=document, approve=False, comment="请修改")
    elif step == "countersign":
        unit = _countersign_unit(user, document)
        services.outgoing_countersign(actor=user, document=document, unit=unit, agree=True, opinion="同意")
    elif step == "sign":
        services.outgoing_sign(actor=user, document=document, approve=False, opinion="请修改")
    elif step == "register":
        services.outgoing_register(actor=user, document=document, copies=max(document.copies, 1))
    elif step == "void_number":
        services.number_void(actor=user, number=document.number, reason="编号有误")
    elif step == "issue":
        services.outgoing_issue(actor=user, document=document)
    elif step == "archive":
        services.outgoing_archive(actor=user, document=document, retention="30年")
    elif step == "end":
        services.outgoing_end(actor=user, document=document, abolish=False, reason="内容有误")
    elif step == "void":
        services.outgoing_void_draft(actor=user, document=document, reason="不再需要")
    else:
        raise AssertionError(f"no attempt for {step}")


@pytest.mark.django_db
def test_every_step_offered_is_accepted_and_every_other_refused(demo):
    """GIVEN the demo office with a 发文 in every state of the machine (and one with a named 核稿人)
    WHEN each demo person tries each step on each THEN the page's offer and the service agree
    everywhere: offered ⇔ accepted (文号作废 wherever the document holds a number)."""
    records = demo["records"]
    assert {document.state for document in records} == set(S.values)
    steps = [step.name for step in OUTGOING.steps if step.name not in NOT_A_BUTTON]
    numbered = [document for document in records if document.number_id is not None]
    unnumbered = [document for document in records if document.number_id is None]

    found = mismatches(OUTGOING, numbered, demo["users"], attempt, steps=steps)
    found += mismatches(
        OUTGOING, unnumbered, demo["users"], attempt, steps=[name for name in steps if name != "void_number"]
    )

    assert found == []


@pytest.mark.django_db
def test_the_office_chief_is_offered_review_and_the_drafter_is_not(demo):
    """GIVEN the demo's draft in 核稿, drafted by the 文秘 WHEN the 办公室主任 and the drafter open it
    THEN the 办公室主任 is offered 核稿 and the drafter is not (she may only 撤回)."""
    document = next(d for d in demo["records"] if d.state == S.REVIEW and d.reviewer_id is None)
    chief = Person.objects.get(user__username="office_chief").user

    assert "review" in OUTGOING.offered(chief, document)
    assert "review" not in OUTGOING.offered(document.drafter.user, document)

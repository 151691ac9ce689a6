"""The 发文 workflow (STYLE.md §5): every move ``services.ALLOWED`` permits, every move it refuses, who
may make each, and what each leaves behind — the 流转记录, the step's deadline, the kept versions,
the recipients' visibility and the copy register of a classified document.

The office, its people and the ``make_document`` / ``walk`` helpers come from ``conftest.py``.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from documents.models import (
    Attachment,
    CountersignState,
    DocumentState,
    OutgoingDocument,
    OutgoingDocumentVersion,
    Transition,
)
from documents.outgoing import checker, services
from office.confidentiality.levels import Level
from office.confidentiality.models import ClassifiedCopy
from office.org.models import Role, UnitKind
from office.reminders.models import DeadlineState
from office.reminders.services import deadlines_of
from office.workflow import TransitionNotAllowed
from tests.documents.conftest import set_head
from tests.factories import OrganFactory, UnitFactory, make_person

S = DocumentState


@pytest.fixture
def finance(office):
    """A second countersign unit, 财务处, with its head."""
    unit = UnitFactory(parent=office.organ, name="财务处", kind=UnitKind.DEPARTMENT)
    head = make_person(username="doc-caiwu", name="吴处长", unit=unit)
    set_head(unit, head)
    unit.refresh_from_db()
    return unit


@pytest.fixture
def outsiders(office):
    """People with the right roles in the wrong place: the bureau's own 文秘 and its leader."""
    bureau_section = UnitFactory(parent=office.bureau, name="财政局办公室")
    return {
        "bureau_clerk": make_person(
            username="doc-bureau-clerk", name="陈文秘", unit=bureau_section, roles=(Role.SECRETARY,)
        ),
        "bureau_leader": make_person(
            username="doc-bureau-leader", name="褚局长", unit=office.bureau, roles=(Role.LEADER, Role.OFFICE_CHIEF)
        ),
    }


def transitions(document: OutgoingDocument) -> list[tuple[str, str, str, str]]:
    return list(
        Transition.objects.filter(document=document)
        .order_by("at", "id")
        .values_list("actor__username", "from_state", "to_state", "comment")
    )


def open_deadlines(document: OutgoingDocument) -> list:
    return [d for d in deadlines_of(document) if d.state == DeadlineState.OPEN]


# --- The moves the table allows -------------------------------------------------------------------


def test_the_main_line_records_every_step(office, make_document):
    """GIVEN a notice with a countersign unit WHEN each person does their step, with a comment,
    from 拟稿 to 归档 THEN it passes 核稿, 会签, 签发, 复核, 登记, 核发 in order and every step is a
    流转记录 row with its actor, both states and the comment."""
    document = make_document(countersign_units=[office.countersign_unit])
    drafter, clerk, director = office.drafter.user, office.clerk.user, office.director.user

    document = services.outgoing_submit(actor=drafter, document=document, comment="请审核")
    assert document.state == S.REVIEW
    document = services.outgoing_review(actor=clerk, document=document, approve=True, comment="内容、格式、文字已审核")
    assert document.state == S.COUNTERSIGN
    document = services.outgoing_countersign(
        actor=office.countersign_head.user, document=document, unit=office.countersign_unit, agree=True, opinion="同意"
    )
    assert document.state == S.SIGNOFF
    document = services.outgoing_sign(actor=director, document=document, approve=True, opinion="同意印发")
    assert document.state == S.RECHECK
    assert (document.signed_by, document.sign_opinion) == (office.director, "同意印发")
    document = services.outgoing_register(actor=clerk, document=document)
    assert document.state == S.REGISTERED
    number = document.number.text
    document = services.outgoing_issue(actor=clerk, document=document)
    assert document.state == S.ISSUED
    document = services.outgoing_archive(actor=clerk, document=document, retention="30年")
    assert (document.state, document.retention) == (S.ARCHIVED, "30年")

    assert transitions(document) == [
        ("doc-drafter", S.DRAFT, S.DRAFT, ""),
        ("doc-drafter", S.DRAFT, S.REVIEW, "请审核"),
        ("doc-clerk", S.REVIEW, S.COUNTERSIGN, "内容、格式、文字已审核"),
        ("doc-fagui", S.COUNTERSIGN, S.SIGNOFF, "政策法规处：同意"),
        ("doc-director", S.SIGNOFF, S.RECHECK, "同意印发"),
        ("doc-clerk", S.RECHECK, S.REGISTERED, number),
        ("doc-clerk", S.REGISTERED, S.ISSUED, "测试市财政局"),
        ("doc-clerk", S.ISSUED, S.ARCHIVED, "30年"),
    ]
    assert set(Transition.objects.filter(document=document).values_list("actor_name", flat=True)) == {
        "李拟稿",
        "王文秘",
        "孙处长",
        "赵主任",
    }


def test_review_goes_straight_to_signoff_without_countersign(office, make_document, walk):
    """GIVEN a submitted document with no countersign unit WHEN the clerk passes the review THEN it
    goes to 签发 directly."""
    document = walk(make_document(), S.REVIEW)

    document = services.outgoing_review(actor=office.clerk.user, document=document, approve=True)

    assert document.state == S.SIGNOFF
    assert transitions(document)[-1][1:3] == (S.REVIEW, S.SIGNOFF)


def test_countersign_waits_for_every_unit(office, make_document, walk, finance):
    """GIVEN a document to be countersigned by two units WHEN the first agrees THEN it stays in 会签
    (the agreement is recorded); WHEN the second agrees THEN it goes to 签发."""
    document = walk(make_document(countersign_units=[office.countersign_unit, finance]), S.COUNTERSIGN)

    document = services.outgoing_countersign(
        actor=office.countersign_head.user, document=document, unit=office.countersign_unit, agree=True, opinion="同意"
    )
    assert document.state == S.COUNTERSIGN
    assert transitions(document)[-1] == ("doc-fagui", S.COUNTERSIGN, S.COUNTERSIGN, "政策法规处：同意")

    document = services.outgoing_countersign(
        actor=finance.head.user, document=document, unit=finance, agree=True, opinion="无意见"
    )
    assert document.state == S.SIGNOFF
    assert set(document.countersigns.values_list("state", flat=True)) == {CountersignState.AGREED}


def _return_at_review(office, document, reason):
    return services.outgoing_review(actor=office.clerk.user, document=document, approve=False, comment=reason)


def _return_at_countersign(office, document, reason):
    return services.outgoing_countersign(
        actor=office.countersign_head.user, document=document, unit=office.countersign_unit, agree=False, opinion=reason
    )


def _return_at_signoff(office, document, reason):
    return services.outgoing_sign(actor=office.director.user, document=document, approve=False, opinion=reason)


RETURNS = [
    pytest.param(S.REVIEW, _return_at_review, "doc-clerk", "请补充工作时限", id="review"),
    pytest.param(
        S.COUNTERSIGN, _return_at_countersign, "doc-fagui", "政策法规处：第二条与现行规定不符", id="countersign"
    ),
    pytest.param(S.SIGNOFF, _return_at_signoff, "doc-director", "请压缩篇幅", id="signoff"),
]


@pytest.mark.parametrize(("state", "give_back", "username", "recorded"), RETURNS)
def test_a_return_goes_back_to_the_drafter_with_its_reason(
    office, make_document, walk, state, give_back, username, recorded
):
    """GIVEN a document at 核稿, 会签 or 签发 WHEN that step's person returns it with a reason THEN it
    is a draft again and the 流转记录 keeps who returned it and why."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), state)
    reason = recorded.split("：")[-1]

    document = give_back(office, document, reason)

    assert document.state == S.DRAFT
    assert transitions(document)[-1] == (username, state, S.DRAFT, recorded)


@pytest.mark.parametrize(
    ("state", "give_back"), [(p.values[0], p.values[1]) for p in RETURNS], ids=[p.id for p in RETURNS]
)
def test_a_return_without_a_reason_is_refused(office, make_document, walk, state, give_back):
    """GIVEN a document at 核稿, 会签 or 签发 WHEN that step's person returns it without a reason
    (or with blanks) THEN ValidationError and the document stays where it was."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), state)
    before = Transition.objects.filter(document=document).count()

    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            give_back(office, document, reason)

    document.refresh_from_db()
    assert document.state == state
    assert Transition.objects.filter(document=document).count() == before


def test_a_returned_document_is_countersigned_afresh(office, make_document, walk, finance):
    """GIVEN a document one unit agreed to and the other returned WHEN the drafter revises and
    resubmits it and the clerk passes it THEN both units are asked again, and their agreement takes
    it to 签发 (it is not stuck on the earlier return)."""
    document = walk(make_document(countersign_units=[office.countersign_unit, finance]), S.COUNTERSIGN)
    services.outgoing_countersign(actor=finance.head.user, document=document, unit=finance, agree=True)
    document = _return_at_countersign(office, document, "第二条与现行规定不符")
    services.outgoing_update(actor=office.drafter.user, document=document, body=document.body + "\n三、依法依规办理")

    document = walk(document, S.COUNTERSIGN)

    assert set(document.countersigns.values_list("state", flat=True)) == {CountersignState.PENDING}
    assert walk(document, S.SIGNOFF).state == S.SIGNOFF


def test_a_substantive_change_at_recheck_goes_back_to_the_signer(office, make_document, walk):
    """GIVEN a signed document at 复核 WHEN the clerk only corrects the 附注 THEN it stays at 复核;
    WHEN the clerk changes the body THEN it goes back to 签发, with the reason on record, and the
    director signs it again."""
    document = walk(make_document(), S.RECHECK)

    document = services.outgoing_update(actor=office.clerk.user, document=document, note="此件公开发布")
    assert document.state == S.RECHECK

    document = services.outgoing_update(
        actor=office.clerk.user, document=document, body=document.body + "\n三、严肃工作纪律", reason="增加第三条"
    )
    assert document.state == S.SIGNOFF
    assert transitions(document)[-1] == ("doc-clerk", S.RECHECK, S.SIGNOFF, "增加第三条")
    document = services.outgoing_sign(actor=office.director.user, document=document, approve=True)
    assert document.state == S.RECHECK


@pytest.mark.parametrize(("abolish", "ended"), [(False, S.REVOKED), (True, S.ABOLISHED)], ids=["revoke", "abolish"])
@pytest.mark.parametrize("from_state", [S.ISSUED, S.ARCHIVED])
def test_an_issued_document_is_revoked_or_abolished_with_a_reason(
    office, make_document, walk, from_state, abolish, ended
):
    """GIVEN an issued (or archived) document WHEN the director revokes or abolishes it without a
    reason THEN ValidationError; WITH a reason THEN it is 撤销/废止, the reason is kept on the
    document and in the 流转记录, and the document itself stays on record."""
    document = walk(make_document(), from_state)

    with pytest.raises(ValidationError):
        services.outgoing_end(actor=office.director.user, document=document, abolish=abolish, reason=" ")
    document = services.outgoing_end(
        actor=office.director.user, document=document, abolish=abolish, reason="上级新规定已出台"
    )

    assert (document.state, document.state_reason) == (ended, "上级新规定已出台")
    assert transitions(document)[-1] == ("doc-director", from_state, ended, "上级新规定已出台")
    assert OutgoingDocument.objects.filter(pk=document.pk).exists()


def test_a_draft_is_voided_with_a_reason_and_kept(office, make_document):
    """GIVEN a draft WHEN the drafter voids it without a reason THEN ValidationError; with one THEN
    it is 已作废 with the reason, and still on record."""
    document = make_document()

    with pytest.raises(ValidationError):
        services.outgoing_void_draft(actor=office.drafter.user, document=document, reason="")
    document = services.outgoing_void_draft(actor=office.drafter.user, document=document, reason="与另一件重复")

    assert (document.state, document.state_reason) == (S.VOIDED, "与另一件重复")
    assert transitions(document)[-1] == ("doc-drafter", S.DRAFT, S.VOIDED, "与另一件重复")
    assert OutgoingDocument.objects.filter(pk=document.pk).exists()


# --- The moves the table refuses ------------------------------------------------------------------

# Every action, done by the person whose step it is (so only the state can refuse it).
ACTIONS = {
    "submit": lambda o, d: services.outgoing_submit(actor=o.drafter.user, document=d),
    "withdraw": lambda o, d: services.outgoing_withdraw(actor=o.drafter.user, document=d, reason="再改改"),
    "edit": lambda o, d: services.outgoing_update(
        actor=(o.drafter if d.state == S.DRAFT else o.clerk).user, document=d, note="附注有改动"
    ),
    "review": lambda o, d: services.outgoing_review(actor=o.clerk.user, document=d, approve=True),
    "review_return": lambda o, d: services.outgoing_review(
        actor=o.clerk.user, document=d, approve=False, comment="请修改"
    ),
    "countersign": lambda o, d: services.outgoing_countersign(
        actor=o.countersign_head.user, document=d, unit=o.countersign_unit, agree=True
    ),
    "countersign_return": lambda o, d: services.outgoing_countersign(
        actor=o.countersign_head.user, document=d, unit=o.countersign_unit, agree=False, opinion="不同意"
    ),
    "sign": lambda o, d: services.outgoing_sign(actor=o.director.user, document=d, approve=True),
    "sign_return": lambda o, d: services.outgoing_sign(
        actor=o.director.user, document=d, approve=False, opinion="重写"
    ),
    "register": lambda o, d: services.outgoing_register(actor=o.clerk.user, document=d),
    "issue": lambda o, d: services.outgoing_issue(actor=o.clerk.user, document=d),
    "archive": lambda o, d: services.outgoing_archive(actor=o.clerk.user, document=d, retention="永久"),
    "revoke": lambda o, d: services.outgoing_end(actor=o.director.user, document=d, abolish=False, reason="有误"),
    "abolish": lambda o, d: services.outgoing_end(actor=o.director.user, document=d, abolish=True, reason="失效"),
    "void": lambda o, d: services.outgoing_void_draft(actor=o.drafter.user, document=d, reason="不发了"),
}

# What each state allows (withdraw: right after the drafter's own submission).
LEGAL = {
    S.DRAFT: {"submit", "edit", "void"},
    S.REVIEW: {"withdraw", "edit", "review", "review_return"},
    S.COUNTERSIGN: {"countersign", "countersign_return"},
    S.SIGNOFF: {"sign", "sign_return"},
    S.RECHECK: {"edit", "register"},
    S.REGISTERED: {"issue"},
    S.ISSUED: {"archive", "revoke", "abolish"},
    S.ARCHIVED: {"revoke", "abolish"},
    S.REVOKED: set(),
    S.ABOLISHED: set(),
    S.VOIDED: set(),
}


@pytest.mark.parametrize("state", list(S))
def test_every_move_the_state_does_not_allow_is_refused(office, make_document, walk, state):
    """GIVEN a document (with a countersign unit) in each state WHEN the person whose step it would
    be tries any action the state does not allow THEN TransitionNotAllowed, and nothing changes."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), state)
    before = (state, Transition.objects.filter(document=document).count(), len(deadlines_of(document)))
    not_refused = []

    for name, action in ACTIONS.items():
        if name in LEGAL[state]:
            continue
        try:
            action(office, document)
        except TransitionNotAllowed:
            pass
        else:
            not_refused.append(name)
        document.refresh_from_db()
        assert (document.state, document.transitions.count(), len(deadlines_of(document))) == before, name

    assert not_refused == []


@pytest.mark.parametrize("state", [s for s in S if LEGAL[s]])
def test_every_move_the_state_allows_is_made(office, make_document, walk, state):
    """GIVEN a document in each state WHEN the person whose step it is does each action the state
    allows THEN it succeeds and (but for an edit) moves the document on, so the refusals above are
    the state's, not the person's."""
    for name in sorted(LEGAL[state]):
        document = walk(make_document(countersign_units=[office.countersign_unit]), state)
        ACTIONS[name](office, document)
        document.refresh_from_db()
        if name != "edit":  # an edit keeps the step
            assert document.state != state, name


# (state, action, who tries it)
WRONG_PEOPLE = [
    (S.DRAFT, lambda o, p, d: services.outgoing_submit(actor=p.user, document=d), "clerk"),
    (S.DRAFT, lambda o, p, d: services.outgoing_update(actor=p.user, document=d, note="改"), "clerk"),
    (S.DRAFT, lambda o, p, d: services.outgoing_void_draft(actor=p.user, document=d, reason="不发"), "director"),
    (S.REVIEW, lambda o, p, d: services.outgoing_withdraw(actor=p.user, document=d), "clerk"),
    (S.REVIEW, lambda o, p, d: services.outgoing_review(actor=p.user, document=d, approve=True), "drafter"),
    (S.REVIEW, lambda o, p, d: services.outgoing_review(actor=p.user, document=d, approve=True), "deputy"),
    (S.REVIEW, lambda o, p, d: services.outgoing_review(actor=p.user, document=d, approve=True), "bureau_clerk"),
    (S.REVIEW, lambda o, p, d: services.outgoing_update(actor=p.user, document=d, note="改"), "drafter"),
    (S.COUNTERSIGN, lambda o, p, d: _countersign_as(o, p, d), "drafter"),
    (S.COUNTERSIGN, lambda o, p, d: _countersign_as(o, p, d), "clerk"),
    (S.COUNTERSIGN, lambda o, p, d: _countersign_as(o, p, d), "director"),
    (S.SIGNOFF, lambda o, p, d: services.outgoing_sign(actor=p.user, document=d, approve=True), "clerk"),
    (S.SIGNOFF, lambda o, p, d: services.outgoing_sign(actor=p.user, document=d, approve=True), "countersign_head"),
    (S.SIGNOFF, lambda o, p, d: services.outgoing_sign(actor=p.user, document=d, approve=True), "bureau_leader"),
    (S.RECHECK, lambda o, p, d: services.outgoing_register(actor=p.user, document=d), "drafter"),
    (S.RECHECK, lambda o, p, d: services.outgoing_register(actor=p.user, document=d), "deputy"),
    (S.RECHECK, lambda o, p, d: services.outgoing_register(actor=p.user, document=d), "bureau_clerk"),
    (S.REGISTERED, lambda o, p, d: services.outgoing_issue(actor=p.user, document=d), "drafter"),
    (S.ISSUED, lambda o, p, d: services.outgoing_archive(actor=p.user, document=d, retention="10年"), "drafter"),
    (S.ISSUED, lambda o, p, d: services.outgoing_end(actor=p.user, document=d, abolish=True, reason="失效"), "clerk"),
    (S.ISSUED, lambda o, p, d: services.outgoing_end(actor=p.user, document=d, abolish=True, reason="失效"), "drafter"),
    (
        S.ISSUED,
        lambda o, p, d: services.outgoing_end(actor=p.user, document=d, abolish=False, reason="有误"),
        "bureau_leader",
    ),
]


def _countersign_as(office, person, document):
    return services.outgoing_countersign(actor=person.user, document=document, unit=office.countersign_unit, agree=True)


@pytest.mark.parametrize(
    ("state", "action", "who"),
    WRONG_PEOPLE,
    ids=[f"{state}-{who}-{i}" for i, (state, _a, who) in enumerate(WRONG_PEOPLE)],
)
def test_the_wrong_person_is_refused(office, outsiders, make_document, walk, state, action, who):
    """GIVEN a document in a state WHEN someone whose step it is not acts on it (the clerk submitting,
    the drafter reviewing, a leader who is not the countersign unit's head countersigning, a 文秘
    or leader of another organ, …) THEN PermissionDenied and nothing changes."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), state)
    person = outsiders[who] if who in outsiders else getattr(office, who)
    before = Transition.objects.filter(document=document).count()

    with pytest.raises(PermissionDenied):
        action(office, person, document)

    document.refresh_from_db()
    assert (document.state, document.transitions.count()) == (state, before)


def test_a_leader_of_the_countersign_unit_may_countersign(office, make_document, walk):
    """GIVEN a 领导 working in the countersign unit (not its head) WHEN they countersign THEN it counts."""
    leader = make_person(
        username="doc-fagui-leader", name="李副处长", unit=office.countersign_unit, roles=(Role.LEADER,)
    )
    document = walk(make_document(countersign_units=[office.countersign_unit]), S.COUNTERSIGN)

    document = _countersign_as(office, leader, document)

    assert document.state == S.SIGNOFF


def test_a_unit_not_asked_cannot_countersign(office, make_document, walk, finance):
    """GIVEN a document countersigned by 政策法规处 only WHEN 财务处's head countersigns for 财务处 THEN
    ValidationError (the unit is not in the countersign list)."""
    document = walk(make_document(countersign_units=[office.countersign_unit]), S.COUNTERSIGN)

    with pytest.raises(ValidationError):
        services.outgoing_countersign(actor=finance.head.user, document=document, unit=finance, agree=True)


# --- 撤回 ----------------------------------------------------------------------------------------


def test_the_drafter_withdraws_before_the_clerk_acts(office, make_document, walk):
    """GIVEN a document the drafter has just submitted WHEN the drafter withdraws it THEN it is a
    draft again, the withdrawal is recorded, and the review deadline is closed."""
    document = walk(make_document(), S.REVIEW)

    document = services.outgoing_withdraw(actor=office.drafter.user, document=document, reason="补充附件")

    assert document.state == S.DRAFT
    assert transitions(document)[-1] == ("doc-drafter", S.REVIEW, S.DRAFT, "补充附件")
    assert open_deadlines(document) == []


def test_the_drafter_cannot_withdraw_after_the_clerk_passed_it(office, make_document, walk):
    """GIVEN a document the clerk has passed to 签发 WHEN the drafter withdraws it THEN TransitionNotAllowed."""
    document = walk(make_document(), S.SIGNOFF)

    with pytest.raises(TransitionNotAllowed):
        services.outgoing_withdraw(actor=office.drafter.user, document=document)

    document.refresh_from_db()
    assert document.state == S.SIGNOFF


def test_the_drafter_cannot_withdraw_after_a_unit_countersigned(office, make_document, walk, finance):
    """GIVEN a document in 会签 that one of two units has agreed to WHEN the drafter withdraws it
    THEN TransitionNotAllowed, and the agreement stands."""
    document = walk(make_document(countersign_units=[office.countersign_unit, finance]), S.COUNTERSIGN)
    services.outgoing_countersign(actor=finance.head.user, document=document, unit=finance, agree=True)

    with pytest.raises(TransitionNotAllowed):
        services.outgoing_withdraw(actor=office.drafter.user, document=document)

    document.refresh_from_db()
    assert document.state == S.COUNTERSIGN
    assert document.countersigns.get(unit=finance).state == CountersignState.AGREED


# --- Deadlines ------------------------------------------------------------------------------------


def test_each_step_opens_its_deadline_and_closes_the_one_before(office, make_document, finance):
    """GIVEN a draft to be countersigned by two units WHEN it moves step by step THEN each step has
    an open 公文承办 deadline for whoever must act (the office, each countersign unit, the principal
    leader) and the previous step's deadline is met; after 核发 nothing is open."""
    clerk = office.clerk.user
    document = make_document(countersign_units=[office.countersign_unit, finance])
    assert deadlines_of(document) == []

    def responsible():
        return sorted((d.kind_id, d.responsible_person_id, d.responsible_unit_id) for d in open_deadlines(document))

    document = services.outgoing_submit(actor=office.drafter.user, document=document)
    assert responsible() == [("document", None, office.office.pk)]

    document = services.outgoing_review(actor=clerk, document=document, approve=True)
    assert responsible() == sorted([("document", None, office.countersign_unit.pk), ("document", None, finance.pk)])

    document = services.outgoing_countersign(actor=finance.head.user, document=document, unit=finance, agree=True)
    assert responsible() == [("document", None, office.countersign_unit.pk)]

    document = _countersign_as(office, office.countersign_head, document)
    assert responsible() == [("document", office.director.pk, office.office.pk)]

    document = services.outgoing_sign(actor=office.director.user, document=document, approve=True)
    assert responsible() == [("document", None, office.office.pk)]
    document = services.outgoing_register(actor=clerk, document=document)
    assert responsible() == [("document", None, office.office.pk)]
    document = services.outgoing_issue(actor=clerk, document=document)
    assert responsible() == []

    # 核稿, two 会签, 签发, 复核, 登记: each opened once, and met.
    all_deadlines = deadlines_of(document)
    assert len(all_deadlines) == 6
    assert {d.state for d in all_deadlines} == {DeadlineState.MET}


def test_a_return_closes_the_open_deadlines(office, make_document, walk, finance):
    """GIVEN a document waiting on two countersign units WHEN one returns it THEN no deadline of
    the document is left open (the draft is the drafter's again)."""
    document = walk(make_document(countersign_units=[office.countersign_unit, finance]), S.COUNTERSIGN)
    assert len(open_deadlines(document)) == 2

    _return_at_countersign(office, document, "请修改")

    assert open_deadlines(document) == []


# --- The checker at 签发 ---------------------------------------------------------------------------


def test_checker_errors_block_signing(office, make_document, walk, settings, tmp_path):
    """GIVEN a document at 签发 that has gained a file its 附件说明 does not list (a checker error)
    WHEN the director signs THEN ValidationError naming the finding, and it stays at 签发."""
    settings.MEDIA_ROOT = tmp_path
    document = walk(make_document(), S.SIGNOFF)
    Attachment.objects.create(
        document=document,
        name="工作安排表.docx",
        file=ContentFile(b"x", name="plan.docx"),
        size=1,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        uploaded_by=office.clerk,
    )

    with pytest.raises(ValidationError) as refused:
        services.outgoing_sign(actor=office.director.user, document=document, approve=True)

    assert refused.value.message_dict["findings"] == ["附件说明：附件说明列出0件，实际附件1件。"]
    document.refresh_from_db()
    assert (document.state, document.signed_by) == (S.SIGNOFF, None)


def test_checker_errors_block_review(office, make_document, walk):
    """GIVEN a submitted 请示 to two organs (an error: one 主送机关 only) WHEN the clerk passes it
    THEN ValidationError with the finding; it stays at 核稿."""
    document = walk(
        make_document(
            kind="request",
            title="测试办公室关于增加年终工作经费的请示",
            body="妥否，请批示。",
            main_to_units=[office.bureau, office.organ],
        ),
        S.REVIEW,
    )

    with pytest.raises(ValidationError) as refused:
        services.outgoing_review(actor=office.clerk.user, document=document, approve=True)

    assert any(message.startswith("主送机关：") for message in refused.value.message_dict["findings"])
    document.refresh_from_db()
    assert document.state == S.REVIEW


def test_checker_warnings_do_not_block_signing(office, make_document, walk):
    """GIVEN a document with only warnings (不予公开 without a reason, a title without 关于) WHEN it
    is reviewed and signed THEN it goes to 复核."""
    document = make_document(title="测试办公室做好年终工作的通知", disclosure="not_public")
    findings = checker.check(document)
    assert findings and {f.severity for f in findings} == {checker.WARNING}

    document = walk(document, S.SIGNOFF)
    document = services.outgoing_sign(actor=office.director.user, document=document, approve=True)

    assert document.state == S.RECHECK


# --- Who signs important and upward documents ------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"important": True},
        {"direction": "up", "kind": "report", "title": "测试办公室关于年终工作情况的报告"},
    ],
    ids=["important", "upward"],
)
def test_important_and_upward_documents_are_signed_by_the_principal(office, make_document, walk, fields):
    """GIVEN an important or upward document (the director named as its signer) at 签发 WHEN the
    deputy director signs THEN PermissionDenied; WHEN the director (the office's head) signs THEN
    it goes on to 复核."""
    document = walk(make_document(designated_signer=office.director, **fields), S.SIGNOFF)

    with pytest.raises(PermissionDenied):
        services.outgoing_sign(actor=office.deputy.user, document=document, approve=True)
    document.refresh_from_db()
    assert document.state == S.SIGNOFF

    document = services.outgoing_sign(actor=office.director.user, document=document, approve=True)
    assert (document.state, document.signed_by) == (S.RECHECK, office.director)


def test_an_ordinary_document_may_be_signed_by_another_leader(office, make_document, walk):
    """GIVEN an ordinary downward notice at 签发 WHEN the deputy director signs THEN it is signed by
    the deputy, with today's date as 成文日期."""
    document = walk(make_document(), S.SIGNOFF)

    document = services.outgoing_sign(actor=office.deputy.user, document=document, approve=True, opinion="同意")

    assert (document.state, document.signed_by, document.sign_opinion) == (S.RECHECK, office.deputy, "同意")
    assert document.written_date is not None


# --- 核发: visibility and the copy register ---------------------------------------------------------


def test_issue_lets_the_recipient_units_see_the_document(office, make_document, walk):
    """GIVEN a registered notice to the bureau (another organ), copied to a second bureau WHEN the
    clerk issues it THEN people of both recipient units see it, which they did not before; an
    organ it was not sent to still does not."""
    tax = OrganFactory(name="测试市税务局")
    tax_staff = make_person(username="doc-tax", name="卫科员", unit=UnitFactory(parent=tax, name="办公室"))
    elsewhere = make_person(username="doc-elsewhere", name="蒋科员", unit=OrganFactory(name="测试市水务局"))
    document = walk(make_document(cc_units=[tax]), S.REGISTERED)

    def sees(person):
        return OutgoingDocument.objects.visible_to(person.user).filter(pk=document.pk).exists()

    assert not sees(office.bureau_staff) and not sees(tax_staff)

    services.outgoing_issue(actor=office.clerk.user, document=document)

    assert sees(office.bureau_staff) and sees(tax_staff)
    assert not sees(elsewhere)


def test_issue_of_a_classified_document_numbers_each_copy(office, make_document, walk, settings):
    """GIVEN a deployment whose ceiling is 绝密, and a 机密 document (2 copies) to the bureau and
    copied to the tax bureau WHEN it is issued THEN copies 000001 and 000002 are in the copy
    register, one held by each recipient unit, and the bureau's cleared reader sees it."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.TOP_SECRET
    office.drafter.clearance = Level.SECRET  # nobody drafts above their own clearance
    office.drafter.save()
    tax = OrganFactory(name="测试市税务局")
    document = make_document(
        level=Level.SECRET,
        basis="范围",
        copies=2,
        cc_units=[tax],
        disclosure="not_public",
        disclosure_reason="涉及国家秘密",
    )
    document = walk(document, S.REGISTERED)
    assert not OutgoingDocument.objects.visible_to(office.bureau_staff.user).filter(pk=document.pk).exists()

    services.outgoing_issue(actor=office.clerk.user, document=document)

    copies = ClassifiedCopy.objects.filter(content_type__model="outgoingdocument", object_id=document.pk)
    assert [(c.number_display, c.holder_unit) for c in copies.order_by("copy_number")] == [
        ("000001", office.bureau),
        ("000002", tax),
    ]
    assert OutgoingDocument.objects.visible_to(office.bureau_staff.user).filter(pk=document.pk).exists()


def test_issue_of_an_internal_document_registers_no_copies(office, make_document, walk):
    """GIVEN an internal (unclassified) notice WHEN it is issued THEN the copy register is untouched."""
    document = walk(make_document(copies=3), S.ISSUED)

    assert not ClassifiedCopy.objects.filter(content_type__model="outgoingdocument", object_id=document.pk).exists()


# --- Versions -------------------------------------------------------------------------------------


def _versions(document: OutgoingDocument) -> list[str]:
    return list(
        OutgoingDocumentVersion.objects.filter(pgh_obj=document).order_by("pgh_id").values_list("body", flat=True)
    )


def test_edits_during_review_keep_each_version(office, make_document, walk):
    """GIVEN a document at 核稿 WHEN the clerk edits the body twice THEN each edited text is kept as
    a version (the current one and the one it replaced), the edits marked with the state they were made in."""
    document = walk(make_document(body="第一稿。"), S.REVIEW)

    document = services.outgoing_update(actor=office.clerk.user, document=document, body="第二稿。")
    document = services.outgoing_update(actor=office.clerk.user, document=document, body="第三稿。")

    assert document.body == "第三稿。"
    assert "第二稿。" in _versions(document)
    edits = OutgoingDocumentVersion.objects.filter(pgh_obj=document, pgh_label="content_changed")
    assert set(edits.values_list("state", flat=True)) == {S.REVIEW}


def test_an_edit_during_review_keeps_the_drafters_text(office, make_document, walk):
    """GIVEN a document submitted with the drafter's body WHEN the clerk edits the body during 核稿
    THEN a version row with the drafter's (old) body exists."""
    document = walk(make_document(body="拟稿人原稿。"), S.REVIEW)

    services.outgoing_update(actor=office.clerk.user, document=document, body="核稿后文本。")

    assert "拟稿人原稿。" in _versions(document)

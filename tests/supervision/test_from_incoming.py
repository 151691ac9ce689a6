"""A leader's 批示 on a real incoming document, 列入督办, opens a supervised item through ``item_open``:
linked to the document, at least as secret as it, supervised by the organ's 督查员, and already split
to the units the leader named."""

from __future__ import annotations

from datetime import date

from documents.incoming import services as incoming
from office.confidentiality.levels import Level
from supervision import selectors, services
from supervision.models import ItemState, Priority, Source, SupervisionItem

BASIS = "《财政工作国家秘密目录》第5项"


def instruct(bureau, document, time_limit=None):
    return incoming.incoming_instruct(
        actor=bureau.leader.user,
        document=document,
        instruction="请预算处牵头、国库处配合，抓紧落实并报结果。",
        lead_unit=bureau.budget,
        assisting_units=[bureau.treasury],
        time_limit=time_limit,
        supervise=True,
    )


def test_a_supervised_instruction_opens_a_split_item_linked_to_the_document(bureau, receive, advance, today, settings):
    """GIVEN a 秘密 document from the province at the 局长's 批示 on Monday 2 March WHEN he instructs 预算处
    to lead and 国库处 to assist by 31 March and puts it under supervision THEN one item 督〔2026〕1号
    exists: from a document, linked to it, 秘密 on the document's basis, instructed by him, supervised
    by 褚督查 in the bureau's 办公室, with the instruction as its requirement, due 31 March and already
    办理中 — one task led by 预算处 (杨处长 responsible) with 国库处 assisting, due 31 March."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.SECRET
    document = advance(receive(level=Level.CONFIDENTIAL, basis=BASIS), "instruction")

    instruct(bureau, document, time_limit=date(2026, 3, 31))

    [item] = services.items_from(document)
    assert (item.number, item.source, item.source_record, item.state) == (
        "督〔2026〕1号",
        Source.DOCUMENT,
        document,
        ItemState.ASSIGNED,
    )
    assert (item.classification, item.classification_basis) == (Level.CONFIDENTIAL, BASIS)
    assert (item.organ, item.supervising_unit, item.supervisor) == (bureau.organ, bureau.office, bureau.supervisor)
    assert (item.instructing_leader, item.opened_by) == (bureau.leader, bureau.leader)
    assert (item.title, item.requirement, item.due) == (
        document.title,
        "请预算处牵头、国库处配合，抓紧落实并报结果。",
        date(2026, 3, 31),
    )
    assert "测财发〔2026〕1号" in item.source_text
    [task] = item.tasks.all()
    assert (task.lead_unit, task.responsible_person, task.due) == (bureau.budget, bureau.budget_head, date(2026, 3, 31))
    assert [a.unit for a in task.assists.all()] == [bureau.treasury]


def test_without_a_time_limit_the_item_takes_a_documents_default(bureau, receive, advance, today):
    """GIVEN an ordinary document at 批示 on 2 March WHEN the 局长 supervises it with no time limit THEN
    the item and its task are due 1 April (30 days from a document), with normal priority."""
    instruct(bureau, advance(receive(), "instruction"))

    item = SupervisionItem.objects.get()
    assert (item.due, item.priority, item.tasks.get().due) == (date(2026, 4, 1), Priority.NORMAL, date(2026, 4, 1))


def test_the_units_the_leader_named_see_and_hold_the_item(bureau, receive, advance, today, settings):
    """GIVEN the supervised 秘密 item WHEN the people of the bureau look THEN 杨处长 has it among the tasks
    his unit leads, 朱处长 among the inputs his unit owes, 褚督查 sees it, and 何科员 (内部 clearance)
    sees nothing."""
    settings.SHUNIU_CLASSIFICATION_CEILING = Level.SECRET
    instruct(bureau, advance(receive(level=Level.CONFIDENTIAL, basis=BASIS), "instruction"), date(2026, 3, 31))
    item = SupervisionItem.objects.get()

    assert [t.item for t in selectors.my_tasks(user=bureau.budget_head.user)["lead"]] == [item]
    assert [t.item for t in selectors.my_tasks(user=bureau.treasury_head.user)["assist"]] == [item]
    assert list(selectors.items_visible(user=bureau.supervisor.user)) == [item]
    assert not selectors.items_visible(user=bureau.low_reader.user).exists()


def test_an_instruction_not_put_under_supervision_opens_nothing(bureau, receive, advance, today):
    """GIVEN a document at 批示 WHEN the 局长 instructs without 列入督办 THEN no item is opened."""
    document = advance(receive(), "instruction")

    incoming.incoming_instruct(
        actor=bureau.leader.user, document=document, instruction="请预算处办理。", lead_unit=bureau.budget
    )

    assert not SupervisionItem.objects.exists()
    assert services.items_from(document) == []

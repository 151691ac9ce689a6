from datetime import date

from office.reminders.models import Deadline
from supervision import selectors, services
from supervision.models import ItemState, Light, TaskState


def test_the_whole_line(city, open_item, split, today):
    item = open_item()
    assert item.number == "督〔2026〕1号"
    assert item.due == date(2026, 3, 17)  # 15 days for a normal instruction
    [task] = split(item, due=date(2026, 4, 30), milestones=[("完成方案", date(2026, 3, 20))])
    assert task.responsible_person == city.ndrc_head
    assert Deadline.objects.filter(state="open").count() == 4  # task, assist, milestone, monthly report
    services.send_input(actor=city.finance_head.user, task=task, unit=city.finance, text="资金已落实")
    services.report_progress(actor=city.ndrc_staff.user, task=task, text="方案已完成", percent=30,
                             milestone=task.milestones.get())
    services.report_progress(actor=city.ndrc_head.user, task=task, text="全部完成", final=True)
    task.refresh_from_db()
    assert task.state == TaskState.REVIEW
    services.review_task(actor=city.supervisor.user, task=task, accept=True, comment="同意")
    item.refresh_from_db()
    assert item.state == ItemState.DONE and item.done_on_time
    assert selectors.items_visible(user=city.leader.user).get().light == Light.NONE
    assert not selectors.items_visible(user=city.outsider.user).exists()


def test_extension_chain(city, open_item, split, today):
    item = open_item()
    [task] = split(item, due=date(2026, 4, 30))
    request = services.request_extension(actor=city.ndrc_staff.user, task=task, reason="征地未完成",
                                         new_due=date(2026, 5, 29), progress="完成60%")
    for person in (city.ndrc_head, city.supervisor2, city.leader):
        request = services.decide_extension(actor=person.user, request=request, approve=True)
    task.refresh_from_db()
    assert task.due == date(2026, 5, 29)
    assert request.state == "approved"
    assert selectors.items_visible(user=city.supervisor.user).get().light == Light.GREEN

"""进展反馈: a report meets the expected report (and the milestone it reaches); the cadence opens the
next one; percent and attachments are checked before anything is stored; only the lead unit
reports; the final report sends the task to the 督查员."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from office.reminders import services as reminders
from office.reminders.models import DeadlineState, Notification
from office.workflow import TransitionNotAllowed
from supervision import services
from supervision.models import Cadence, ProgressReport, ReportAttachment, ReportKind, TaskState
from tests.supervision.conftest import on

PDF = b"%PDF-1.4\n% progress\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def deadlines(subject, kind: str = "supervision") -> list[tuple]:
    return [
        (d.due_date, d.state, d.met_on_time)
        for d in sorted(reminders.deadlines_of(subject), key=lambda d: d.pk)
        if d.kind_id == kind
    ]


def test_reaching_a_milestone_meets_its_deadline(city, open_item, split, today):
    """GIVEN a task with milestones on 20 March and 10 April WHEN 孙科员 of 发改委 reports the first
    reached on 18 March at 30% THEN the milestone is reached that day, its Deadline met on time, the
    next expected report is the 2 April monthly one, and the 流转记录 names the milestone."""
    [task] = split(
        open_item(),
        due=date(2026, 4, 30),
        milestones=[("完成方案", date(2026, 3, 20)), ("开工建设", date(2026, 4, 10))],
    )
    first = task.milestones.get(title="完成方案")
    on(today, date(2026, 3, 18))

    report = services.task_report(actor=city.ndrc_staff.user, task=task, text="方案已完成", percent=30, milestone=first)

    first.refresh_from_db()
    task.refresh_from_db()
    assert (report.kind, report.percent, report.submitted_by) == (ReportKind.PROGRESS, 30, city.ndrc_staff)
    assert first.reached_on == date(2026, 3, 18)
    assert deadlines(first) == [(date(2026, 3, 20), DeadlineState.MET, True)]
    assert task.report_due == date(2026, 4, 10)  # the monthly report was met too; the next milestone stays
    assert task.events.last().comment == "节点完成：完成方案（30%）"


def test_a_milestone_is_reported_once_and_only_on_its_own_task(city, open_item, split, today):
    """GIVEN two tasks with a milestone each WHEN a report names the other task's milestone, or names
    its own milestone a second time THEN refused."""
    item = open_item()
    [task] = split(item, due=date(2026, 4, 30), milestones=[("完成方案", date(2026, 3, 20))])
    [other] = split(
        item,
        lead_unit=city.finance,
        assisting_units=[],
        due=date(2026, 4, 30),
        milestones=[("拨付资金", date(2026, 3, 25))],
    )
    milestone = task.milestones.get()

    with pytest.raises(ValidationError):
        services.task_report(actor=city.ndrc_head.user, task=task, text="x", milestone=other.milestones.get())
    services.task_report(actor=city.ndrc_head.user, task=task, text="方案已完成", milestone=milestone)
    with pytest.raises(ValidationError):
        services.task_report(actor=city.ndrc_head.user, task=task, text="再报一次", milestone=milestone)
    assert task.reports.count() == 1


def test_a_monthly_report_opens_the_next_one_a_month_later(city, open_item, split, today):
    """GIVEN a monthly task split on 2 March, due 30 June (first report due 2 April) WHEN 发改委
    reports on 20 March THEN the 2 April report is met on time and the next is due 20 April (a month
    after this report); WHEN it next reports late on 22 April THEN that one is met late and the next
    is due 22 May."""
    [task] = split(open_item(), due=date(2026, 6, 30))
    assert deadlines(task, "supervision-report") == [(date(2026, 4, 2), DeadlineState.OPEN, None)]

    on(today, date(2026, 3, 20))
    services.task_report(actor=city.ndrc_head.user, task=task, text="进展顺利", percent=20)
    task.refresh_from_db()
    assert deadlines(task, "supervision-report") == [
        (date(2026, 4, 2), DeadlineState.MET, True),
        (date(2026, 4, 20), DeadlineState.OPEN, None),
    ]
    assert task.report_due == date(2026, 4, 20)

    on(today, date(2026, 4, 22))
    services.task_report(actor=city.ndrc_head.user, task=task, text="继续推进", percent=50)
    task.refresh_from_db()
    assert deadlines(task, "supervision-report")[1:] == [
        (date(2026, 4, 20), DeadlineState.MET, False),
        (date(2026, 5, 22), DeadlineState.OPEN, None),
    ]
    assert task.report_due == date(2026, 5, 22)


def test_two_early_reports_do_not_excuse_the_unit_for_two_months(city, open_item, split, today):
    """GIVEN a monthly task due 30 June WHEN 发改委 reports on 3 and on 4 March THEN the next report is
    due 4 April, not two months on."""
    [task] = split(open_item(), due=date(2026, 6, 30))
    on(today, date(2026, 3, 3))
    services.task_report(actor=city.ndrc_head.user, task=task, text="启动", percent=5)
    on(today, date(2026, 3, 4))
    services.task_report(actor=city.ndrc_head.user, task=task, text="补充", percent=6)

    task.refresh_from_db()
    assert task.report_due == date(2026, 4, 7)  # 4 April is 清明 (4–6 April): the Deadline ends on the 7th


@pytest.mark.parametrize(
    ("cadence", "reports"),
    [
        (Cadence.QUARTERLY, [(date(2026, 6, 2), DeadlineState.OPEN, None)]),
        (Cadence.MILESTONE, []),
        (Cadence.FINAL, []),
    ],
)
def test_the_cadence_decides_which_reports_are_expected(city, open_item, split, today, cadence, reports):
    """GIVEN a task due 30 September WHEN the item reports quarterly THEN the first report is due 2
    June; per milestone or only at the end THEN no periodic report is expected."""
    [task] = split(open_item(cadence=cadence), due=date(2026, 9, 30))

    assert deadlines(task, "supervision-report") == reports


@pytest.mark.parametrize("percent", [-1, 101])
def test_percent_outside_0_to_100_is_refused(city, open_item, split, today, percent):
    """GIVEN a task WHEN a report gives ``percent`` THEN refused and no report is stored."""
    [task] = split(open_item(), due=date(2026, 4, 30))

    with pytest.raises(ValidationError) as refused:
        services.task_report(actor=city.ndrc_head.user, task=task, text="进展", percent=percent)

    assert "percent" in refused.value.message_dict
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("percent", [0, 100])
def test_percent_at_the_bounds_is_accepted(city, open_item, split, today, percent):
    """GIVEN a task WHEN a progress report gives 0% or 100% THEN it is stored with that figure."""
    [task] = split(open_item(), due=date(2026, 4, 30))

    report = services.task_report(actor=city.ndrc_head.user, task=task, text="进展", percent=percent)

    assert ProgressReport.objects.get().percent == report.percent == percent


def test_an_attachment_is_stored_with_the_report(city, open_item, split, today, tmp_path):
    """GIVEN a task WHEN 发改委 reports with a PDF THEN the report has it, with its name and size, and
    the file is on disk."""
    [task] = split(open_item(), due=date(2026, 4, 30))

    report = services.task_report(
        actor=city.ndrc_head.user,
        task=task,
        text="附方案",
        attachments=[SimpleUploadedFile("改造方案.pdf", PDF, content_type="application/pdf")],
    )

    [attachment] = report.attachments.all()
    assert (attachment.name, attachment.size, attachment.content_type) == ("改造方案.pdf", len(PDF), "application/pdf")
    assert attachment.file.read() == PDF
    assert list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", content_type="application/octet-stream"), "不支持"),
        (SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00", content_type="application/pdf"), "不支持"),
        (SimpleUploadedFile("大.pdf", PDF + b"x" * 2048, content_type="application/pdf"), "不能超过"),
    ],
)
def test_a_bad_attachment_refuses_the_report_and_stores_nothing(
    city, open_item, split, today, settings, tmp_path, upload, message
):
    """GIVEN an upload limit of 1 KB WHEN a report comes with an executable, a file that is not what
    its name says, or a 2 KB PDF THEN it is refused with the reason, and there is no report, no
    attachment and no file, and the expected report is still open."""
    settings.SHUNIU_MAX_UPLOAD_BYTES = 1024
    [task] = split(open_item(), due=date(2026, 4, 30))
    good = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        services.task_report(actor=city.ndrc_head.user, task=task, text="附件", attachments=[good, upload])

    assert message in str(refused.value.message_dict["attachments"])
    assert not ProgressReport.objects.exists() and not ReportAttachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert deadlines(task, "supervision-report") == [(date(2026, 4, 2), DeadlineState.OPEN, None)]


def test_only_the_lead_unit_reports(city, open_item, split, today):
    """GIVEN a task led by 发改委 with 财政局 assisting WHEN 周局长 (财政局), the 督查员 or 郑科员 (another
    city) report on it THEN each is refused; 孙科员 of 发改委 may."""
    [task] = split(open_item(), due=date(2026, 4, 30))

    for person in (city.finance_head, city.supervisor, city.outsider):
        with pytest.raises(PermissionDenied):
            services.task_report(actor=person.user, task=task, text="代为报送")
    assert not ProgressReport.objects.exists()

    services.task_report(actor=city.ndrc_staff.user, task=task, text="进展")
    assert ProgressReport.objects.count() == 1


def test_the_final_report_sends_the_task_to_the_supervisor(city, open_item, split, today):
    """GIVEN a task due 30 April with an unreached milestone and a monthly report expected WHEN 发改委
    sends its final report on 25 March THEN it is 待审核 submitted that day at 100%, the task's
    Deadline is met on time, the milestone and report deadlines are cancelled, the light's report
    date is cleared, the 督查员 is told, and no further report is accepted."""
    [task] = split(open_item(), due=date(2026, 4, 30), milestones=[("完成方案", date(2026, 4, 10))])
    on(today, date(2026, 3, 25))

    report = services.task_report(actor=city.ndrc_head.user, task=task, text="全部完成", final=True)

    task.refresh_from_db()
    assert (report.kind, report.percent) == (ReportKind.FINAL, 100)
    assert (task.state, task.submitted_on, task.report_due) == (TaskState.REVIEW, date(2026, 3, 25), None)
    assert deadlines(task) == [(date(2026, 4, 30), DeadlineState.MET, True)]
    assert deadlines(task, "supervision-report") == [(date(2026, 4, 2), DeadlineState.CANCELLED, None)]
    assert deadlines(task.milestones.get()) == [(date(2026, 4, 10), DeadlineState.CANCELLED, None)]
    assert Notification.objects.filter(recipient=city.supervisor.user, verb__contains="办结报告待审核").count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.task_report(actor=city.ndrc_head.user, task=task, text="补充")


def test_a_report_needs_text(city, open_item, split, today):
    """GIVEN a task WHEN a report has no text THEN refused and nothing is stored."""
    [task] = split(open_item(), due=date(2026, 4, 30))

    with pytest.raises(ValidationError):
        services.task_report(actor=city.ndrc_head.user, task=task, text="  ", final=True)

    task.refresh_from_db()
    assert task.state == TaskState.ASSIGNED and not ProgressReport.objects.exists()
    assert not Notification.objects.filter(recipient=city.supervisor.user).exists()

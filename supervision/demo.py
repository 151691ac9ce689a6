"""The demo office's 督查督办: 督查科 as the supervising unit, and items from every source and in
every state, each opened, split, reported, reviewed, extended or cancelled through the services by
the people whose step it is, on its day (``office.demo.as_of``)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from office import demo
from office.confidentiality.levels import Level
from office.reminders.models import DeadlineKind
from office.workdays.services import PeriodUnit, due_date
from supervision import selectors, services
from supervision.models import ExtensionRequest, ExtensionState, SupervisionItem, TaskState


@dataclass(frozen=True)
class Step:
    """One action on a demo supervision task, ``day`` days from today (negative: in the past), by
    ``by``: ``input`` (an assisting unit's 协办意见), ``report`` (进展反馈, of a milestone when
    named), ``final`` (办结报告; one its writer cannot sign for the unit is signed and sent on by the
    lead unit's head the same day, unless it ``waits``), ``accept`` (审结), ``return`` (退回重办 until ``new_due``),
    ``extend`` (延期申请 to ``new_due``) and ``approve`` (the next step of the chain)."""

    day: int
    action: str
    by: str
    text: str = ""
    percent: int | None = None
    unit: str = ""  # input: the assisting unit
    milestone: str = ""  # report: the milestone reached
    new_due: int | None = None  # return, extend: days from today
    progress: str = ""  # extend: the progress so far
    waits: bool = False  # final by a 科员: left waiting for the unit head's 审签 (else signed that day)


REPORTED_ITEM = "城东安置小区房屋渗漏问题"  # the subject of the demo 督查专报 (opened from 临信〔2026〕118号)
SOON = 999  # a due date within 3 working days of today: the yellow light's boundary


@dataclass(frozen=True)
class DemoTask:
    """A task of the split: ``lead`` answers for it by ``due`` (days from today; the item's if None)."""

    lead: str
    title: str = ""
    due: int | None = None
    assisting: tuple[str, ...] = ()
    responsible: str = ""  # the lead unit's head if empty
    milestones: tuple[tuple[str, int], ...] = ()
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class DemoItem:
    """A supervised item, opened ``opened`` days from today by ``opener`` (a 督查员) and split at
    once; its tasks' steps then happen on their days. Dates are relative to today, so on whatever
    day the demo is loaded some tasks are overdue (red), some due soon or missing a report (yellow)."""

    title: str
    requirement: str
    source: str
    opened: int
    due: int | None  # the source's default period if None
    tasks: tuple[DemoTask, ...] = ()  # none: 已立项, waiting to be split
    source_text: str = ""
    leader: str = ""
    opener: str = "supervisor"
    priority: str = "normal"
    cadence: str = "final"
    level: Level = Level.INTERNAL
    basis: str = ""
    cancel: tuple[int, str, str] = ()  # (day, by, reason)
    follow_up: tuple[tuple[int, str, str, str], ...] = ()  # (day, "chase" or "instruct", by, text)


DEMO_ITEMS = [
    DemoItem(
        "开展汛前水库堤防和在建工程隐患排查整改",
        "4月30日前完成全市水库、堤防和在建工程汛前隐患排查，隐患整改销号率达到100%。",
        "meeting",
        opened=-40,
        due=-10,
        source_text="市政府第12次常务会议纪要第二项",
        leader="director",
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                "在建工程汛前隐患排查整改",
                assisting=("LJ-FGJ",),
                responsible="zjj_jz_chief",
                steps=(
                    Step(-30, "input", "fgj_tz_chief", "已提供全市在建重大项目清单46个。", unit="LJ-FGJ"),
                    Step(-13, "final", "zjj_jz_chief", "排查在建工程46个，发现隐患58处，已全部整改销号。"),
                    Step(-12, "accept", "supervisor", "整改到位，同意审结。"),
                ),
            ),
            DemoTask(
                "LJ-FGJ",
                "重大项目工地防汛隐患排查",
                responsible="fgj_tz_chief",
                steps=(
                    Step(-15, "final", "fgj_tz_chief", "12个重大项目工地完成防汛隐患排查，落实应急物资和值守人员。"),
                    Step(-14, "accept", "supervisor", "同意审结。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "江东省审计厅反馈政府投资项目审计问题整改",
        "对审计反馈的9个问题逐项整改，追回违规资金，建立长效机制，整改情况报省审计厅。",
        "superior",
        opened=-40,
        due=-20,
        source_text="江东省审计厅审计整改通知（江东审整〔2026〕3号）",
        leader="secretary_general",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                assisting=("LJ-CZJ",),
                responsible="fgj_tz_chief",
                steps=(
                    Step(-30, "input", "czj_director", "已核实违规拨付资金1260万元，提出追回方案。", unit="LJ-CZJ"),
                    Step(-17, "final", "fgj_tz_chief", "9个问题已全部整改，追回资金1260万元，修订投资项目管理办法。"),
                    Step(-16, "accept", "supervisor", "已整改到位，但超出整改时限，予以审结并计入逾期。"),
                ),
            ),
            DemoTask(
                "LJ-CZJ",
                "追回违规拨付资金",
                responsible="czj_ys_chief",
                steps=(
                    Step(-22, "final", "czj_ys_chief", "违规拨付资金1260万元已全部追回并上缴国库。"),
                    Step(-21, "accept", "supervisor", "资金已追回，同意审结。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "市人大代表建议第45号：加快建设城乡冷链物流体系",
        "研究代表建议，提出冷链物流设施建设项目和资金安排，办理前与代表沟通，3个月内书面答复。",
        "proposal",
        opened=-40,
        due=-12,
        source_text="市十七届人大五次会议第45号建议（领衔代表：陈国栋）",
        leader="vice_mayor",
        tasks=(
            DemoTask(
                "LJ-SWJ",
                assisting=("LJ-FGJ",),
                responsible="swj_sc_chief",
                steps=(
                    Step(-25, "input", "fgj_tz_chief", "冷链物流园项目已列入市重点项目储备库。", unit="LJ-FGJ"),
                    Step(-14, "final", "swj_sc_chief", "已书面答复代表，代表表示基本满意。"),
                    Step(
                        -13,
                        "return",
                        "supervisor",
                        "答复未附冷链物流项目清单和资金安排，请补充完善，并再次征求代表意见后重新报送。",
                        new_due=20,
                    ),
                ),
            ),
        ),
    ),
    DemoItem(
        "城镇燃气安全专项整治",
        "完成燃气经营企业和餐饮等人员密集场所燃气安全隐患排查整治，每月报送整治进展。",
        "superior",
        opened=-40,
        due=50,
        source_text="江东省人民政府督查室交办（江东督办〔2026〕23号）",
        leader="vice_mayor",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                assisting=("LJ-SWJ",),
                responsible="zjj_cj_chief",
                steps=(Step(-25, "input", "swj_sc_chief", "已督促全市餐饮企业开展燃气安全自查。", unit="LJ-SWJ"),),
            ),
        ),
    ),
    DemoItem(
        "市政协提案第112号：加快推进既有住宅加装电梯",
        "简化加装电梯审批流程，落实补助资金，年内完成加装电梯80部，答复提案人。",
        "proposal",
        opened=-38,
        due=-10,
        source_text="市政协十二届五次会议第112号提案（提案人：林晓）",
        leader="vice_mayor",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                assisting=("LJ-CZJ",),
                responsible="zjj_cj_chief",
                steps=(
                    Step(-20, "input", "czj_ys_chief", "市财政已安排加装电梯补助资金800万元。", unit="LJ-CZJ"),
                    Step(-14, "report", "zjj_cj_chief", "已完成加装电梯62部，正与提案人沟通答复意见。", percent=70),
                ),
            ),
        ),
    ),
    DemoItem(
        "落实《临江市优化营商环境若干措施》",
        "各项措施分解到责任单位，压减企业开办时间至1个工作日以内，按月报送落实进展。",
        "meeting",
        opened=-35,
        due=40,
        source_text="市政府第12次常务会议纪要第一项",
        leader="director",
        cadence="monthly",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                "制定落实方案并组织实施",
                assisting=("LJ-SWJ", "LJ-CZJ"),
                responsible="fgj_gh_chief",
                steps=(
                    Step(-20, "input", "swj_director", "已梳理外贸企业诉求12条，建议纳入落实方案。", unit="LJ-SWJ"),
                    Step(-6, "report", "fgj_gh_chief", "已印发落实方案，分解任务36项，完成11项。", percent=40),
                ),
            ),
            DemoTask(
                "LJ-SWJ",
                "压减企业开办时间至1个工作日以内",
                due=25,
                responsible="staff",
                steps=(
                    Step(-4, "report", "staff", "已会同市场监管部门梳理开办流程，拟合并3个环节。", percent=60),
                    # A 科员's 办结报告, waiting for 商务局局长's 审签 before it goes to the 督查员.
                    Step(
                        -1,
                        "final",
                        "staff",
                        "企业开办已压减至1个工作日，名称申报、设立登记、刻章3个环节合并办理。",
                        waits=True,
                    ),
                ),
            ),
        ),
    ),
    DemoItem(
        REPORTED_ITEM,
        "逐户排查渗漏情况，完成维修并回访群众，群众满意后书面答复信访人。",
        "petition",
        opened=-35,
        due=-12,  # ten days or more: past even when a long holiday ended just before today
        source_text="联名信访件（临信〔2026〕118号）",
        leader="vice_mayor",
        cadence="milestone",
        follow_up=(
            (-5, "chase", "supervisor", "该事项已逾期，请于3个工作日内报送维修进展并说明逾期原因。"),
            (-4, "instruct", "vice_mayor", "群众利益无小事，请住建局抓紧维修，雨季前全部完成并回访到位。"),
        ),
        tasks=(
            DemoTask(
                "LJ-ZJJ",
                responsible="zjj_jz_chief",
                milestones=(("完成入户排查并制定维修方案", -25), ("完成维修并组织回访", -13)),
                steps=(
                    Step(
                        -26,
                        "report",
                        "zjj_jz_chief",
                        "已入户排查312户，其中渗漏89户，维修方案已报审。",
                        percent=30,
                        milestone="完成入户排查并制定维修方案",
                    ),
                ),
            ),
        ),
    ),
    DemoItem(
        "综合保税区申报前期工作",
        "完成区位论证、规划方案和申报材料，按程序报省政府。",
        "instruction",
        opened=-30,
        due=5,
        source_text="张卫东副市长在《关于申请设立临江综合保税区的请示》上的批示",
        leader="vice_mayor",
        cadence="milestone",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                responsible="fgj_tz_chief",
                milestones=(("完成区位论证和规划方案", -10), ("完成申报材料初稿", 3)),
                steps=(
                    Step(
                        -11,
                        "report",
                        "fgj_tz_chief",
                        "区位论证和规划方案已完成，报市政府审定。",
                        percent=40,
                        milestone="完成区位论证和规划方案",
                    ),
                    Step(
                        -8,
                        "extend",
                        "fgj_tz_chief",
                        "海关总署调整综合保税区设立评估要求，需补充产业发展专题论证。",
                        new_due=30,
                        progress="区位论证和规划方案已完成，申报材料正在编制。",
                    ),
                    Step(-7, "approve", "fgj_director", "同意。"),
                    Step(-6, "approve", "supervisor", "理由充分，同意。"),
                    Step(-5, "approve", "vice_mayor", "同意延期，请抓紧推进。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "深化预算绩效管理改革",
        "完成市级部门整体支出绩效目标审核，开展重点项目绩效评价，结果与预算安排挂钩。",
        "instruction",
        opened=-25,
        due=6,
        source_text="李明华市长在《2026年预算执行情况报告》上的批示",
        leader="director",
        tasks=(
            DemoTask(
                "LJ-CZJ",
                responsible="czj_ys_chief",
                steps=(
                    Step(-10, "report", "czj_ys_chief", "已完成32个部门整体支出绩效目标审核。", percent=50),
                    Step(
                        -2,
                        "extend",
                        "czj_ys_chief",
                        "需待省财政厅印发绩效评价指标体系后统一开展评价。",
                        new_due=40,
                        progress="绩效目标审核已完成，重点项目评价待指标体系印发后开展。",
                    ),
                    Step(-2, "approve", "czj_director", "同意。"),
                    Step(-1, "approve", "supervisor", "同意，报市长审批。"),
                ),
            ),
        ),
    ),
    DemoItem(
        "研究提出优化政务服务提升行政效能的落实措施",
        "结合我市实际提出落实措施，形成实施方案送审稿。",
        "document",
        opened=-20,
        due=10,
        source_text="国务院办公厅关于进一步优化政务服务提升行政效能的意见（国办发〔2026〕5号）",
        leader="director",
        tasks=(
            DemoTask(
                "LJ-FGJ",
                responsible="fgj_office",
                steps=(
                    Step(
                        -1,
                        "final",
                        "fgj_office",
                        "已研究提出落实措施20条，形成《临江市优化政务服务提升行政效能实施方案（送审稿）》。",
                    ),
                ),
            ),
        ),
    ),
    DemoItem(
        "全市重点项目布局调整方案落实",
        "按调整方案做好综合保税区备选用地和先进制造业集聚区的规划衔接，每季度报送进展。",
        "instruction",
        opened=-20,
        due=90,
        source_text="李明华市长批示",
        leader="director",
        opener="dc_chief",
        cadence="quarterly",
        level=Level.SECRET,
        basis="国家秘密及其密级具体范围（发展改革）第3项",
        tasks=(DemoTask("LJ-FGJ", responsible="fgj_director"),),
    ),
    DemoItem(
        "筹办临江国际马拉松赛",
        "制定赛事方案，落实赛道、安保和医疗保障。",
        "instruction",
        opened=-15,
        due=30,
        source_text="张卫东副市长批示",
        leader="vice_mayor",
        tasks=(DemoTask("LJ-ZJJ", assisting=("LJ-SWJ",), responsible="zjj_cj_chief"),),
        cancel=(-5, "vice_mayor", "赛事经市政府研究延期至明年举办，本事项撤销。"),
    ),
    DemoItem(
        "招商引资重大项目签约推进",
        "按谈判方案推进重大项目签约，严格控制知悉范围，按节点报送进展。",
        "instruction",
        opened=-10,
        due=20,
        source_text="李明华市长批示",
        leader="director",
        cadence="milestone",
        level=Level.CONFIDENTIAL,
        basis="商务工作国家秘密范围",
        tasks=(
            DemoTask(
                "LJ-SWJ",
                responsible="swj_my_chief",
                milestones=(("完成项目框架协议谈判", 8),),
                steps=(Step(-3, "report", "swj_my_chief", "已与投资方完成第三轮谈判。", percent=40),),
            ),
        ),
    ),
    DemoItem(
        "强降雨期间生活必需品市场保供",
        "启动重要民生商品日监测，确保粮油、蔬菜、肉蛋奶供应充足、价格基本稳定。",
        "instruction",
        opened=-2,
        due=SOON,
        source_text="李明华市长在《强降雨天气防范应对情况专报》上的批示",
        leader="director",
        priority="urgent",
        tasks=(
            DemoTask(
                "LJ-SWJ",
                responsible="staff",
                steps=(Step(-1, "report", "staff", "已启动重要民生商品日监测，储备蔬菜300吨。", percent=50),),
            ),
        ),
    ),
    DemoItem(
        "加快推进城市更新行动",
        "梳理全市城市更新片区，提出2027年度实施计划和资金平衡方案，报市政府常务会议审议。",
        "instruction",
        opened=0,
        due=None,
        source_text="张卫东副市长在《城市更新工作情况汇报》上的批示",
        leader="vice_mayor",
    ),
]


def seed(context: demo.DemoContext) -> None:
    """督查科 supervises: items are opened there, and very overdue tasks and reports are escalated
    to it (the 督查督办 deadline kinds' supervising unit). Then the items, oldest first so that the
    督办编号 follow the days they were opened. (The mayor's 批示 列入督办 on an incoming document,
    ``documents.incoming.demo``, opens one more, today.) Items already there are skipped, and so are
    classified ones above the deployment's ceiling (an item's requirement is content)."""
    # Written directly: deadline kinds are reference data that administrators set in the admin
    # (office.reminders.services has no action for them).
    DeadlineKind.objects.filter(code__in=["supervision", "supervision-report"], supervising_unit=None).update(
        supervising_unit=context.units["LJ-BGS-DC"]
    )
    titles = [spec.title for spec in DEMO_ITEMS]
    existing = set(SupervisionItem.objects.filter(title__in=titles).values_list("title", flat=True))
    today = timezone.localdate()
    for spec in DEMO_ITEMS:
        if spec.title not in existing and spec.level <= settings.SHUNIU_CLASSIFICATION_CEILING:
            _walk(spec, today, context)


def _walk(spec: DemoItem, today: date, context: demo.DemoContext) -> None:
    units, people = context.units, context.people

    def day(offset: int) -> date:
        return selectors.soon_after(today) if offset == SOON else today + timedelta(days=offset)

    # 督办 of another app's record (the 副市长's 批示 on a 信访事项): that app opens the item, linked to
    # its record as the source (``demo.open_items_from``).
    opener = demo.ITEM_OPENERS.get(spec.title)
    with demo.as_of(spec.opened):
        if opener is not None:
            item = opener(
                context,
                leader=people[spec.leader].user,
                requirement=spec.requirement,
                due=day(spec.due),
                cadence=spec.cadence,
            )
        else:
            item = services.item_open(
                actor=people[spec.opener].user,
                title=spec.title,
                requirement=spec.requirement,
                source=spec.source,
                source_text=spec.source_text,
                instructing_leader=people[spec.leader] if spec.leader else None,
                priority=spec.priority,
                cadence=spec.cadence,
                due=None if spec.due is None else day(spec.due),
                level=spec.level,
                basis=spec.basis,
            )
        if not spec.tasks:
            return
        tasks = services.item_split(
            actor=people[spec.opener].user,
            item=item,
            tasks=[
                services.TaskSpec(
                    lead_unit=units[task.lead],
                    title=task.title,
                    assisting_units=[units[code] for code in task.assisting],
                    responsible_person=people[task.responsible] if task.responsible else None,
                    due=None if task.due is None else day(task.due),
                    milestones=[(title, day(offset)) for title, offset in task.milestones],
                )
                for task in spec.tasks
            ],
        )
    steps = sorted(
        ((step, task) for task, task_spec in zip(tasks, spec.tasks, strict=True) for step in task_spec.steps),
        key=lambda pair: pair[0].day,
    )
    for step, task in steps:
        actor = people[step.by].user
        with demo.as_of(step.day):
            if step.action == "input":
                services.task_send_input(actor=actor, task=task, unit=units[step.unit], text=step.text)
            elif step.action in ("report", "final"):
                report = services.task_report(
                    actor=actor,
                    task=task,
                    text=step.text,
                    percent=step.percent,
                    milestone=task.milestones.get(title=step.milestone) if step.milestone else None,
                    final=step.action == "final",
                )
                if report.task.state == TaskState.SIGNOFF and not step.waits:
                    services.task_sign_off(
                        actor=task.lead_unit.head.user, task=task, forward=True, comment="同意，转报督查员。"
                    )
            elif step.action in ("accept", "return"):
                services.task_review(
                    actor=actor,
                    task=task,
                    accept=step.action == "accept",
                    comment=step.text if step.action == "accept" else "",
                    missing=step.text if step.action == "return" else "",
                    new_due=day(step.new_due) if step.new_due is not None else None,
                )
            elif step.action == "extend":
                # A calendar period ending on a rest day rolls to the next working day when approved;
                # ask for the day it will be, as a person reading the calendar would.
                new_due = due_date(today, step.new_due, PeriodUnit.CALENDAR_DAYS).due_date
                services.extension_request(
                    actor=actor, task=task, reason=step.text, new_due=new_due, progress=step.progress
                )
            elif step.action == "approve":
                request = ExtensionRequest.objects.get(task=task, state=ExtensionState.PENDING)
                services.extension_decide(actor=actor, request=request, approve=True, comment=step.text)
            else:
                raise CommandError(f"unknown demo step {step.action!r}")
    for offset, kind, by, text in spec.follow_up:  # 催办 and 领导批示, after the work they press
        with demo.as_of(offset):
            follow = services.item_chase if kind == "chase" else services.item_instruct
            follow(actor=people[by].user, item=item, text=text)
    if spec.cancel:
        offset, by, reason = spec.cancel
        with demo.as_of(offset):
            services.item_cancel(actor=people[by].user, item=item, reason=reason)

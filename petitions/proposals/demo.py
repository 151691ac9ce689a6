"""The demo office's 建议提案: the 督查科 (LJ-BGS-DC) imports the 市十七届人大五次会议's 代表建议 and the
市十届政协四次会议's 政协提案 and assigns them to the bureaus (发改局, 商务局, 财政局, 住建局), whose
联络员 answer them; each item is walked through ``petitions.proposals.services`` on its day
(``office.demo.as_of``) to: 待交办, 主办会办 (会办意见 given), 分办, a pending 调整申请, a 重点 item
with its 领办领导 answered A, rated 满意 and 办结, a B answer under 督办, a 不满意 in 二次办理 and one
past its three months. Every 答复件 is a 函 walked through ``documents`` (核稿, 签发, 登记).

Dates are relative to today. The sessions already there (by name) are skipped: a second run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from documents.models import DocumentSeries
from documents.models import DocumentState as D
from documents.outgoing import services as documents
from office import demo
from petitions.proposals import services
from petitions.proposals.models import (
    Body,
    ContactMethod,
    Mode,
    Proposal,
    ProposalKind,
    ProposalSession,
    Satisfaction,
)

SUPERVISOR = "supervisor"

# Each bureau's 联络员 (who answers), and the letter series its 答复件 is drafted in with who 核稿,
# 签发 and 登记 it. 商务局 answers nothing in the demo and gets no series: its 科员 ``staff`` is the
# demo's bureau handler who may draft no 发文 (tests/platform/test_navigation.py).
BUREAUS = {
    "LJ-FGJ": ("fgj_tz_chief", "临发改函", "临江市发展和改革局", "LJ-FGJ-BGS", "fgj_office", "fgj_director"),
    "LJ-SWJ": ("swj_sc_chief", None, "临江市商务局", "LJ-SWJ-BGS", "swj_office", "swj_director"),
    "LJ-CZJ": ("czj_ys_chief", "临财函", "临江市财政局", "LJ-CZJ-BGS", "czj_office", "czj_director"),
    "LJ-ZJJ": ("zjj_cj_chief", "临建函", "临江市住房和城乡建设局", "LJ-ZJJ-BGS", "zjj_office", "zjj_director"),
}

NPC = ("市十七届人大五次会议", Body.NPC, "市人大常委会选联工委", ProposalKind.DEPUTY)
CPPCC = ("市十届政协四次会议", Body.CPPCC, "市政协提案委", ProposalKind.CPPCC)
IMPORTED_ON = -110  # the sessions' 提出日期; imported five days later


@dataclass(frozen=True)
class Step:
    day: int
    action: str
    unit: str = ""
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    number: str
    title: str
    content: str
    lead_proposer: str
    delegation: str
    steps: tuple[Step, ...] = ()
    co_signers: tuple[tuple[str, str], ...] = (("李晓梅", "城东代表团"),)


def answer(day: int, unit: str, code: str = "A", promised: int | None = None) -> tuple[Step, ...]:
    """沟通联系 ten days before, the 答复件 signed and registered on ``day``, sent two days later."""
    return (
        Step(day - 10, "contact", unit),
        Step(day, "reply", unit, {"code": code, "promised": promised}),
        Step(day + 2, "send", unit),
    )


NPC_ITEMS = [
    Item(
        "0101",
        "关于加快城西片区公共停车场建设的建议",
        "城西片区停车位缺口大，建议利用边角地建设立体停车场，并开放机关单位夜间停车。",
        "陈国平",
        "城西代表团",
    ),
    Item(
        "0102",
        "关于推进老旧小区加装电梯的建议",
        "建议简化加装电梯审批流程，提高财政补助标准，推动低楼层住户协商。",
        "王淑芬",
        "城东代表团",
        (
            Step(-60, "assign", args={"lead": "LJ-ZJJ", "assist": ["LJ-CZJ"]}),
            Step(-45, "opinion", "LJ-CZJ", {"text": "财政局拟在年度预算中安排加装电梯补助资金，建议主办单位统筹。"}),
        ),
    ),
    Item(
        "0103",
        "关于支持临江港口物流园区发展的建议",
        "建议统筹港口物流园区规划与招商，落实用地和扶持政策。",
        "刘海涛",
        "港区代表团",
        (
            Step(-50, "assign", args={"split": ["LJ-FGJ", "LJ-SWJ"]}),
            Step(-40, "contact", "LJ-SWJ"),
        ),
    ),
    Item(
        "0104",
        "关于实施城东片区重大项目建设提速的建议",
        "城东片区重大项目前期手续办理慢，建议建立重大项目联审联批机制。",
        "赵德明",
        "城东代表团",
        (
            Step(-80, "assign", args={"lead": "LJ-FGJ", "key": True}),
            *answer(-55, "LJ-FGJ"),
            Step(-45, "rate", "LJ-FGJ", {"satisfaction": Satisfaction.SATISFIED}),
            Step(-45, "close"),
        ),
    ),
    Item(
        "0105",
        "关于加大中小微企业融资担保支持的建议",
        "建议扩大政府性融资担保规模，降低担保费率，设立风险补偿资金。",
        "孙立军",
        "经济界代表团",
        (Step(-75, "assign", args={"lead": "LJ-CZJ"}), *answer(-46, "LJ-CZJ", "B", promised=90)),
    ),
    Item(
        "0106",
        "关于规范商品房预售资金监管的建议",
        "部分楼盘预售资金被挪用，建议严格重点监管额度，定期公开监管情况。",
        "周建华",
        "城西代表团",
        (
            Step(-70, "assign", args={"lead": "LJ-ZJJ"}),
            *answer(-42, "LJ-ZJJ"),
            Step(-32, "rate", "LJ-ZJJ", {"satisfaction": Satisfaction.UNSATISFIED, "note": "预售资金问题仍未解决。"}),
        ),
    ),
]

CPPCC_ITEMS = [
    Item(
        "1001",
        "关于发展夜间经济提升城市活力的提案",
        "建议规划夜间经济集聚区，完善配套公共服务，延长公共交通运营时间。",
        "民盟临江市委员会",
        "民盟界别",
        co_signers=(),
    ),
    Item(
        "1002",
        "关于促进外贸企业开拓新兴市场的提案",
        "建议组织企业参加境外展会，加大出口信用保险支持。",
        "黄志远",
        "经济界别",
        (
            Step(-3, "assign", args={"lead": "LJ-CZJ"}),
            Step(-2, "adjust", "LJ-CZJ", {"reason": "该提案主要涉及外贸促进，属商务局职责。", "suggested": "市商务局"}),
        ),
        (("郑敏", "经济界别"),),
    ),
    Item(
        "1003",
        "关于完善社区商业网点布局的提案",
        "新建小区商业配套不足，建议编制社区商业网点规划，保障便民服务设施用房。",
        "许丽娟",
        "工商联界别",
        (Step(-100, "assign", args={"lead": "LJ-SWJ"}), Step(-85, "contact", "LJ-SWJ")),
        (("吴志强", "工商联界别"),),
    ),
]


def seed(context: demo.DemoContext) -> None:
    """The bureaus' letter series and 联络员, then each session imported and its items walked."""
    _reference(context)
    for session_spec, items in ((NPC, NPC_ITEMS), (CPPCC, CPPCC_ITEMS)):
        if ProposalSession.objects.filter(name=session_spec[0]).exists():
            continue
        _session(session_spec, items, context)


def _reference(context: demo.DemoContext) -> None:
    units, people = context.units, context.people
    # Written directly, as ``petitions.demo`` does: series are reference data kept in the admin.
    for unit_code, (liaison, code, issuer, office, *_rest) in BUREAUS.items():
        if code and not DocumentSeries.objects.filter(code=code).exists():
            series = DocumentSeries(
                code=code, organ=units[unit_code], office=units[office], issuer_name=issuer, template="letter"
            )
            series.full_clean()
            series.save()
        services.liaison_set(
            actor=people[SUPERVISOR].user, unit=units[unit_code], person=people[liaison], phone=people[liaison].phone
        )


def _session(spec, items: list[Item], context: demo.DemoContext) -> None:
    name, body, recipient, kind = spec
    people = context.people
    today = timezone.localdate()
    submitted = today + timedelta(days=IMPORTED_ON)
    actor = people[SUPERVISOR].user
    with demo.as_of(IMPORTED_ON + 5):
        session = services.session_create(
            actor=actor, body=body, name=name, year=submitted.year, recipient_office=recipient
        )
        services.proposals_import(
            actor=actor,
            session=session,
            rows=[
                {
                    "kind": kind,
                    "number": item.number,
                    "title": item.title,
                    "content": item.content,
                    "lead_proposer": item.lead_proposer,
                    "delegation": item.delegation,
                    "submitted_on": submitted,
                    "co_signers": [{"name": n, "delegation": d} for n, d in item.co_signers],
                }
                for item in items
            ],
        )
    for item in items:
        for step in item.steps:
            with demo.as_of(step.day):
                proposal = Proposal.objects.get(session=session, number=item.number)
                _act(proposal, step, context)


def _act(proposal: Proposal, step: Step, context: demo.DemoContext) -> None:
    units, people = context.units, context.people
    office = people[SUPERVISOR].user
    on = timezone.localdate()
    args = step.args
    answerer = people[BUREAUS[step.unit][0]].user if step.unit else None
    if step.action == "assign":
        key = args.get("key", False)
        services.proposal_assign(
            actor=office,
            proposal=proposal,
            mode=Mode.SPLIT if "split" in args else Mode.LEAD,
            lead_unit=units[args["lead"]] if "lead" in args else None,
            assist_units=[units[u] for u in args.get("assist", ())],
            split_units=[units[u] for u in args.get("split", ())],
            key=key,
            leading_leader=people["vice_mayor"] if key else None,
            on=on,
        )
    elif step.action == "opinion":
        services.proposal_assist_opinion(actor=answerer, proposal=proposal, text=args["text"])
    elif step.action == "adjust":
        services.proposal_adjust_request(
            actor=answerer, proposal=proposal, reason=args["reason"], suggested_unit=args["suggested"]
        )
    elif step.action == "contact":
        services.proposal_contact(
            actor=answerer,
            proposal=proposal,
            method=ContactMethod.PHONE,
            on=on,
            people=f"{people[BUREAUS[step.unit][0]].name}、{proposal.lead_proposer}",
            view="赞同办理思路，希望尽快落实。",
        )
    elif step.action == "reply":
        _reply(proposal, step, context)
    elif step.action == "send":
        services.proposal_send(actor=answerer, proposal=proposal, on=on)
    elif step.action == "rate":
        share = proposal.assignments.exclude(state="withdrawn").get(unit=units[step.unit])
        services.proposal_rate(
            actor=office,
            proposal=proposal,
            share=share,
            satisfaction=args["satisfaction"],
            on=on,
            note=args.get("note", ""),
        )
    elif step.action == "close":
        services.proposal_close(actor=office, proposal=proposal)
    else:
        raise ValueError(f"unknown proposal demo step {step.action!r}")


REPLIES = {
    "A": "经研究，所提建议已采纳，相关措施已落实到位，问题已基本解决。",
    "B": "所提建议已列入年度工作计划，正在会同有关部门推进，预计年内落实。",
}


def _reply(proposal: Proposal, step: Step, context: demo.DemoContext) -> None:
    """The 答复件, a 函 of the bureau walked through 核稿, 签发 and 登记 the same day."""
    people = context.people
    liaison, code, _issuer, _office, registrar, signer = BUREAUS[step.unit]
    promised = step.args.get("promised")
    share = services.proposal_reply(
        actor=people[liaison].user,
        proposal=proposal,
        result_code=step.args["code"],
        text=REPLIES[step.args["code"]],
        series=DocumentSeries.objects.get(code=code),
        promised_on=timezone.localdate() + timedelta(days=promised) if promised else None,
    )
    document = documents.outgoing_submit(actor=people[liaison].user, document=share.document, comment="请核稿")
    document = documents.outgoing_review(
        actor=people[registrar].user, document=document, approve=True, comment="内容、格式已审核"
    )
    if document.state == D.SIGNOFF:
        document = documents.outgoing_sign(actor=people[signer].user, document=document, approve=True, opinion="同意")
    if document.state == D.RECHECK:
        documents.outgoing_register(actor=people[registrar].user, document=document)

"""Statutory presets: each procedure's clock as the regulation sets it, in one table.

A preset names the procedure (信访事项分流, 受理告知, 办理, 复查 …), its period (amount and unit), the
deadline kind that carries its extension cap and reminder stages, the provision it comes from (cited
in every derivation, with 《民法典》 §201–203 on counting: the start day is not counted, a period in
日 ending on a rest day runs to the next working day) and what may stop it. Domain flows open their
clocks through ``open_preset`` and never restate a number; the kinds are created from this table
after every migrate (``defaults.ensure_default_kinds``).

Article numbers are cited only where checked against the official text; the others name the
regulation and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from office.workdays.services import PeriodUnit

DAYS, WORKING_DAYS, MONTHS = PeriodUnit.CALENDAR_DAYS, PeriodUnit.WORKING_DAYS, PeriodUnit.MONTHS

PETITION_RULES = "《信访工作条例》"  # 2022年5月1日起施行
DISCLOSURE_RULES = "《政府信息公开条例》"  # 2019年修订
PROPOSAL_RULES = "《全国人民代表大会和地方各级人民代表大会代表法》及政协提案工作条例"


@dataclass(frozen=True)
class Kind:
    """A deadline kind a preset opens: its extension rule and escalation (``DeadlineKind``)."""

    code: str
    name: str
    max_extensions: int
    cap: int | None
    cap_unit: str
    very_overdue_after: int
    basis: str


@dataclass(frozen=True)
class Preset:
    code: str
    name: str
    kind: str
    amount: int
    unit: str
    basis: str
    counted_from: str  # the day the period starts from, in words (the start day itself is not counted)
    suspended_by: tuple[str, ...] = ()  # what stops the clock (a Suspension), in words

    @property
    def period(self) -> str:
        """As Chinese writes it: 15日, 5个工作日, 3个月."""
        from office.reminders.clock import amount_unit

        return f"{self.amount}{amount_unit(self.unit)}"


KINDS = [
    Kind("petition-route", _("信访事项分流"), 0, None, DAYS, 3, f"{PETITION_RULES}：登记后15日内分别处理"),
    Kind(
        "petition-accept",
        _("信访受理告知"),
        0,
        None,
        DAYS,
        3,
        f"{PETITION_RULES}：收到转送、交办事项15日内书面告知是否受理",
    ),
    Kind(
        "petition-object",
        _("信访异议"),
        0,
        None,
        WORKING_DAYS,
        2,
        f"{PETITION_RULES}：不属本机关职权的，5个工作日内告知转交机关",
    ),
    Kind("petition", _("信访办理"), 1, 30, DAYS, 5, f"{PETITION_RULES}第三十二条"),
    Kind(
        "petition-review",
        _("信访复查复核"),
        0,
        None,
        DAYS,
        5,
        f"{PETITION_RULES}：收到复查、复核请求30日内提出意见，听证时间不计入",
    ),
    Kind("disclosure", _("依申请公开答复"), 1, 20, WORKING_DAYS, 3, f"{DISCLOSURE_RULES}第三十三条"),
    Kind(
        "disclosure-correction",
        _("依申请公开补正告知"),
        0,
        None,
        WORKING_DAYS,
        2,
        f"{DISCLOSURE_RULES}：申请内容不明确的，7个工作日内一次性告知补正",
    ),
    Kind(
        "disclosure-third-party",
        _("第三方意见征询"),
        0,
        None,
        WORKING_DAYS,
        2,
        f"{DISCLOSURE_RULES}：第三方自收到征求意见书15个工作日内提出意见",
    ),
    # 3 months from 交办; a complex one up to 6: one extension of ≤ 3 months, counted from 交办 (clock.py).
    Kind("proposal", _("建议提案办理"), 1, 3, MONTHS, 10, PROPOSAL_RULES),
    Kind(
        "proposal-assist", _("会办意见"), 0, None, MONTHS, 5, f"{PROPOSAL_RULES}：会办单位1个月内向主办单位提出会办意见"
    ),
    Kind("proposal-rehandle", _("建议提案二次办理"), 0, None, MONTHS, 5, f"{PROPOSAL_RULES}：不满意的重新办理答复"),
    Kind(
        "publication",
        _("主动公开"),
        0,
        None,
        WORKING_DAYS,
        3,
        f"{DISCLOSURE_RULES}：属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内及时公开",
    ),
]

PRESETS = {
    preset.code: preset
    for preset in [
        Preset("petition-route", _("信访事项分流"), "petition-route", 15, DAYS, KINDS[0].basis, _("登记（收到）之日")),
        Preset("petition-accept", _("受理告知"), "petition-accept", 15, DAYS, KINDS[1].basis, _("收到转送、交办之日")),
        Preset(
            "petition-object",
            _("提出异议"),
            "petition-object",
            5,
            WORKING_DAYS,
            KINDS[2].basis,
            _("收到转送、交办之日"),
        ),
        Preset("petition-handle", _("信访事项办理"), "petition", 60, DAYS, KINDS[3].basis, _("受理之日"), (_("听证"),)),
        Preset(
            "petition-review",
            _("复查意见"),
            "petition-review",
            30,
            DAYS,
            KINDS[4].basis,
            _("收到复查请求之日"),
            (_("听证"),),
        ),
        Preset(
            "petition-rereview",
            _("复核意见"),
            "petition-review",
            30,
            DAYS,
            KINDS[4].basis,
            _("收到复核请求之日"),
            (_("听证"),),
        ),
        Preset(
            "disclosure-answer",
            _("依申请公开答复"),
            "disclosure",
            20,
            WORKING_DAYS,
            KINDS[5].basis,
            _("收到申请之日（补正的，收到补正之日）"),
            (_("补正"), _("征求第三方或其他机关意见"), _("缴纳信息处理费")),
        ),
        Preset(
            "disclosure-correction",
            _("补正告知"),
            "disclosure-correction",
            7,
            WORKING_DAYS,
            KINDS[6].basis,
            _("收到申请之日"),
        ),
        Preset(
            "disclosure-third-party",
            _("第三方意见"),
            "disclosure-third-party",
            15,
            WORKING_DAYS,
            KINDS[7].basis,
            _("第三方收到征求意见书之日"),
        ),
        Preset("proposal-answer", _("建议提案答复"), "proposal", 3, MONTHS, KINDS[8].basis, _("交办之日")),
        Preset(
            "proposal-assist",
            _("会办意见"),
            "proposal-assist",
            settings.PROPOSAL_ASSIST_MONTHS,
            MONTHS,
            KINDS[9].basis,
            _("交办之日"),
        ),
        Preset(
            "proposal-rehandle",
            _("二次办理答复"),
            "proposal-rehandle",
            settings.PROPOSAL_REHANDLE_MONTHS,
            MONTHS,
            KINDS[10].basis,
            _("收到不满意意见之日"),
        ),
        Preset("publication", _("主动公开"), "publication", 20, WORKING_DAYS, KINDS[11].basis, _("公文核发之日")),
    ]
}

# The windows a petitioner (not the office) has: no Deadline of the office, a date the flow checks.
WINDOWS = {
    "petition-review-request": Preset(
        "petition-review-request",
        _("请求复查"),
        "",
        30,
        DAYS,
        f"{PETITION_RULES}：收到书面答复之日起30日内请求复查",
        _("收到书面答复之日"),
    ),
    "petition-rereview-request": Preset(
        "petition-rereview-request",
        _("请求复核"),
        "",
        30,
        DAYS,
        f"{PETITION_RULES}：收到复查意见之日起30日内请求复核",
        _("收到复查意见之日"),
    ),
    "proposal-adjust": Preset(
        "proposal-adjust",
        _("申请调整"),
        "",
        settings.PROPOSAL_ADJUST_WORKING_DAYS,
        WORKING_DAYS,
        f"{PROPOSAL_RULES}：承办单位认为不属于本单位职责的，于交办后规定时间内向交办机关申请调整，不得自行转办",
        _("交办之日"),
    ),
    "disclosure-fee": Preset(
        "disclosure-fee",
        _("缴纳信息处理费"),
        "",
        20,
        WORKING_DAYS,
        "《政府信息公开信息处理费管理办法》：申请人自收到收费通知之日起20个工作日内缴纳，逾期未缴纳的视为放弃申请",
        _("收到收费通知之日"),
    ),
}


def preset(code: str) -> Preset:
    return PRESETS.get(code) or WINDOWS[code]


def open_preset(code: str, *, actor, subject, start: date, **responsible):
    """Open ``subject``'s clock for the procedure ``code`` (``responsible_person``, ``responsible_unit``,
    ``leader`` as ``services.deadline_open``)."""
    from office.reminders import services

    chosen = PRESETS[code]
    return services.deadline_open(
        actor=actor,
        subject=subject,
        kind=chosen.kind,
        start=start,
        amount=chosen.amount,
        unit=chosen.unit,
        **responsible,
    )


def window_end(code: str, start: date) -> date:
    """The last day of a petitioner's window (``WINDOWS``), counted as a period in 日 is."""
    from office.workdays.services import due_date

    chosen = preset(code)
    return due_date(start, chosen.amount, chosen.unit).due_date

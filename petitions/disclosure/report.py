"""政府信息公开工作年度报告: the national tables (国务院办公厅政府信息公开办公室 的年度报告格式) of one
organ and one year, counted from the records themselves — never retyped.

- 二、主动公开政府信息情况: per 公开类别, 本年制发 (核发 in the year and published), 本年废止 (废止 in
  the year) and 现行有效 (published by 12月31日 and not repealed by then), from ``Publication``.
- 三、收到和处理政府信息公开申请情况: rows 本年新收, 上年结转, 本年度办理结果 (一)…(七), 结转下年度继续办理;
  columns by 申请人类型 and 总计. A request counts in the year it was received (``received_on``, or
  ``arrived_on`` while a 网络/传真 request is not yet confirmed); its result counts in the year it
  was finished (答复 送达, 视为放弃 or 办结 without an answer). 上年结转 = received before the year and
  not finished before it; 结转下年 = received by 12月31日 and not finished by then. So 本年新收 +
  上年结转 = 总计 + 结转下年 holds for every year.
- 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况: 维持/纠正/其他/尚未审结/总计 for 行政复议, for
  诉讼 未经复议直接起诉 and 复议后起诉, for the requests finished in the year (the decisions of the year
  challenged: the model keeps no date of the 复议 or 诉讼 itself).

Reading it is for the organ's 政务公开员 and the head of its 公开工作机构 (``may_read_annual_report``);
the page and the API count what the reader sees (``requests_visible``), the draft the whole organ
once its drafter is allowed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.org.models import Role, Unit
from petitions.disclosure.models import (
    REASONS,
    AnswerType,
    ApplicantKind,
    Category,
    DisclosureRequest,
    Outcome,
    Publication,
    PublicationState,
    RequestState,
)

__all__ = [
    "AnnualReport",
    "annual_report",
    "annual_report_body",
    "annual_report_draft",
    "annual_report_json",
    "may_read_annual_report",
]

KINDS = [kind for kind, _label in ApplicantKind.choices]
APPLICANT_COLUMNS = [label for _kind, label in ApplicantKind.choices] + [gettext_lazy("总计")]
PUBLICATION_COLUMNS = [
    gettext_lazy("信息内容"),
    gettext_lazy("本年制发件数"),
    gettext_lazy("本年废止件数"),
    gettext_lazy("现行有效件数"),
]
OUTCOME_COLUMNS = [
    Outcome.UPHELD.label,
    Outcome.CORRECTED.label,
    Outcome.OTHER.label,
    Outcome.PENDING.label,
    gettext_lazy("总计"),
]
OUTCOME_GROUPS = [
    ("review", gettext_lazy("行政复议")),
    ("direct", gettext_lazy("行政诉讼：未经复议直接起诉")),
    ("after_review", gettext_lazy("行政诉讼：复议后起诉")),
]
OTHER_LABELS = {
    "abandoned": gettext_lazy("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "unpaid": gettext_lazy("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other": gettext_lazy("其他"),
}
GROUPS = [
    (AnswerType.REFUSED, "（三）", gettext_lazy("不予公开")),
    (AnswerType.UNAVAILABLE, "（四）", gettext_lazy("无法提供")),
    (AnswerType.NOT_PROCESSED, "（五）", gettext_lazy("不予处理")),
]


# --- Who reads it -----------------------------------------------------------------------------------


def may_read_annual_report(user, organ) -> bool:
    """A 政务公开员 of ``organ``, or the head of its 公开工作机构 (a unit of the organ that receives its
    requests or in which its 政务公开员 work)."""
    person = person_of(user)
    if person is None or organ is None or person.unit.organ_id != organ.pk:
        return False
    if user.has_role(Role.DISCLOSURE_OFFICER):
        return True
    intake = DisclosureRequest.objects.filter(organ=organ).values("intake_unit")
    return (
        Unit.objects.filter(organ=organ, head=person)
        .filter(Q(pk__in=intake) | Q(people__user__groups__name=Role.DISCLOSURE_OFFICER.value))
        .exists()
    )


# --- The tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a table: ``counts`` one per column (``None`` for a heading row without figures)."""

    code: str
    label: str
    counts: tuple[int, ...] | None
    level: int = 0  # 0 a numbered part, 1 a (一)… group, 2 an item under a group

    @property
    def total(self) -> int | None:
        return None if self.counts is None else self.counts[-1]


@dataclass(frozen=True)
class AnnualReport:
    organ: Unit
    year: int
    publications: list[Row]  # 二: counts = (本年制发, 本年废止, 现行有效)
    requests: list[Row]  # 三: counts = one per APPLICANT_COLUMNS
    outcomes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # 四: group → OUTCOME_COLUMNS

    def row(self, code: str) -> Row:
        """A row of 三 (or of 二, as ``publication.<category>``) by its code."""
        for row in self.requests + self.publications:
            if row.code == code:
                return row
        raise KeyError(code)

    @property
    def applicant_columns(self) -> list[str]:
        return [str(label) for label in APPLICANT_COLUMNS]

    @property
    def publication_columns(self) -> list[str]:
        return [str(label) for label in PUBLICATION_COLUMNS]

    @property
    def outcome_columns(self) -> list[str]:
        return [str(label) for label in OUTCOME_COLUMNS]

    @property
    def outcome_groups(self) -> list[tuple[str, str]]:
        return [(code, str(label)) for code, label in OUTCOME_GROUPS]


def _received(request: DisclosureRequest) -> date:
    return request.received_on or request.arrived_on


def _local_day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def finished_on(request: DisclosureRequest) -> date | None:
    """The day the request stopped being handled: its answer's 送达, or — without one — the day it
    was taken as given up or closed (逾期未缴费, 其他)."""
    if request.answered_on:
        return request.answered_on
    if request.state == RequestState.ABANDONED:
        return _local_day(request.closed_at) or _local_day(request.state_changed_at)
    if request.state == RequestState.CLOSED:
        return _local_day(request.closed_at) or _local_day(request.state_changed_at)
    return None


def result_code(request: DisclosureRequest) -> str:
    """Its row under 本年度办理结果 (``""`` when it has none of its own: counted in 总计 only)."""
    answer, reason = request.answer_type, request.answer_reason
    if answer in (AnswerType.ALREADY_PUBLIC, AnswerType.GRANTED):
        return "granted"
    if answer == AnswerType.PARTIAL:
        return "partial"
    if answer == AnswerType.NOT_OURS:
        return "unavailable.not_held"
    if answer == AnswerType.SPECIAL:
        return "other.other"
    if answer in REASONS:
        return f"{answer}.{reason}" if reason in dict(REASONS[answer]) else ""
    if request.state == RequestState.ABANDONED or request.closed_reason == "abandoned":
        return "other.abandoned"
    if request.closed_reason == "unpaid":
        return "other.unpaid"
    return "other.other" if finished_on(request) else ""


def _counts(counter: Counter) -> tuple[int, ...]:
    values = [counter[kind] for kind in KINDS]
    return (*values, sum(values))


def _request_rows(requests: list[DisclosureRequest], year: int) -> list[Row]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    new, carried_in, carried_out, total = Counter(), Counter(), Counter(), Counter()
    results: dict[str, Counter] = {}
    for request in requests:
        received, finished, kind = _received(request), finished_on(request), request.applicant_kind
        if start <= received <= end:
            new[kind] += 1
        if received < start and (finished is None or finished >= start):
            carried_in[kind] += 1
        if received <= end and (finished is None or finished > end):
            carried_out[kind] += 1
        if finished is not None and start <= finished <= end and received <= end:
            results.setdefault(result_code(request), Counter())[kind] += 1
            total[kind] += 1

    def item(code: str, label, level: int) -> Row:
        return Row(code, str(label), _counts(results.get(code, Counter())), level)

    rows = [
        Row("new", _("一、本年新收政府信息公开申请数量"), _counts(new)),
        Row("carried_in", _("二、上年结转政府信息公开申请数量"), _counts(carried_in)),
        Row("results", _("三、本年度办理结果"), None),
        item("granted", _("（一）予以公开"), 1),
        item("partial", _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), 1),
    ]
    for answer, number, label in GROUPS:
        rows.append(Row(answer.value, f"{number}{label}", None, 1))
        rows += [
            item(f"{answer.value}.{reason}", f"{position}.{reason_label}", 2)
            for position, (reason, reason_label) in enumerate(REASONS[answer], start=1)
        ]
    rows.append(Row("other", _("（六）其他处理"), None, 1))
    rows += [
        item(f"other.{code}", f"{position}.{OTHER_LABELS[code]}", 2)
        for position, code in enumerate(("abandoned", "unpaid", "other"), start=1)
    ]
    rows += [
        Row("total", _("（七）总计"), _counts(total), 1),
        Row("carried_out", _("四、结转下年度继续办理"), _counts(carried_out)),
    ]
    return rows


def _publication_rows(publications: list[Publication], year: int) -> list[Row]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    made, repealed, in_force = Counter(), Counter(), Counter()
    for publication in publications:
        published, gone = publication.published_on, publication.repealed_on
        if published is None:
            continue
        if start <= publication.made_on <= end:
            made[publication.category] += 1
        if gone is not None and start <= gone <= end:
            repealed[publication.category] += 1
        if published <= end and (gone is None or gone > end):
            in_force[publication.category] += 1
    rows = [
        Row(f"publication.{code}", str(label), (made[code], repealed[code], in_force[code]), 1)
        for code, label in Category.choices
    ]
    totals = tuple(sum(row.counts[i] for row in rows) for i in range(3))
    return [*rows, Row("publication.total", _("合计"), totals, 1)]


def _outcomes(requests: list[DisclosureRequest], year: int) -> dict[str, tuple[int, ...]]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    order = [Outcome.UPHELD, Outcome.CORRECTED, Outcome.OTHER, Outcome.PENDING]
    counts = {code: Counter() for code, _label in OUTCOME_GROUPS}
    for request in requests:
        finished = finished_on(request)
        if finished is None or not start <= finished <= end:
            continue
        if request.review_outcome:
            counts["review"][request.review_outcome] += 1
        if request.litigation_outcome:
            group = "after_review" if request.litigation_after_review else "direct"
            counts[group][request.litigation_outcome] += 1
    return {code: (*(counter[o] for o in order), sum(counter[o] for o in order)) for code, counter in counts.items()}


def annual_report(*, organ, year: int, user=None) -> AnnualReport:
    """The tables of ``organ`` for ``year``; with ``user``, counted from what he may see (nothing at
    all unless ``may_read_annual_report``)."""
    requests = DisclosureRequest.objects.filter(organ=organ)
    publications = Publication.objects.filter(organ=organ)
    if user is not None:
        from petitions.disclosure.selectors import publications_visible, requests_visible

        if may_read_annual_report(user, organ):
            requests = requests_visible(user=user).filter(organ=organ)
            publications = publications_visible(user=user).filter(organ=organ)
        else:
            requests, publications = requests.none(), publications.none()
    end = date(year, 12, 31)
    requests = list(
        requests.filter(Q(received_on__lte=end) | Q(received_on__isnull=True, arrived_on__lte=end)).only(
            "applicant_kind",
            "received_on",
            "arrived_on",
            "answered_on",
            "state",
            "state_changed_at",
            "closed_at",
            "closed_reason",
            "answer_type",
            "answer_reason",
            "review_outcome",
            "litigation_outcome",
            "litigation_after_review",
        )
    )
    publications = list(
        publications.filter(published_on__isnull=False, published_on__lte=end)
        .exclude(state__in=(PublicationState.PENDING, PublicationState.CLEARED, PublicationState.WITHHELD))
        .select_related(None)
        .only("category", "made_on", "published_on", "repealed_on")
    )
    return AnnualReport(
        organ=organ,
        year=year,
        publications=_publication_rows(publications, year),
        requests=_request_rows(requests, year),
        outcomes=_outcomes(requests, year),
    )


def annual_report_json(report: AnnualReport) -> dict:
    """The tables as plain data (for the API and the page)."""

    def rows(items: list[Row]) -> list[dict]:
        return [
            {"code": r.code, "label": r.label, "level": r.level, "counts": list(r.counts) if r.counts else None}
            for r in items
        ]

    return {
        "organ": {"id": report.organ.pk, "name": report.organ.name},
        "year": report.year,
        "publications": {"columns": report.publication_columns, "rows": rows(report.publications)},
        "requests": {"columns": report.applicant_columns, "rows": rows(report.requests)},
        "outcomes": {
            "columns": report.outcome_columns,
            "groups": [
                {"code": code, "label": label, "counts": list(report.outcomes[code])}
                for code, label in report.outcome_groups
            ],
        },
    }


# --- The draft --------------------------------------------------------------------------------------


def _row_text(row: Row, columns: list[str]) -> str:
    if row.counts is None:
        return row.label
    parts = "，".join(f"{name}{n}件" for name, n in zip(columns, row.counts, strict=True))
    return f"{row.label}：{parts}。"


def annual_report_body(report: AnnualReport) -> str:
    """The 年度报告's text, its tables written out row by row (what the 报告 says, in its own figures)."""
    new, done = report.row("new"), report.row("total")
    review = report.outcomes["review"]
    litigation = tuple(a + b for a, b in zip(report.outcomes["direct"], report.outcomes["after_review"], strict=True))
    made = report.row("publication.total").counts
    lines = [
        _("一、总体情况"),
        _(
            "%(year)d年，本机关主动公开政府信息%(made)d件，收到政府信息公开申请%(new)d件，办结%(done)d件；"
            "因政府信息公开工作被申请行政复议%(review)d件，被提起行政诉讼%(litigation)d件。"
        )
        % {
            "year": report.year,
            "made": made[0],
            "new": new.total,
            "done": done.total,
            "review": review[-1],
            "litigation": litigation[-1],
        },
        _("二、主动公开政府信息情况"),
        _("（%(columns)s）") % {"columns": "、".join(report.publication_columns)},
    ]
    for row in report.publications:
        lines.append(
            _("%(label)s：本年制发%(made)d件，本年废止%(repealed)d件，现行有效%(in_force)d件。")
            % {"label": row.label, "made": row.counts[0], "repealed": row.counts[1], "in_force": row.counts[2]}
        )
    lines.append(_("三、收到和处理政府信息公开申请情况"))
    lines += [_row_text(row, report.applicant_columns) for row in report.requests]
    lines.append(_("四、政府信息公开行政复议、行政诉讼情况"))
    lines += [
        _row_text(Row(code, label, report.outcomes[code]), report.outcome_columns)
        for code, label in report.outcome_groups
    ]
    lines += [
        _("五、存在的主要问题及改进情况"),
        _("（请结合本年度工作，说明存在的主要问题和改进措施。）"),
        _("六、其他需要报告的事项"),
        _("（如收取信息处理费情况等。）"),
    ]
    return "\n".join(str(line) for line in lines)


def annual_report_draft(*, actor, organ, year: int, series, title: str = ""):
    """The organ's 政府信息公开工作年度报告 for ``year`` as the drafter's 报告 draft — counted over the
    whole organ, which only its 政务公开员 (or the head of its 公开工作机构) may do."""
    from documents.outgoing import services as documents

    if not may_read_annual_report(actor, organ):
        raise PermissionDenied(_("政府信息公开工作年度报告由本机关政务公开员起草。"))
    if not year or year > timezone.localdate().year:
        raise ValidationError({"year": _("请选择已经开始的年度。")})
    if series is None:
        raise ValidationError({"series": _("请选择发文代字。")})
    if series.template != "standard":
        raise ValidationError({"series": _("年度报告以报告行文，请选择文件格式的发文代字。")})
    report = annual_report(organ=organ, year=year)
    title = title.strip() or _("%(organ)s%(year)d年政府信息公开工作年度报告") % {"organ": organ.name, "year": year}
    return documents.outgoing_create(
        actor=actor,
        series=series,
        title=title[:200],
        kind="report",
        direction="up",
        level=Level.INTERNAL,
        body=annual_report_body(report),
    )

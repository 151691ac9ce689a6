"""信访形势分析: the month's figures, compared with the month before (环比), as a 报告 draft for the
higher office — built from ``selectors.figures`` over what the drafter sees, never retyped. Only
counts travel in it: no 信访人, no summary of a case."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from office.confidentiality.levels import Level
from office.org.models import User
from petitions import ledger_rules, selectors
from petitions.models import CaseState, Channel, PetitionCase

__all__ = ["analysis_body", "analysis_draft", "previous_period"]

HOT_SPOTS = 5  # categories named as 热点
AREAS = 10


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The month before a calendar month; otherwise the period of the same length just before."""
    prev_end = start - timedelta(days=1)
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        return prev_end.replace(day=1), prev_end
    return start - (end - start + timedelta(days=1)), prev_end


def period_text(start: date, end: date) -> str:
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return _("%(y)d年%(m)d月") % {"y": start.year, "m": start.month}
    return _("%(a)s至%(b)s") % {
        "a": f"{start.year}年{start.month}月{start.day}日",
        "b": f"{end.year}年{end.month}月{end.day}日",
    }


@dataclass(frozen=True)
class Situation:
    whole: selectors.Figures
    previous: selectors.Figures
    channels: list[tuple[str, int]]
    categories: list[selectors.Figures]
    areas: list[selectors.Figures]


def channel_counts(user, start: date, end: date) -> list[tuple[str, int]]:
    """The cases received in the period that ``user`` sees, by 信访形式 (merged ones not twice)."""
    rows = (
        PetitionCase.objects.visible_to(user)
        .filter(received_on__range=(start, end))
        .exclude(state=CaseState.MERGED)
        .values_list("channel", flat=True)
    )
    counts = Counter(rows)
    return [(str(label), counts[value]) for value, label in Channel.choices if counts[value]]


def situation(user, start: date, end: date) -> Situation:
    prev_start, prev_end = previous_period(start, end)
    by_total = lambda rows: sorted(rows, key=lambda r: (-r.total, r.label))  # noqa: E731
    return Situation(
        whole=selectors.figures(user=user, by="unit", start=start, end=end, whole=True)[0],
        previous=selectors.figures(user=user, by="unit", start=prev_start, end=prev_end, whole=True)[0],
        channels=channel_counts(user, start, end),
        categories=by_total(selectors.figures(user=user, by="category", start=start, end=end)),
        areas=by_total(selectors.figures(user=user, by="area", start=start, end=end)),
    )


def _rate(value: float | None) -> str:
    return _("无") if value is None else f"{value}%"


def _change(now: int, before: int) -> str:
    """环比: up or down by how many and per cent."""
    if before == 0:
        return _("上期为0") if now else _("与上期持平")
    if now == before:
        return _("与上期持平")
    percent = round(100 * abs(now - before) / before, 1)
    word = _("上升") if now > before else _("下降")
    return _("环比%(word)s%(percent)s%%（%(before)d件）") % {"word": word, "percent": percent, "before": before}


def analysis_body(user, start: date, end: date) -> str:
    """The draft's text, section by section (what the 报告 says, in the figures' own words)."""
    s = situation(user, start, end)
    w, p = s.whole, s.previous
    period = period_text(start, end)
    lines = [
        _("一、总体情况"),
        _("%(period)s，共登记信访事项%(total)d件，%(change)s。")
        % {"period": period, "total": w.total, "change": _change(w.total, p.total)},
        _("二、信访形式"),
    ]
    lines += [_("%(label)s%(n)d件；") % {"label": label, "n": n} for label, n in s.channels] or [_("无。")]
    lines.append(_("三、反映问题（热点）"))
    lines += [_("%(label)s%(n)d件；") % {"label": row.label, "n": row.total} for row in s.categories[:HOT_SPOTS]] or [
        _("无。")
    ]
    lines.append(_("四、问题属地"))
    lines += [_("%(label)s%(n)d件；") % {"label": row.label, "n": row.total} for row in s.areas[:AREAS]] or [_("无。")]
    lines += [
        _("五、重复访、越级访和集体访"),
        _("重复信访%(n)d件，%(change)s。") % {"n": w.repeats, "change": _change(w.repeats, p.repeats)},
        _("越级访%(n)d件，%(change)s。") % {"n": w.beyond, "change": _change(w.beyond, p.beyond)},
        _("集体访%(n)d批%(people)d人次，%(change)s。")
        % {"n": w.mass, "people": w.mass_people, "change": _change(w.mass, p.mass)},
        _("六、办理质效"),
        _("及时受理率%(a)s，按期办结率%(b)s，参评率%(c)s，满意率%(d)s，初信初访一次性化解率%(e)s。")
        % {
            "a": _rate(w.timely_acceptance),
            "b": _rate(w.on_time),
            "c": _rate(w.participation),
            "d": _rate(w.satisfaction),
            "e": _rate(w.first_time_rate),
        },
        _("上期分别为：及时受理率%(a)s，按期办结率%(b)s，参评率%(c)s，满意率%(d)s。")
        % {
            "a": _rate(p.timely_acceptance),
            "b": _rate(p.on_time),
            "c": _rate(p.participation),
            "d": _rate(p.satisfaction),
        },
        _("七、下步工作建议"),
        _("（请结合本期热点问题和重点地区，提出工作建议。）"),
    ]
    return "\n".join(str(line) for line in lines)


def analysis_draft(*, actor: User, series, start: date, end: date, title: str = ""):
    """信访形势分析 of [start, end] (a month) as the drafter's 报告 draft (上行文)."""
    from documents.outgoing import services as documents

    if not ledger_rules.may_draft_analysis(actor):
        raise PermissionDenied(_("信访形势分析由信访员或办公室主任起草。"))
    if start is None or end is None:
        raise ValidationError({"start": _("请选择分析的期间。")})
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    if series is None:
        raise ValidationError({"series": _("请选择发文代字。")})
    if series.template != "standard":
        raise ValidationError({"series": _("信访形势分析以报告行文，请选择文件格式的发文代字。")})
    title = title.strip() or _("关于%(period)s信访形势的分析报告") % {"period": period_text(start, end)}
    return documents.outgoing_create(
        actor=actor,
        series=series,
        title=title[:200],
        kind="report",
        direction="up",
        level=Level.INTERNAL,
        body=analysis_body(actor, start, end),
    )

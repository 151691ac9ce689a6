"""The 月报/季报 draft: the figures of a month or a quarter, as the viewer's dashboard shows them
(over what he may see, never the organisation-wide snapshot), written as the body of a draft 报告
that the module keeping 公文 creates (``registry.drafter()``): the kernel names no domain app.

Only figures go into the body — tiles and the charts' tables; the lists of titles stay on the
page (a title may be more secret than the draft)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from office.dashboard import access, registry, service
from office.sheets import chinese_date

MONTH, QUARTER = "month", "quarter"
KINDS = [(MONTH, gettext_lazy("月报")), (QUARTER, gettext_lazy("季报"))]
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """一 … 九十九, as a 公文 numbers its parts (一、二、…)."""
    if n < 10:
        return DIGITS[n]
    if n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def period(kind: str, month: date, *, today: date | None = None) -> tuple[date, date]:
    """The month of ``month`` or its quarter, up to today at most; a period not yet begun is refused."""
    today = today or timezone.localdate()
    if kind == QUARTER:
        start = month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)
        months = 3
    elif kind == MONTH:
        start = month.replace(day=1)
        months = 1
    else:
        raise ValidationError({"kind": _("请选择月报或季报。")})
    if start > today:
        raise ValidationError({"month": _("报告期尚未开始。")})
    index = start.year * 12 + start.month - 1 + months
    last = date(index // 12, index % 12 + 1, 1) - timedelta(days=1)
    return start, min(last, today)


def period_name(kind: str, start: date) -> str:
    if kind == QUARTER:
        quarter = chinese_number((start.month + 2) // 3)
        return _("%(year)d年第%(quarter)s季度") % {"year": start.year, "quarter": quarter}
    return _("%(year)d年%(month)d月份") % {"year": start.year, "month": start.month}


def title_for(kind: str, start: date) -> str:
    return _("关于%(period)s工作情况的报告") % {"period": period_name(kind, start)}


def _cell(value) -> str:
    return "—" if value is None or value == "" else str(value)


def _chart_lines(panel: dict) -> list[str]:
    """A chart's table as sentences: "交办：12", or per category "城建局：红灯2，黄灯1，绿灯0"
    (the series' names, where there is one per column)."""
    rows = panel["table"]
    if not rows:
        return [_("（无）")]
    names = [str(s.get("name", "")) for s in panel["option"].get("series", [])]
    lines = []
    for label, *values in rows:
        if len(values) == 1:
            lines.append(f"{label}：{_cell(values[0])}")
        elif len(names) == len(values) and all(names):
            lines.append(f"{label}：" + "，".join(f"{n}{_cell(v)}" for n, v in zip(names, values, strict=True)))
        else:
            lines.append(f"{label}：" + "、".join(_cell(v) for v in values))
    if all(len(row) == 2 for row in rows):
        return ["；".join(lines) + "。"]
    return [f"{line}；" for line in lines[:-1]] + [f"{lines[-1]}。"]


def report_text(data: dict, *, start: date, end: date) -> str:
    """The body: an opening, 一、主要数字 (the tiles), then one part per chart, and 特此报告。"""
    lines = [
        _("根据领导驾驶舱统计，现将%(start)s至%(end)s有关工作情况报告如下（统计范围：本人知悉范围内的文件和事项）。")
        % {"start": chinese_date(start), "end": chinese_date(end)}
    ]
    parts: list[tuple[str, list[str]]] = []
    if data["tiles"]:
        parts.append(
            (_("主要数字"), ["；".join(f"{tile['label']}：{_cell(tile['value'])}" for tile in data["tiles"]) + "。"])
        )
    parts += [(panel["title"], _chart_lines(panel)) for panel in data["panels"] if panel["kind"] == "chart"]
    for number, (heading, body) in enumerate(parts, start=1):
        lines.append(f"{chinese_number(number)}、{heading}")
        lines += body
    lines.append(_("特此报告。"))
    return "\n".join(lines)


def series_choices(user) -> list[tuple[int, str]]:
    drafter = registry.drafter()
    return drafter.series(user) if drafter is not None else []


def draft(*, user, series: int, kind: str, month: date, title: str = "") -> tuple[int, str]:
    """The 月报/季报 of ``month`` as a draft 报告 of ``user``'s in ``series``: its id and page. The
    page's rule decides who may (``access.scope_for``); the figures are his own scope's."""
    start, end = period(kind, month)
    scope = access.scope_for(user, start=start, end=end, whole=False)
    drafter = registry.drafter()
    if drafter is None:
        raise ValidationError(_("未安装公文模块，不能生成报告草稿。"))
    body = report_text(service.summary(scope), start=start, end=end)
    return drafter.draft(actor=user, series=series, title=(title.strip() or title_for(kind, start))[:200], body=body)

"""通报 and 督查专报: drafts the supervision module hands to the documents module (built from the
recorded events, never retyped), drafted by a 督查员 or the office chief."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from office.confidentiality.levels import Level
from office.org.models import User
from supervision import rules
from supervision.models import SupervisionItem
from supervision.rules import is_any_supervisor

__all__ = ["bulletin_draft", "is_any_supervisor", "report_draft"]


def bulletin_draft(*, actor: User, series, start: date, end: date, title: str = ""):
    """A 通报 draft on the period's overdue and exemplary units, built from recorded events (never
    retyped). A bulletin travels widely: it counts only items at 内部 or below."""
    from documents.outgoing import services as documents
    from supervision import selectors

    if not is_any_supervisor(actor):
        raise PermissionDenied(_("督查通报由督查员起草。"))
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    body = selectors.bulletin_text(user=actor, start=start, end=end)
    return documents.outgoing_create(
        main_to_units=selectors.bulletin_units(user=actor, start=start, end=end),
        actor=actor,
        series=series,
        title=title.strip()
        or _("关于%(period)s督查督办事项办理情况的通报") % {"period": selectors.period_text(start, end)},
        kind="bulletin",
        level=Level.INTERNAL,
        body=body,
    )


def report_draft(*, actor: User, series, items: list[SupervisionItem], theme: str = ""):
    """A 督查专报 (文种 报告) on one item or on a theme's items, as secret as the most secret of them."""
    from documents.outgoing import services as documents
    from supervision import selectors

    if not rules.may_draft_report(actor):
        raise PermissionDenied(_("督查专报由督查员起草。"))
    if not items:
        raise ValidationError({"items": _("请选择督查专报涉及的督办事项。")})
    top = max(items, key=lambda i: i.classification)
    if len(items) == 1:
        title = _("关于%(title)s督查情况的报告") % {"title": items[0].title.removesuffix("。")}
    else:
        title = _("关于%(theme)s督查情况的报告") % {"theme": theme.strip() or _("有关督办事项")}
    fields = {}
    if top.is_classified:
        fields = {
            "term_unit": top.secrecy_term_unit,
            "term_amount": top.secrecy_term_amount,
            "until": top.secrecy_until,
            "condition": top.declassify_condition,
            "basis": top.classification_basis,
        }
    return documents.outgoing_create(
        actor=actor,
        series=series,
        title=title[:200],
        kind="report",
        direction="up",
        level=top.level,
        body=selectors.report_text(items),
        **fields,
    )

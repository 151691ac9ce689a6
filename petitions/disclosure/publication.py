"""主动公开: a 发文 whose 公开属性 is 主动公开 gets a ``Publication`` when it is 核发 — 20 working days
to publish it (《政府信息公开条例》: 自形成之日起20个工作日内), after the 保密员's 公开前保密审查;
then its place in the 公开目录, and its 废止 there."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from office.confidentiality.levels import Level
from office.org.models import User
from office.reminders import presets
from office.reminders import services as reminders
from office.reminders.models import DeadlineState
from petitions.disclosure.models import Category, Publication, PublicationState, SecrecyReview
from petitions.disclosure.rules import PUBLICATION

PROACTIVE = "proactive"


def _clocks(publication: Publication):
    return [d for d in reminders.deadlines_of(publication) if d.state == DeadlineState.OPEN]


def _refresh_due(publication: Publication) -> None:
    dates = [d.due_date for d in _clocks(publication) if d.due_date]
    publication.due = min(dates) if dates else None
    publication.save(update_fields=["due"])


def _not_future(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return day


def document_issued(payload) -> Publication | None:
    """On 核发 (inside its transaction): a 主动公开 发文 opens its Publication and its clock, once."""
    document = payload.document
    if document.disclosure != PROACTIVE:
        return None
    if Publication.objects.filter(document=document).exists():
        return None
    today = timezone.localdate()
    publication = Publication.objects.create(document=document, organ=document.series.organ, made_on=today)
    presets.open_preset(
        "publication", actor=payload.actor, subject=publication, start=today, responsible_unit=document.drafting_unit
    )
    _refresh_due(publication)
    return publication


def connect() -> None:
    """Connect to ``documents.hooks.document_issued``."""
    from documents import hooks

    hooks.document_issued.connect(document_issued)


def _locked(publication: Publication) -> Publication:
    return PUBLICATION.lock(publication)


@transaction.atomic
def publication_review(*, actor: User, publication: Publication, conclusion: str, note: str) -> SecrecyReview:
    """公开前保密审查 by a 保密员 of the organ: 可以公开 (or after removing what is secret) → 待发布;
    不得公开 → 不予公开, its clock ended. A document above 内部 cannot be cleared."""
    publication = _locked(publication)
    acting = PUBLICATION.check(actor, publication, "review")
    if conclusion not in SecrecyReview.Conclusion.values:
        raise ValidationError({"conclusion": _("请选择审查结论。")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写审查意见。")})
    document = publication.document
    withheld = conclusion == SecrecyReview.Conclusion.NOT_PUBLIC
    if not withheld and document.classification > Level.INTERNAL:
        raise ValidationError(
            {"conclusion": _("该公文标有密级（%(mark)s），不得公开。") % {"mark": document.level_mark}}
        )
    review = SecrecyReview.objects.create(
        publication=publication, conclusion=conclusion, note=note, reviewer=acting.person
    )
    if withheld:
        for deadline in _clocks(publication):
            reminders.deadline_cancel(actor=actor, deadline=deadline, reason=_("保密审查不得公开"))
        PUBLICATION.move(publication, PublicationState.WITHHELD, actor=acting, action=_("公开前保密审查"))
    else:
        PUBLICATION.move(publication, PublicationState.CLEARED, actor=acting, action=_("公开前保密审查"))
    _refresh_due(publication)
    return review


@transaction.atomic
def publication_publish(
    *,
    actor: User,
    publication: Publication,
    on: date,
    channel: str = "政府门户网站",
    url: str = "",
    category: str | None = None,
    index_number: str = "",
) -> Publication:
    """发布 on ``on`` (not before 核发, not in the future): the clock is met, the 公文 enters the 公开目录."""
    publication = _locked(publication)
    acting = PUBLICATION.check(actor, publication, "publish")
    _not_future(on, "on", _("公开日期"))
    if on < publication.made_on:
        raise ValidationError({"on": _("公开日期不能早于公文核发日期。")})
    channel = (channel or "").strip()
    if not channel:
        raise ValidationError({"channel": _("请填写公开途径。")})
    if category is not None and category not in Category.values:
        raise ValidationError({"category": _("公开类别无效。")})
    url = (url or "").strip()
    if url:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError({"url": _("请填写有效的网址。")}) from None
    on_time = None
    for deadline in _clocks(publication):
        on_time = reminders.deadline_meet(actor=actor, deadline=deadline, on=on).met_on_time
    publication.published_on, publication.published_on_time = on, on_time
    publication.channel, publication.url = channel[:60], url
    publication.index_number = (index_number or "").strip()[:40]
    fields = ["published_on", "published_on_time", "channel", "url", "index_number"]
    if category is not None:
        publication.category = category
        fields.append("category")
    PUBLICATION.move(publication, PublicationState.PUBLISHED, actor=acting, action=_("发布"), update_fields=fields)
    _refresh_due(publication)
    return publication


@transaction.atomic
def publication_repeal(*, actor: User, publication: Publication, on: date) -> Publication:
    """废止: the 公文 stays in the 公开目录, marked 已废止 from ``on``."""
    publication = _locked(publication)
    acting = PUBLICATION.check(actor, publication, "repeal")
    _not_future(on, "on", _("废止日期"))
    if on < publication.published_on:
        raise ValidationError({"on": _("废止日期不能早于公开日期。")})
    publication.repealed_on = on
    PUBLICATION.move(
        publication, PublicationState.REPEALED, actor=acting, action=_("废止"), update_fields=["repealed_on"]
    )
    return publication

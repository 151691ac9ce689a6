"""The dashboard's 月报/季报 as a draft 报告 (上行文) through the outgoing services: the kernel
writes the text from the viewer's figures (office/dashboard/report.py), this makes the draft."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.models import DocumentSeries
from documents.outgoing import services
from documents.outgoing.models import Direction, SeriesTemplate
from documents.vocabulary import DocumentKind
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.dashboard.registry import Drafter


def _series(user) -> QuerySet[DocumentSeries]:
    """The active 发文代字 of the person's organ (as the 督查通报 picks them) — not a 信函格式 one: a
    报告 is not a 函."""
    person = person_of(user)
    if person is None:
        return DocumentSeries.objects.none()
    return (
        DocumentSeries.objects.filter(organ__organ=person.unit.organ_id, active=True)
        .exclude(template=SeriesTemplate.LETTER)
        .order_by("code")
    )


class ReportDrafter(Drafter):
    def series(self, user) -> list[tuple[int, str]]:
        return [(s.pk, f"{s.code}（{s.issuer_name}）") for s in _series(user)]

    def draft(self, *, actor, series: int, title: str, body: str) -> tuple[int, str]:
        chosen = _series(actor).filter(pk=series).first()
        if chosen is None:
            raise ValidationError({"series": _("请选择本机关启用的发文代字。")})
        document = services.outgoing_create(
            actor=actor,
            series=chosen,
            title=title,
            kind=DocumentKind.REPORT,
            direction=Direction.UPWARD,
            level=Level.INTERNAL,
            body=body,
        )
        return document.pk, reverse("documents:outgoing_detail", args=[document.pk])

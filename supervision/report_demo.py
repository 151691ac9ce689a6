"""The demo 督查员's 通报 on the year so far and a 督查专报 on an overdue item, as outgoing drafts
waiting for 核稿 like any document. Runs after ``documents.incoming.demo``, so the 通报 counts the
item the mayor's 批示 opened there too."""

from django.utils import timezone

from documents.models import DocumentSeries, OutgoingDocument
from office.demo import DemoContext
from supervision import services
from supervision.demo import REPORTED_ITEM
from supervision.models import SupervisionItem


def seed(context: DemoContext) -> None:
    """Each draft unless it is there already."""
    supervisor = context.people["supervisor"]
    series = DocumentSeries.objects.get(code="临府办发")
    today = timezone.localdate()
    title = f"关于{today.year}年以来督查督办事项办理情况的通报"
    if not OutgoingDocument.objects.filter(title=title).exists():
        services.bulletin_draft(
            actor=supervisor.user, series=series, start=today.replace(month=1, day=1), end=today, title=title
        )
    item = SupervisionItem.objects.filter(title=REPORTED_ITEM).first()
    if item and not OutgoingDocument.objects.filter(kind="report", drafter=supervisor).exists():
        services.report_draft(actor=supervisor.user, series=series, items=[item])

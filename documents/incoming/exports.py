"""The 收文登记簿 (register of incoming documents) as an Excel workbook: register fields only, never
a document's body; the caller hands in the rows it may show (a queryset from ``visible_to``)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.incoming.models import Assignment, AssignmentRole
from office.registers import Register
from office.sheets import chinese_date, register_workbook
from office.templatetags.chinese_dates import chinese_date as chinese_moment

INCOMING_REGISTER_COLUMNS = [
    (gettext_lazy("序号"), 6),
    (gettext_lazy("收文编号"), 16),
    (gettext_lazy("来文机关"), 24),
    (gettext_lazy("来文字号"), 20),
    (gettext_lazy("标题"), 48),
    (gettext_lazy("文种"), 8),
    (gettext_lazy("密级"), 14),
    (gettext_lazy("紧急程度"), 8),
    (gettext_lazy("份数"), 6),
    (gettext_lazy("来文方式"), 12),
    (gettext_lazy("签收人"), 10),
    (gettext_lazy("签收时间"), 17),
    (gettext_lazy("办理类型"), 8),
    (gettext_lazy("主办单位"), 16),
    (gettext_lazy("办理时限"), 14),
    (gettext_lazy("状态"), 8),
    (gettext_lazy("办结日期"), 14),
]


def incoming_register_rows(documents):
    """The 收文登记簿 rows in the queryset's order, related rows loaded in batches (no query per
    row). Register fields only: never the body."""
    documents = documents.select_related("signed_for_by").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(role=AssignmentRole.LEAD).select_related("unit"),
            to_attr="lead_assignments",
        )
    )
    for index, document in enumerate(documents.iterator(chunk_size=2000), start=1):
        lead = document.lead_assignments[0] if document.lead_assignments else None
        signed_at = chinese_moment(document.signed_for_at, "H:i")  # 2026年12月2日 14:30, as on the pages
        yield [
            index,
            document.registration_text,
            document.sender_organ,
            document.sender_number,
            document.title,
            document.get_kind_display(),
            document.level_mark,
            document.get_urgency_display(),
            document.copies_received or None,
            document.get_channel_display(),
            document.signed_for_by.name if document.signed_for_by_id else "",
            signed_at,
            document.get_handling_display(),
            lead.unit.name if lead else "",
            chinese_date(document.time_limit),
            document.get_state_display(),
            chinese_date(timezone.localdate(document.done_at)) if document.done_at else "",
        ]


def incoming_register_workbook(documents) -> bytes:
    """The 收文登记簿 of ``documents`` (a queryset that starts from ``visible_to``) as .xlsx bytes."""
    return register_workbook(_("收文登记簿"), INCOMING_REGISTER_COLUMNS, incoming_register_rows(documents))


REGISTER = Register(
    what="incoming_register",
    title=gettext_lazy("收文登记簿"),
    too_many=gettext_lazy("符合条件的收文超过 %(max)d 件，请缩小筛选范围后再导出。"),
    workbook=incoming_register_workbook,
)

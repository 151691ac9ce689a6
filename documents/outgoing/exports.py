"""The 发文登记簿 (register of outgoing documents) as an Excel workbook.

The register holds register fields only — number, title, kind, level mark, units, signer, dates,
copies, state — and never a document's body or attachments, so a 绝密 row carries no more than
the 保密员's own register does. The caller hands in the rows it may show (a queryset that starts
from ``visible_to``); this module only lays them out.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.outgoing.models import OutgoingDocument
from office.registers import Register
from office.sheets import chinese_date, register_workbook

# (heading, column width in characters)
REGISTER_COLUMNS = [
    (gettext_lazy("序号"), 6),
    (gettext_lazy("发文字号"), 20),
    (gettext_lazy("标题"), 48),
    (gettext_lazy("文种"), 8),
    (gettext_lazy("密级"), 14),
    (gettext_lazy("拟稿单位"), 16),
    (gettext_lazy("签发人"), 10),
    (gettext_lazy("成文日期"), 14),
    (gettext_lazy("主送"), 36),
    (gettext_lazy("份数"), 6),
    (gettext_lazy("状态"), 8),
]


def main_to_text(document: OutgoingDocument) -> str:
    """主送: the units inside the system, then those outside it, joined with 、."""
    names = [unit.name for unit in document.main_to_units.all()]
    if document.main_to_external.strip():
        names.append(document.main_to_external.strip())
    return "、".join(names)


def register_rows(documents: QuerySet[OutgoingDocument]):
    """The rows in the queryset's order, related rows loaded in batches (no query per row)."""
    documents = documents.select_related("number__series", "drafting_unit", "signed_by").prefetch_related(
        "main_to_units"
    )
    for index, document in enumerate(documents.iterator(chunk_size=2000), start=1):
        yield [
            index,
            document.number_text,
            document.title,
            document.get_kind_display(),
            document.level_mark,
            document.drafting_unit.name,
            document.signed_by.name if document.signed_by_id else "",
            chinese_date(document.written_date),
            main_to_text(document),
            document.copies or None,
            document.get_state_display(),
        ]


def outgoing_register_workbook(documents: QuerySet[OutgoingDocument]) -> bytes:
    """The 发文登记簿 of ``documents`` as .xlsx bytes."""
    return register_workbook(_("发文登记簿"), REGISTER_COLUMNS, register_rows(documents))


REGISTER = Register(
    what="outgoing_register",
    title=gettext_lazy("发文登记簿"),
    too_many=gettext_lazy("符合条件的公文超过 %(max)d 件，请缩小筛选范围后再导出。"),
    workbook=outgoing_register_workbook,
)

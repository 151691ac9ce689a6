"""A register (登记簿, 台账): the .xlsx a list page and its API export carry away, described once
per module (``Register``) and produced here for both edges — bounded in size, 绝密 rows left out
(``exportable``: on screen only), and written to the access log with the classified records it
contains."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import exportable

# An export is a file a person carries away: past this many rows, narrow the filters instead.
EXPORT_LIMIT = 100_000
PAGE_EXPORT_LIMIT = 50_000  # from a page: a person's download, not another system's


@dataclass(frozen=True)
class Register:
    what: str  # its name in the access log
    title: str  # the file's name, before the time stamp
    too_many: str  # the refusal past the limit, with %(max)d
    workbook: Callable  # visible, exportable queryset -> .xlsx bytes


class RegisterRefused(Exception):
    """Why the register is not produced, in words for the person."""


def produce(register: Register, user, records, *, filters: dict, request=None, limit: int = EXPORT_LIMIT):
    """(content, file name) of ``register`` over ``records`` (a queryset from ``visible_to``);
    ``RegisterRefused`` (its message for the person) past ``limit`` rows."""
    records = exportable(records)
    rows = records[: limit + 1].count()
    if rows > limit:
        raise RegisterRefused(register.too_many % {"max": limit})
    content = register.workbook(records)
    classified = list(records.filter(classification__gt=Level.INTERNAL).values_list("pk", flat=True))
    filters = {name: value for name, value in filters.items() if value != ""}
    audit.record(
        user,
        AuditAction.EXPORT,
        request=request,
        detail={"what": register.what, "filters": filters, "rows": rows, "classified": classified},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return content, f"{register.title}-{stamp}.xlsx"

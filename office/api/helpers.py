"""Small pieces every domain API uses: validating a body or the query string against a serializer,
file routes that answer errors in JSON, and the bounded, audited .xlsx register export."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import exportable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An export is a file a person carries away: past this many rows, narrow the filters instead.
EXPORT_LIMIT = 100_000


def valid(serializer_class, data, **kwargs) -> dict:
    """``data`` checked by ``serializer_class``; a 400 with the field errors otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def query_of(serializer_class, request) -> dict:
    """The request's query parameters checked by ``serializer_class``."""
    # A blank parameter (an emptied form field) means "no filter", not "match the empty value".
    params = {name: value for name, value in request.query_params.dict().items() if value != ""}
    return valid(serializer_class, params)


class IgnoreFormatParameter(DefaultContentNegotiation):
    """On file routes ``?format=`` (and ``register.xlsx``) names the file, not a DRF renderer:
    answer errors in JSON whatever it says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


FILE_ROUTE = {"renderer_classes": [JSONRenderer], "content_negotiation_class": IgnoreFormatParameter}


def download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A file to save, never kept in a shared cache or the browser's."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Classified files must not linger in shared caches or the browser's.
    response["Cache-Control"] = "no-store"
    return response


def export_register(request, records, *, workbook, what: str, title: str, too_many: str) -> HttpResponse:
    """A register (登记簿, 台账) of a visible, filtered list as .xlsx, bounded in size, and written to
    the access log with the classified records it contains. 绝密 rows are never in it (``exportable``:
    on screen only), whatever the caller hands in."""
    records = exportable(records)
    rows = records[: EXPORT_LIMIT + 1].count()
    if rows > EXPORT_LIMIT:
        raise exceptions.ValidationError([too_many % {"max": EXPORT_LIMIT}])
    content = workbook(records)
    classified = list(records.filter(classification__gt=Level.INTERNAL).values_list("pk", flat=True))
    filters = {name: value for name, value in request.query_params.dict().items() if value != ""}
    audit.record(
        request.user,
        AuditAction.EXPORT,
        request=request,
        detail={"what": what, "filters": filters, "rows": rows, "classified": classified},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return download(content, content_type=XLSX, filename=f"{title}-{stamp}.xlsx")

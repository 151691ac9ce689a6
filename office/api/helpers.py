"""Small pieces every domain API uses: validating a body or the query string against a serializer,
file routes that answer errors in JSON, and the bounded, audited .xlsx register export."""

from __future__ import annotations

from contextlib import contextmanager

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

from office.registers import EXPORT_LIMIT, Register, RegisterRefused, produce  # noqa: F401 (EXPORT_LIMIT: the log's export)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def valid(serializer_class, data, **kwargs) -> dict:
    """``data`` checked by ``serializer_class``; a 400 with the field errors otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def query_of(serializer_class, request, *, ignore: tuple[str, ...] = ()) -> dict:
    """The request's query parameters checked by ``serializer_class`` (but those in ``ignore``:
    the paginator's own, such as ``cursor``)."""
    # A blank parameter (an emptied form field) means "no filter", not "match the empty value".
    params = {name: value for name, value in request.query_params.dict().items() if value != "" and name not in ignore}
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


def export_register(request, records, register: Register) -> HttpResponse:
    """``register`` of a visible, filtered list as .xlsx (``office.registers``); past the limit a
    400 that says to narrow the filters."""
    try:
        content, filename = produce(
            register, request.user, records, filters=request.query_params.dict(), request=request
        )
    except RegisterRefused as refusal:
        raise exceptions.ValidationError([str(refusal)]) from None
    return download(content, content_type=XLSX, filename=filename)


@contextmanager
def state_refusal_as(field: str):
    """Creating a part of a record (a task, a 分会场, a group) moves nothing, so its schema lists no
    409 (``office.api.schema``): a refusal by the record's state is then an invalid ``field`` (400)."""
    from office.workflow import TransitionNotAllowed

    try:
        yield
    except TransitionNotAllowed as refusal:
        raise exceptions.ValidationError({field: [refusal.message]}) from None

"""The body parsers of every API route. A JSON body nested too deep to parse, or holding a lone
surrogate (``"\\ud800"``), is a 400; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` a 413 (DRF reads
JSON and form bodies from the socket itself, past Django's own check of the size). Each is
answered in JSON like any other malformed body, never as a server error. Multipart uploads keep
Django's parser and their own limit (``office.uploads``)."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _within_limit(stream):
    """The body as a stream again, or a 413 when it is larger than the limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or stream is None:
        return stream
    body = stream.read(limit + 1)
    if len(body) > limit:
        # Imported here: office.api.exceptions imports DRF's views, which load these parsers.
        from office.api.exceptions import RequestTooLarge

        raise RequestTooLarge()
    return io.BytesIO(body)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(_within_limit(stream), media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON 嵌套层次过深，无法解析。")) from None
        if _holds_lone_surrogate(data):
            # "\ud800" alone is valid JSON but no character: it can be neither stored nor echoed.
            raise ParseError(_("JSON 中含有无效的 Unicode 字符（单独的代理项，如 \\ud800）。"))
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(_within_limit(stream), media_type, parser_context)


def _holds_lone_surrogate(data) -> bool:
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False

"""The one check every upload passes: size within ``SHUNIU_MAX_UPLOAD_BYTES``, not empty, and a type
an office attaches, recognised by its extension *and* its first bytes."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Formats an office attaches: documents, spreadsheets, scans. Checked by extension and signature.
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".wps": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".txt": (b"",),
}


def check_upload(upload, *, field: str = "file") -> None:
    """Refuse an oversized, empty or unrecognised file with a message under ``field``."""
    if upload.size > settings.SHUNIU_MAX_UPLOAD_BYTES:
        raise ValidationError({field: _("附件不能超过%(mb)d MB。") % {"mb": settings.SHUNIU_MAX_UPLOAD_BYTES // 2**20}})
    if upload.size == 0:
        raise ValidationError({field: _("附件是空文件。")})
    signatures = ATTACHMENT_TYPES.get(os.path.splitext(upload.name)[1].lower())
    head = upload.read(8)
    upload.seek(0)
    if signatures is None or not any(head.startswith(signature) for signature in signatures):
        raise ValidationError({field: _("不支持的附件类型，请上传 PDF、OFD、Word、Excel、WPS、图片或文本文件。")})

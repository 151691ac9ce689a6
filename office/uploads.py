"""Uploads are typed by their bytes, never by what the client says.

``check_upload`` is the one check every upload passes: within ``SHUNIU_MAX_UPLOAD_BYTES``, not
empty, not a program, and its bytes are what its name says (a .docx is a ZIP holding
word/document.xml, a .txt decodes as UTF-8 or GB18030 without control bytes, ...). It answers the
content type of the bytes, which is what services store. ``download_response`` and
``streaming_response`` serve a stored upload with the type its bytes have *now* (rows stored before
uploads were sniffed carry the client's claim, so the record is never trusted for serving), under
``nosniff`` and as an attachment with its UTF-8 name.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFD = "application/ofd"
JPEG = "image/jpeg"
PNG = "image/png"
ZIP = "application/zip"
# An OLE2 compound file: the container of .doc, .xls and .wps alike; the name says which.
OLE2 = "application/x-ole-storage"
TEXT_UTF8 = "text/plain; charset=utf-8"
TEXT_GB18030 = "text/plain; charset=gb18030"
EXECUTABLE = "application/x-executable"
UNKNOWN = "application/octet-stream"

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# ELF, PE/DOS ("MZ"), Mach-O (both byte orders, 32/64-bit, fat) and scripts run by an interpreter.
EXECUTABLE_SIGNATURES = (
    b"\x7fELF",
    b"MZ",
    b"#!",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
# The part each ZIP-based office format must hold (GB/T 33190 puts OFD.xml at the root).
ZIP_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "OFD.xml": OFD}
# Tab, line feed, form feed and carriage return are text; every other C0 control byte and DEL is not.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
HEAD_BYTES = 8192  # what filetype reads too

# What each extension an office attaches must be, and the type it is stored and served as.
ACCEPTED = {
    ".pdf": {PDF: PDF},
    ".docx": {DOCX: DOCX},
    ".xlsx": {XLSX: XLSX},
    ".ofd": {OFD: OFD},
    ".doc": {OLE2: "application/msword"},
    ".xls": {OLE2: "application/vnd.ms-excel"},
    ".wps": {OLE2: "application/vnd.ms-works"},
    ".jpg": {JPEG: JPEG},
    ".jpeg": {JPEG: JPEG},
    ".png": {PNG: PNG},
    ".txt": {TEXT_UTF8: TEXT_UTF8, TEXT_GB18030: TEXT_GB18030},
}


def _labels() -> dict[str, str]:
    return {
        PDF: _("PDF 文件"),
        DOCX: _("Word 文档（.docx）"),
        XLSX: _("Excel 表格（.xlsx）"),
        OFD: _("OFD 版式文件"),
        OLE2: _("Word/Excel/WPS 旧版文件（.doc/.xls/.wps）"),
        JPEG: _("JPEG 图片"),
        PNG: _("PNG 图片"),
        ZIP: _("ZIP 压缩包"),
        TEXT_UTF8: _("文本文件"),
        TEXT_GB18030: _("文本文件"),
        EXECUTABLE: _("可执行程序"),
        UNKNOWN: _("无法识别的格式"),
    }


def _label(content_type: str) -> str:
    known = _labels().get(content_type)
    if known:
        return known
    extension = filetype.get_type(mime=content_type)
    return _("%(kind)s 文件") % {"kind": extension.extension.upper()} if extension else _("无法识别的格式")


def sniff(file) -> str:
    """The content type of ``file``'s bytes (any seekable file; left at its start). OLE2 compound
    files answer ``OLE2``: the container says nothing reliable about which application wrote it."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if head.startswith(EXECUTABLE_SIGNATURES):
        return EXECUTABLE
    if head.startswith(OLE2_SIGNATURE):
        return OLE2
    if head.startswith(ZIP_SIGNATURE):
        return _zip_type(file)
    kind = filetype.guess(head)
    if kind is not None:
        return EXECUTABLE if kind.extension in ("elf", "exe") else kind.mime
    return _text_type(file)


def _zip_type(file) -> str:
    """Which office format a ZIP is, by the part it holds; only the directory is read, nothing
    is inflated."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return UNKNOWN
    finally:
        file.seek(0)
    return next((content_type for part, content_type in ZIP_PARTS.items() if part in names), ZIP)


def _text_type(file) -> str:
    """Plain text in UTF-8 (with or without BOM) or GB18030, with no NUL or other control bytes."""
    data = file.read()
    file.seek(0)
    if CONTROL_BYTES.search(data):
        return UNKNOWN
    for content_type, encoding in ((TEXT_UTF8, "utf-8-sig"), (TEXT_GB18030, "gb18030")):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return content_type
    return UNKNOWN


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def check_upload(upload, *, field: str = "file") -> str:
    """Refuse an oversized, empty, executable or unsupported file, or one whose bytes are not what
    its name says, with a message under ``field`` naming the file. Answers the content type to
    store: the sniffed one, never the client's."""
    name = os.path.basename(upload.name or "")
    if upload.size > settings.SHUNIU_MAX_UPLOAD_BYTES:
        limit = settings.SHUNIU_MAX_UPLOAD_BYTES // 2**20
        raise ValidationError({field: _("“%(name)s”太大：附件不能超过%(mb)d MB。") % {"name": name, "mb": limit}})
    if upload.size == 0:
        raise ValidationError({field: _("“%(name)s”是空文件。") % {"name": name}})
    sniffed = sniff(upload)
    if sniffed == EXECUTABLE:
        raise ValidationError({field: _("不支持上传可执行程序或脚本：“%(name)s”。") % {"name": name}})
    accepted = ACCEPTED.get(_extension(name))
    if accepted is None:
        raise ValidationError(
            {field: _("不支持“%(name)s”的类型，请上传 PDF、OFD、Word、Excel、WPS、图片或文本文件。") % {"name": name}}
        )
    if sniffed in accepted:
        return accepted[sniffed]
    if _extension(name) == ".txt" and sniffed == UNKNOWN:
        raise ValidationError(
            {field: _("“%(name)s”不是纯文本：文本文件须为 UTF-8 或 GB18030 编码，且不含控制字符。") % {"name": name}}
        )
    expected = _label(next(iter(accepted)))
    raise ValidationError(
        {
            field: _("“%(name)s”的内容与扩展名不符：应是%(expected)s，实际是%(actual)s。请检查文件后重新上传。")
            % {"name": name, "expected": expected, "actual": _label(sniffed)}
        }
    )


# --- Serving -----------------------------------------------------------------------------------


@contextmanager
def files_kept_only_if_stored() -> Iterator[Callable]:
    """Around several uploads stored in one transaction (all or none): the files of the rows a failure
    rolled back are removed from storage too, so none is left behind without its row. The caller passes
    each stored ``FieldFile`` to the function it is given."""
    stored = []
    try:
        yield stored.append
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def served_type(file, *, path: str) -> str:
    """The type a stored upload is served as: what its bytes are, the stored file's extension
    picking the application of an OLE2 file; anything no longer accepted is plain bytes."""
    return ACCEPTED.get(_extension(path), {}).get(sniff(file), UNKNOWN)


def download_name(name: str, *, path: str) -> str:
    """The name to save as: the display name, with the stored file's extension when the display
    name lacks it (a renamed 实施方案 saves as 实施方案.pdf, never as whatever a name claimed)."""
    extension = os.path.splitext(path)[1]
    name = name or os.path.basename(path)
    return name if not extension or name.lower().endswith(extension.lower()) else name + extension


def _as_attachment(response: HttpResponse, *, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Official attachments must not linger in shared caches or the browser's.
    response["Cache-Control"] = "no-store"
    return response


def download_response(stored, *, name: str) -> HttpResponse:
    """A stored upload (a ``FieldFile``) as a download holding the whole file (for the API)."""
    with stored.open("rb") as file:
        content_type = served_type(file, path=stored.name)
        content = file.read()
    response = HttpResponse(content, content_type=content_type)
    return _as_attachment(response, filename=download_name(name, path=stored.name))


def streaming_response(stored, *, name: str) -> FileResponse:
    """A stored upload (a ``FieldFile``) as a streamed download (for pages)."""
    file = stored.open("rb")
    content_type = served_type(file, path=stored.name)
    response = FileResponse(file, content_type=content_type)
    return _as_attachment(response, filename=download_name(name, path=stored.name))


def inline_response(stored, *, name: str, types: tuple[str, ...]) -> FileResponse | None:
    """A stored upload shown in the browser (``inline``: a PDF or an image) when what its bytes are is
    one of ``types``; None otherwise (the caller offers it as a download). Never cached, never sniffed."""
    file = stored.open("rb")
    content_type = served_type(file, path=stored.name)
    if content_type not in types:
        file.close()
        return None
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(False, download_name(name, path=stored.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response

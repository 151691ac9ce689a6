"""The 交办会 batch as the 人大 or 政协 system gives it: an Excel workbook (.xlsx, the first sheet, a
header row in Chinese) or JSON (a list of objects with the English keys), read into the row dicts
``services.proposals_import`` takes. Checks here are of the file (type, size, columns); each row's
content is checked by the import, which names the row (for a workbook, its row in the sheet)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
XLSX, JSON = ".xlsx", ".json"

# (key, heading) in the order of the 交办 sheet.
COLUMNS = [
    ("kind", "类型"),
    ("number", "编号"),
    ("title", "案由"),
    ("content", "内容"),
    ("lead_proposer", "领衔人"),
    ("delegation", "代表团或界别"),
    ("submitted_on", "提出日期"),
    ("co_signers", "附议人"),
]
REQUIRED = ("kind", "number", "title", "content", "lead_proposer", "submitted_on")
KEY_OF = {**{heading: key for key, heading in COLUMNS}, **{key: key for key, _h in COLUMNS}}
HEADING = dict(COLUMNS)


def _read(upload) -> tuple[str, bytes]:
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in (XLSX, JSON):
        raise ValidationError({"file": _("请上传 Excel（.xlsx）或 JSON 文件。")})
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError({"file": _("文件超过%(mb)d MB，请分批导入。") % {"mb": MAX_BYTES // 2**20}})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("文件超过%(mb)d MB，请分批导入。") % {"mb": MAX_BYTES // 2**20}})
    if not data.strip():
        raise ValidationError({"file": _("文件是空的。")})
    return extension, data


def _missing(keys) -> None:
    missing = [HEADING[key] for key in REQUIRED if key not in keys]
    if missing:
        raise ValidationError(
            {
                "file": _("缺少列：%(columns)s。表头应为：%(all)s。")
                % {"columns": "、".join(missing), "all": "、".join(h for _k, h in COLUMNS)}
            }
        )


def _cell(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _xlsx_rows(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError({"file": _("文件不是有效的 Excel（.xlsx）工作簿。")})
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise ValidationError({"file": _("文件不是有效的 Excel（.xlsx）工作簿。")}) from exc
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise ValidationError({"file": _("工作表是空的。")})
        keys = [KEY_OF.get(str(cell).strip()) if cell is not None else None for cell in header]
        _missing(keys)
        rows = []
        for number, line in enumerate(lines, start=2):
            values = [_cell(cell) for cell in line]
            if all(v in (None, "") for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError({"file": _("一次最多导入%(n)d件，请分批导入。") % {"n": MAX_ROWS}})
            row = {key: value for key, value in zip(keys, values, strict=False) if key}
            if isinstance(row.get("submitted_on"), date):
                row["submitted_on"] = row["submitted_on"].isoformat()
            row["_row"] = number
            rows.append(row)
    finally:
        book.close()
    return rows


def _json_rows(data: bytes) -> list[dict]:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError({"file": _("JSON 格式不正确，或不是 UTF-8 编码。")}) from exc
    if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
        raise ValidationError({"file": _("JSON 应为对象的列表，每个对象一件建议提案。")})
    if len(loaded) > MAX_ROWS:
        raise ValidationError({"file": _("一次最多导入%(n)d件，请分批导入。") % {"n": MAX_ROWS}})
    rows = [
        {KEY_OF[k]: (v if KEY_OF[k] == "co_signers" else _cell(v)) for k, v in item.items() if k in KEY_OF}
        for item in loaded
    ]
    if rows:
        _missing(set().union(*(row.keys() for row in rows)))
    return rows


def parse_rows(upload) -> list[dict]:
    """The rows of an uploaded .xlsx or .json file, as ``services.proposals_import`` takes them."""
    extension, data = _read(upload)
    rows = _xlsx_rows(data) if extension == XLSX else _json_rows(data)
    if not rows:
        raise ValidationError({"file": _("文件中没有建议提案。")})
    return rows

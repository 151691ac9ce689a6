"""Batch exchange of 转送/交办 with the national 信访信息系统, which has no open API: files, CSV
(UTF-8, with or without a BOM) or JSON, one row per case.

- ``export(user, start, end, fmt)``: the cases routed by 转送 or 交办 in [start, end] that ``user``
  sees (never a 绝密 one: on screen only), each with its 登记号, dates, channel, kind, category,
  area, summary, content, 承办单位, report-back date and state, and its 信访人 **masked** unless
  the user may see their identity (``selectors.petitioners_of``). Written to the access log
  (``EXPORT``, the filters and the rows).
- ``import_cases(actor, file, fmt)`` (``import`` is a Python keyword): cases a higher office sent
  (channel 上级转送交办, its number required per row) registered through ``services.case_register`` in one transaction:
  every row or none, each bad row named with its row number and field in the error.

The columns are the same both ways, so an export of one office is the import of the office it
routed to: the sender's 登记号 becomes the 上级转交编号, the day it was routed the day received.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from office.confidentiality import audit
from office.confidentiality.levels import Level
from office.confidentiality.models import AuditAction
from office.confidentiality.visibility import exportable, person_of
from office.org.models import Unit, User
from petitions import ledger_rules, selectors
from petitions.models import CasePetitioner, Channel, IssueCategory, Kind, PetitionCase, Route

CSV, JSON = "csv", "json"
FORMATS = (CSV, JSON)
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 500
MAX_EXPORT_ROWS = 20_000
SEPARATOR = "；"  # between the 信访人 of one row in a CSV cell
SPLIT = re.compile(r"[；;]")
FORMULA_START = ("=", "+", "-", "@")

# (key, heading): the JSON keys and the CSV headings (an import accepts either).
COLUMNS = [
    ("number", "登记号"),
    ("superior_number", "上级转交编号"),
    ("received_on", "收到日期"),
    ("channel", "信访形式"),
    ("kind", "诉求类型"),
    ("category", "问题分类"),
    ("area", "问题属地"),
    ("title", "事项摘要"),
    ("content", "诉求内容"),
    ("headcount", "人数"),
    ("accused_unit", "被检举单位"),
    ("route", "处理方式"),
    ("handling_unit", "承办单位"),
    ("routed_on", "转送交办日期"),
    ("report_back_due", "报送结果时限"),
    ("state", "状态"),
    ("petitioner_names", "信访人"),
    ("petitioner_id_numbers", "身份证号码"),
    ("petitioner_phones", "联系电话"),
    ("petitioner_addresses", "住址"),
]
HEADING = dict(COLUMNS)
KEY_OF = {**{heading: key for key, heading in COLUMNS}, **{key: key for key, _h in COLUMNS}}
PETITIONER_KEYS = {
    "petitioner_names": "name",
    "petitioner_id_numbers": "id_number",
    "petitioner_phones": "phone",
    "petitioner_addresses": "address",
}
# What a service's field error is called in a row's message.
FIELD_LABEL = {
    **HEADING,
    "petitioners": "信访人",
    "classification": "密级",
    "beyond_level": "越级",
    "accused_person": "被检举人",
}


@dataclass(frozen=True)
class BatchFile:
    content: bytes
    content_type: str
    filename: str
    rows: int


# --- Export -----------------------------------------------------------------------------------------


def routed_cases(user: User, start: date, end: date):
    """The cases routed by 转送/交办 in [start, end] that ``user`` sees and may carry away."""
    cases = PetitionCase.objects.visible_to(user).filter(
        route__in=[Route.TRANSFER, Route.ASSIGN], routed_on__range=(start, end)
    )
    return (
        exportable(cases)
        .select_related("organ", "category__parent", "area", "handling_unit", "accused_unit")
        .prefetch_related(
            Prefetch(
                "petitioners",
                queryset=CasePetitioner.objects.select_related("petitioner").order_by("order", "id"),
                to_attr="row_petitioners",
            )
        )
        .order_by("routed_on", "id")
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def case_row(case: PetitionCase, user: User) -> dict:
    """One case as exported to ``user`` (identity masked unless he may see it)."""
    people = selectors.petitioners_of(case, user)
    return {
        "number": case.number,
        "superior_number": case.superior_number,
        "received_on": _iso(case.received_on),
        "channel": case.get_channel_display(),
        "kind": case.get_kind_display(),
        "category": str(case.category),
        "area": case.area.name if case.area_id else "",
        "title": case.title,
        "content": case.content,
        "headcount": case.headcount,
        "accused_unit": case.accused_unit.name if case.accused_unit_id else "",
        "route": case.get_route_display(),
        "handling_unit": case.handling_unit.name if case.handling_unit_id else "",
        "routed_on": _iso(case.routed_on),
        "report_back_due": _iso(case.report_back_due),
        "state": case.get_state_display(),
        "petitioners": [
            {"name": p.name, "id_number": p.id_number, "phone": p.phone, "address": p.address} for p in people
        ],
        "identity_masked": any(p.masked for p in people),
    }


def _csv_cell(value) -> str:
    text = str(value if value is not None else "")
    return "'" + text if text.startswith(FORMULA_START) else text  # never a live formula in a spreadsheet


def _csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for _key, heading in COLUMNS])
    for row in rows:
        people = row["petitioners"]
        flat = {key: SEPARATOR.join(p[field] for p in people) for key, field in PETITIONER_KEYS.items()}
        writer.writerow([_csv_cell(flat.get(key, row.get(key, ""))) for key, _heading in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM: spreadsheets read it as UTF-8


def export(user: User, start: date, end: date, fmt: str = CSV, *, request=None) -> BatchFile:
    if not ledger_rules.may_export_batches(user):
        raise PermissionDenied(_("导出转送、交办事项须以本人账号登录。"))
    if fmt not in FORMATS:
        raise ValidationError({"format": _("导出格式应为 csv 或 json。")})
    if start is None or end is None:
        raise ValidationError({"start": _("请填写转送、交办的起止日期。")})
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    cases = routed_cases(user, start, end)
    count = cases[: MAX_EXPORT_ROWS + 1].count()
    if count > MAX_EXPORT_ROWS:
        raise ValidationError(
            {"start": _("符合条件的事项超过 %(max)d 件，请缩短期间后再导出。") % {"max": MAX_EXPORT_ROWS}}
        )
    rows = [case_row(case, user) for case in cases]
    if fmt == JSON:
        payload = {"start": _iso(start), "end": _iso(end), "count": len(rows), "cases": rows}
        content = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
        content_type = "application/json; charset=utf-8"
    else:
        content = _csv_bytes(rows)
        content_type = "text/csv; charset=utf-8"
    classified = [case.pk for case in cases if case.classification > Level.INTERNAL]
    audit.record(
        user,
        AuditAction.EXPORT,
        request=request,
        detail={
            "what": "petition_batch",
            "filters": {"start": _iso(start), "end": _iso(end), "format": fmt},
            "rows": len(rows),
            "classified": classified,
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return BatchFile(content, content_type, f"转送交办-{stamp}.{fmt}", len(rows))


# --- Import -----------------------------------------------------------------------------------------


class RowError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _read(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str):
        data = file.encode("utf-8")
    else:
        data = file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(
            {"file": _("文件超过 %(mb)d MB，请分批导入。") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}}
        )
    if not data.strip():
        raise ValidationError({"file": _("文件是空的。")})
    return data


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("文件不是 UTF-8 编码，请另存为“CSV UTF-8”后再导入。")}) from None


def _csv_rows(text: str) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValidationError({"file": _("CSV 文件没有表头。")}) from None
    keys = [KEY_OF.get(name.strip()) for name in header]
    if "title" not in keys:
        raise ValidationError({"file": _("CSV 表头不符：第1行应为字段名（如“事项摘要”“诉求内容”）。")})
    rows = []
    try:
        for line, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            row = {key: value for key, value in zip(keys, values, strict=False) if key}
            people = [
                dict(zip(PETITIONER_KEYS.values(), parts, strict=False))
                for parts in _aligned([row.pop(key, "") for key in PETITIONER_KEYS])
            ]
            row["petitioners"] = people
            rows.append((line, row))
    except csv.Error as error:
        raise ValidationError({"file": _("CSV 格式有误：%(e)s") % {"e": error}}) from None
    return rows


def _aligned(columns: list[str]) -> list[tuple[str, ...]]:
    """The 信访人 of a CSV row: the i-th part of each column belongs to the i-th person."""
    split = [[part.strip() for part in SPLIT.split(value)] if value.strip() else [] for value in columns]
    count = len(split[0])
    return [tuple(parts[i] if i < len(parts) else "" for parts in split) for i in range(count)]


def _json_rows(text: str) -> list[tuple[int, dict]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError({"file": _("JSON 格式有误，无法解析。")}) from None
    if isinstance(data, dict):
        data = data.get("cases")
    if not isinstance(data, list):
        raise ValidationError({"file": _("JSON 应为事项的列表（或含 cases 列表的对象）。")})
    rows = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append((n, {"_bad": True}))
            continue
        row = {KEY_OF[k]: v for k, v in item.items() if k in KEY_OF}
        people = item.get("petitioners", [])
        if isinstance(people, str):
            people = [{"name": name} for name in SPLIT.split(people) if name.strip()]
        row["petitioners"] = people if isinstance(people, list) else None
        rows.append((n, row))
    return rows


def _text(row: dict, key: str) -> str:
    value = row.get(key)
    text = "" if value is None else str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        text = text[1:]  # our own export's guard against formulas
    return text


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def _date(row: dict, *keys: str) -> date:
    for key in keys:
        text = _text(row, key)
        if not text:
            continue
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a day, no time)
            except ValueError:
                pass
        raise RowError(key, _("日期“%(v)s”无法识别，应为 2026-01-05 的格式。") % {"v": text})
    raise RowError(keys[-1], _("请填写收到日期。"))


def _choice(row: dict, key: str, choices) -> str:
    text = _text(row, key)
    for value, label in choices:
        if text in (value, str(label)):
            return value
    raise RowError(key, _("“%(v)s”不是有效的%(f)s。") % {"v": text, "f": HEADING[key]} if text else _("请填写。"))


def _category(row: dict, categories: list[IssueCategory]) -> IssueCategory:
    text = _text(row, "category")
    if not text:
        raise RowError("category", _("请填写问题分类。"))
    for match in (
        lambda c: c.code == text,
        lambda c: str(c) == text or str(c).replace(" › ", ">") == text.replace(" ", ""),
        lambda c: c.name == text,
    ):
        found = [c for c in categories if match(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise RowError("category", _("问题分类“%(v)s”不唯一，请写全上级分类。") % {"v": text})
    raise RowError("category", _("找不到问题分类“%(v)s”。") % {"v": text})


def _unit(row: dict, key: str) -> Unit | None:
    text = _text(row, key)
    if not text:
        return None
    found = list(Unit.objects.filter(Q(name=text) | Q(short_name=text))[:2])
    if len(found) != 1:
        message = _("单位“%(v)s”不唯一，请写全称。") if found else _("找不到单位“%(v)s”。")
        raise RowError(key, message % {"v": text})
    return found[0]


def _petitioners(row: dict):
    from petitions.services import PetitionerSpec

    people = row.get("petitioners")
    if not isinstance(people, list) or not people:
        raise RowError("petitioner_names", _("请至少填写一名信访人。"))
    specs = []
    for person in people:
        if not isinstance(person, dict) or not str(person.get("name") or "").strip():
            raise RowError("petitioner_names", _("信访人姓名不能为空。"))
        specs.append(
            PetitionerSpec(
                name=str(person.get("name")).strip(),
                id_number=str(person.get("id_number") or "").strip(),
                phone=str(person.get("phone") or "").strip(),
                address=str(person.get("address") or "").strip(),
            )
        )
    return specs


def _headcount(row: dict) -> int | None:
    text = _text(row, "headcount")
    if not text:
        return None
    try:
        count = int(text)
    except ValueError:
        raise RowError("headcount", _("人数应为正整数。")) from None
    if count < 1:
        raise RowError("headcount", _("人数应为正整数。"))
    return count


def _arguments(row: dict, categories, taken: set[str], lineage: list[int]) -> dict:
    if row.get("_bad"):
        raise RowError("", _("每条事项应为一个对象。"))
    superior = _text(row, "superior_number") or _text(row, "number")
    if not superior:
        raise RowError("superior_number", _("请填写上级转交编号。"))
    if superior in taken:
        raise RowError("superior_number", _("上级转交编号“%(v)s”已经导入，不能重复登记。") % {"v": superior})
    title, content = _text(row, "title"), _text(row, "content")
    if not title:
        raise RowError("title", _("请填写事项摘要。"))
    if not content:
        raise RowError("content", _("请填写诉求内容。"))
    accused = _unit(row, "accused_unit")
    if accused is not None and accused.pk in lineage:
        raise RowError("accused_unit", _("检举控告事项不得由被检举单位登记，请退回上级机关。"))
    return {
        "channel": Channel.SUPERIOR,
        "superior_number": superior,
        "received_on": _date(row, "routed_on", "received_on"),
        "kind": _choice(row, "kind", Kind.choices),
        "category": _category(row, categories),
        "area": _unit(row, "area"),
        "accused_unit": accused,
        "title": title,
        "content": content,
        "headcount": _headcount(row),
        "petitioners": _petitioners(row),
    }


def _message(line: int, fmt: str, field: str, message: str) -> str:
    where = _("第%(n)d行") % {"n": line} if fmt == CSV else _("第%(n)d条") % {"n": line}
    label = FIELD_LABEL.get(field, "")
    return f"{where}（{label}）：{message}" if label else f"{where}：{message}"


def _service_messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(field, " ".join(ValidationError(errors).messages)) for field, errors in error.error_dict.items()]
    return [("", " ".join(error.messages))]


def import_cases(actor: User, file, fmt: str = CSV) -> list[PetitionCase]:
    """Register every row as a case received from a higher office, or none: a ``ValidationError``
    on ``file`` lists each bad row (``第3行（问题分类）：…``)."""
    from petitions import services

    if not ledger_rules.may_import_batches(actor):
        raise PermissionDenied(_("转送、交办事项由信访员导入登记。"))
    if fmt not in FORMATS:
        raise ValidationError({"format": _("导入格式应为 csv 或 json。")})
    text = _decode(_read(file))
    rows = _csv_rows(text) if fmt == CSV else _json_rows(text)
    if not rows:
        raise ValidationError({"file": _("文件中没有事项。")})
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError({"file": _("一次最多导入 %(max)d 件，请分批导入。") % {"max": MAX_IMPORT_ROWS}})
    person = person_of(actor)
    organ = ledger_rules.organ_of(person)
    lineage = person.unit.organ_lineage_ids()
    # Only the numbers this file names (an organ's whole history would be read otherwise).
    named = {_text(row, "superior_number") or _text(row, "number") for _line, row in rows} - {""}
    taken = set(
        PetitionCase.objects.filter(organ=organ, superior_number__in=named).values_list("superior_number", flat=True)
    )
    categories = list(IssueCategory.objects.filter(active=True).select_related("parent"))
    errors: list[str] = []
    created: list[PetitionCase] = []
    with transaction.atomic():
        for line, row in rows:
            try:
                arguments = _arguments(row, categories, taken, lineage)
            except RowError as error:
                errors.append(_message(line, fmt, error.field, error.message))
                continue
            taken.add(arguments["superior_number"])
            try:
                with transaction.atomic():
                    created.append(services.case_register(actor=actor, **arguments))
            except ValidationError as error:
                errors += [_message(line, fmt, field, message) for field, message in _service_messages(error)]
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ValidationError({"file": errors})
    return created

"""The page as GB/T 9704-2012 prints it, shared by the DOCX and PDF renderers.

:func:`layout` words every element of a document as it is printed (份号, 密级★期限, 发文字号, 主送,
dates without padding, the 版记 lines) into one :class:`Layout`, so the two files say the same
thing; beside it, the page's geometry and the measurements both renderers place elements by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from django.utils import timezone

from documents.models import DocumentKind, OutgoingDocument, SeriesTemplate
from office.confidentiality.levels import Level
from office.confidentiality.visibility import person_of
from office.inputs import printable
from office.org.models import Person, User
from office.sheets import chinese_date  # GB/T 9704 7.3.5.1


class ExportRefused(ValueError):
    """The document may not leave the system as a file (绝密 content is on screen only)."""


# --- Reading the body ------------------------------------------------------------------------------

_CN_NUMERAL = "一二三四五六七八九十百零〇"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN_NUMERAL}]+、")),  # 一、
    (2, re.compile(rf"^[（(][{_CN_NUMERAL}]+[）)]")),  # （一）
    (3, re.compile(r"^\d+[.．](?!\d)")),  # 1.  (not 1.5亿元)
    (4, re.compile(r"^[（(]\d+[）)]")),  # （1）
)
ATTENDANCE = re.compile(r"^(出席|请假|列席)[：:]\s*(.*)$")


def blocks(body: str) -> list[tuple[int, str]]:
    """The body's paragraphs (one per non-empty line) with their heading level: 1 for 一、,
    2 for （一）, 3 for 1., 4 for （1）, 0 for running text. Surrounding spaces (including the
    full-width indent people type) are dropped: the indent is the layout's business."""
    result = []
    for raw in (body or "").splitlines():
        text = raw.strip()
        if not text:
            continue
        level = next((level for level, pattern in HEADING_PATTERNS if pattern.match(text)), 0)
        result.append((level, text))
    return result


# --- What is printed -------------------------------------------------------------------------------

URGENCY_MARKS = {"urgent": "加急", "extra_urgent": "特急"}  # printed in Chinese whatever the UI language


@dataclass
class Layout:
    """The printed wording of every element, shared by the DOCX and PDF renderers."""

    template: str  # standard | letter | minutes
    issuer: str
    number: str
    title: str
    marks: list[str] = field(default_factory=list)  # 份号, 密级★期限, 紧急程度, top to bottom
    signer: str | None = None  # 上行文 only: the name after 签发人：
    main_to: str = ""
    body: list[tuple[int, str]] = field(default_factory=list)
    attendance: list[tuple[str, str]] = field(default_factory=list)  # 纪要: (出席, names)…
    attachments: list[str] = field(default_factory=list)
    organ: str = ""  # 发文机关署名
    date: str = ""  # 成文日期
    note: str = ""  # 附注, with its parentheses
    cc: str = ""  # 抄送：…。
    printing_organ: str = ""
    printed_on: str = ""  # "2026年1月5日印发"
    watermark: str = ""  # reader and time, on classified output
    author: str = ""

    @property
    def upward(self) -> bool:
        return self.signer is not None


def recipient_names(units, external: str) -> list[str]:
    """主送 or 抄送: the units in the system, then the names typed for those outside it."""
    names = [unit.name for unit in units]
    return names + [name for name in re.split(r"[、，,；;\s]+", external) if name]


def main_to_text(document: OutgoingDocument) -> str:
    """主送机关: separated by 顿号, a full-width colon after the last (GB/T 9704 7.3.2)."""
    names = recipient_names(document.main_to_units.all(), document.main_to_external)
    return "、".join(names) + "：" if names else ""


def cc_text(document: OutgoingDocument) -> str:
    """抄送机关 in the 版记: separated by commas, a full-width full stop after the last (7.4.2)."""
    names = recipient_names(document.cc_units.all(), document.cc_external)
    return "抄送：" + "，".join(names) + "。" if names else ""


def attachment_lines(names: list[str]) -> list[str]:
    """附件说明 as printed after "附件：": one name alone, several numbered "1．" with a full-width
    full stop (GB/T 9704 7.3.4: “附件：1．XXXXX”)."""
    if len(names) <= 1:
        return list(names)
    return [f"{index}．{name}" for index, name in enumerate(names, start=1)]


def attachment_names(note: str) -> list[str]:
    names = []
    for line in (note or "").splitlines():
        # A number the drafter typed is replaced by ours; no punctuation after a name (GB/T 7.3.4).
        name = re.sub(r"^附件[：:]\s*", "", line.strip())
        name = re.sub(r"^\d+\s*[.．、]\s*", "", name).rstrip("。；;，,")
        if name:
            names.append(name)
    return names


def _minutes_issuer(issuer_name: str) -> str:
    return issuer_name if issuer_name.endswith("纪要") else issuer_name.removesuffix("文件") + "纪要"


def reader_name(reader: Person | User) -> str:
    """The name the watermark prints: the reader is a login (pages and the API pass
    ``request.user``) or the person behind it."""
    if isinstance(reader, Person):
        return reader.name
    person = person_of(reader)
    return person.name if person is not None else reader.get_username()


def layout(document: OutgoingDocument, *, reader, copy_number: int | None = None) -> Layout:
    """What the document prints, or ExportRefused for 绝密. ``copy_number`` is the 份号 of the copy
    being printed; by default a classified document with copies prints 000001."""
    if document.level >= Level.TOP_SECRET:
        raise ExportRefused("绝密级公文的内容只能在屏幕上阅读，不得导出为文件。")
    series = document.series
    minutes = series.template == SeriesTemplate.MINUTES or document.kind == DocumentKind.MINUTES
    template = "minutes" if minutes else ("letter" if series.template == SeriesTemplate.LETTER else "standard")

    marks = []
    if document.is_classified:
        if copy_number is None and document.copies >= 1:
            copy_number = 1
        if copy_number:
            marks.append(f"{copy_number:06d}")
        marks.append(document.level_mark)
    if document.urgency in URGENCY_MARKS:
        marks.append(URGENCY_MARKS[document.urgency])

    signer = None
    if document.direction == "up" and not minutes:
        person = document.signed_by or document.designated_signer
        signer = person.name if person else ""

    paragraphs = blocks(document.body)
    attendance = []
    if minutes:
        kept = []
        for level, text in paragraphs:
            match = ATTENDANCE.match(text)
            if match and level == 0:
                attendance.append((match.group(1), match.group(2).strip()))
            else:
                kept.append((level, text))
        paragraphs = kept

    main_to = "" if minutes else main_to_text(document)

    note = document.note.strip()
    if note and not (note.startswith(("（", "(")) and note.endswith(("）", ")"))):
        note = f"（{note}）"

    watermark = ""
    if document.is_classified:
        watermark = f"{reader_name(reader)} {timezone.localtime().strftime('%Y-%m-%d %H:%M')}"

    number = document.number_text or f"{series.code}〔　　〕　号"
    return _printable(
        Layout(
            template=template,
            issuer=_minutes_issuer(series.issuer_name) if minutes else series.issuer_name,
            number=number,
            title=document.title,
            marks=marks,
            signer=signer,
            main_to=main_to,
            body=paragraphs,
            attendance=attendance,
            attachments=attachment_names(document.attachment_note),
            organ="" if minutes else series.organ.name,
            date=chinese_date(document.written_date),
            note=note,
            cc=cc_text(document),
            printing_organ=document.printing_organ,
            printed_on=chinese_date(document.printed_on) + "印发",
            watermark=watermark,
            author=series.organ.name,
        )
    )


def _printable(lay: Layout) -> Layout:
    """Every element without the characters a Word or PDF file cannot hold: rows stored before
    input refused them (``office.inputs``) still print."""
    for item in fields(lay):
        setattr(lay, item.name, _printable_value(getattr(lay, item.name)))
    return lay


def _printable_value(value):
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return type(value)(_printable_value(part) for part in value)
    return value


# --- The page --------------------------------------------------------------------------------------

# Type area: 22 lines in 225 mm, a line pitch of 28.95 pt (579 twips, also the DOCX's document
# grid); 28 characters in 156 mm.
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TYPE_W_MM = PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
LINE_PT = 28.95
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
SMALL_PT = 14  # 4号
RED = "FF0000"
LETTER_RULE_MM = 170  # 信函's red double lines
WATERMARK_GREY = "BFBFBF"


def _text_width(text: str, size: float) -> float:
    """Printed width: CJK characters are square, ASCII digits and letters half as wide."""
    return sum(size / 2 if ord(char) < 0x2000 else size for char in text)


def issuer_size(text: str, width: float) -> float:
    """The 发文机关标志 as large as fits on one line of the type area: at most 36 pt, at least 22."""
    return max(22.0, min(36.0, int(2 * width / max(1.0, _text_width(text, 1.0))) / 2))


def signature_indents(organ: str, when: str) -> tuple[float, float]:
    """Right indents (pt) of 发文机关署名 and 成文日期 without a seal (GB/T 7.3.5.2): the name right
    two characters in, the date starting two characters right of the name; a longer date stays
    two characters in and pushes the name left."""
    name, day = _text_width(organ, 16), _text_width(when, 16)
    if name >= day + 32:
        return 32.0, name - day
    return 64.0 + day - name, 32.0

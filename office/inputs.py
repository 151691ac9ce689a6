"""What a person or another system may send: which characters text may hold (and how to print old
rows that hold others), and which dates are dates of the office's work.

Control characters (``\\x01``, a lone surrogate, ``U+FFFF`` …) cannot be typed, only pasted or
sent by a program; a Word file or a worksheet cannot hold them, so a title carrying one could
never be printed again, and PostgreSQL refuses NUL outright. Every API serializer
(:class:`office.api.serializers.StrictFieldsMixin`) and page form
(:class:`office.confidentiality.forms.BootstrapMixin`) refuses them with a field error; tab and
line breaks are refused only in single-line fields. Renderers and exports drop them anyway
(:func:`printable`), so rows stored before the check still print.

Dates: ``9999-12-31`` parses, but the day after it does not exist, and a period, a deadline or a
reminder computed from it overflows. The same serializers and forms accept dates from
``EARLIEST_DATE`` to ``LATEST_DATE`` only.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

LINE_CHARACTERS = "\t\n\r"
# C0 controls but tab and line breaks, DEL, C1 controls, lone surrogates, and the two noncharacters
# XML refuses (U+FFFE, U+FFFF).
_UNPRINTABLE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
UNPRINTABLE = re.compile(f"[{_UNPRINTABLE}]")
UNPRINTABLE_OR_LINE_BREAK = re.compile(f"[{_UNPRINTABLE}{LINE_CHARACTERS}]")


def printable(text: str) -> str:
    """``text`` without the characters a document or a worksheet cannot hold (tab and line breaks
    stay)."""
    return UNPRINTABLE.sub("", text) if text else text


def one_line(text: str) -> str:
    """``text`` printable and on one line: tabs and line breaks become spaces."""
    return UNPRINTABLE_OR_LINE_BREAK.sub(lambda match: "" if match[0] not in LINE_CHARACTERS else " ", text or "")


@deconstructible
class ControlCharacterValidator:
    """Refuses control characters; ``multiline`` fields may hold tab and line breaks."""

    def __init__(self, *, multiline: bool = True):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        match = (UNPRINTABLE if self.multiline else UNPRINTABLE_OR_LINE_BREAK).search(value)
        if match is None:
            return
        if match[0] in LINE_CHARACTERS:
            raise ValidationError(_("只能填写一行，不能含有换行符或制表符。"), code="line_break")
        raise ValidationError(
            _("含有不可见的控制字符（%(char)s），请删除后再提交。"),
            code="control_character",
            params={"char": f"U+{ord(match[0]):04X}"},
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline


def with_control_character_check(validators: list, *, multiline: bool) -> list:
    """A text field's validators with ours in place of Django's and DRF's NUL check (ours covers
    NUL too, and names the character)."""
    kept = [validator for validator in validators if not isinstance(validator, ProhibitNullCharactersValidator)]
    return [*kept, ControlCharacterValidator(multiline=multiline)]


EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


@deconstructible
class DateRangeValidator:
    """Refuses a date (or a moment) outside [EARLIEST_DATE, LATEST_DATE]."""

    def __call__(self, value) -> None:
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(
                _("日期应在 %(start)s 至 %(end)s 之间。"),
                code="date_out_of_range",
                params={"start": EARLIEST_DATE.isoformat(), "end": LATEST_DATE.isoformat()},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, DateRangeValidator)


def guard_form_fields(fields) -> None:
    """Add the control-character check to a form's text fields (a textarea may hold line breaks;
    passwords are hashed, never printed, and are left alone) and the range check to its dates."""
    for field in fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators = with_control_character_check(field.validators, multiline=multiline)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(DateRangeValidator())


def file_name(stem: str, extension: str) -> str:
    """A download's name from a title or a number: one printable line, without the characters
    Windows refuses in a name, at most 80 characters."""
    stem = "".join(" " if char in '/\\:*?"<>|' else char for char in one_line(stem)).strip()[:80]
    return f"{stem or 'document'}.{extension}"

"""``{{ value|chinese_date }}``: every date on every page as the office writes it, 2026年12月2日
(``office.sheets.chinese_date``, the same as the exports and the printed 公文); a moment is shown
on its local (Asia/Shanghai) day, and ``|chinese_date:"H:i"`` adds the time: 2026年12月2日 14:30.
A built-in of the template engine (settings ``TEMPLATES``), so no page needs to load it."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import time_format

from office.sheets import chinese_date as _chinese_date

register = template.Library()


@register.filter(name="chinese_date", expects_localtime=False)
def chinese_date(value, time: str = "") -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        text = _chinese_date(moment.date())
        return f"{text} {time_format(moment.time(), time)}" if time else text
    if isinstance(value, date):
        return _chinese_date(value)
    return str(value)

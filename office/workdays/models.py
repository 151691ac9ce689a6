"""The working-day calendar: which years are published, and the days that break the weekly rule.

A day not listed is a working day Monday to Friday and a rest day at the weekend. Listed days are
the exceptions of the State Council's yearly arrangement: holidays (休) and make-up working days on
a weekend (调休上班, 班).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    PACKAGE = "chinese_calendar", _("chinese-calendar 软件包")
    IMPORT = "import", _("导入国务院办公厅通知")


class CalendarYear(models.Model):
    """A year whose arrangement is known; for any other year only weekends count."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    notice = models.CharField(_("依据文件"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the weekly rule: a holiday, or a weekend day worked (调休)."""

    date = models.DateField(_("日期"), primary_key=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("休息")
        return f"{self.date:%Y-%m-%d} {self.name} {kind}"

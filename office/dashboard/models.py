"""The organisation-wide figures, kept as a snapshot the beat refreshes (``tasks.refresh``); who
may read them is ``confidentiality.view_global_statistics`` (``visibility.can_view_global_statistics``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """One computed summary (its key names the scope and the period), as the API answers it."""

    key = models.CharField(_("范围与期间"), max_length=120, unique=True)
    payload = models.JSONField(_("数据"))
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        default_permissions = ()

    def __str__(self) -> str:
        return self.key

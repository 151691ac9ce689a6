"""The figures kept as snapshots the beat refreshes (``tasks.refresh``): the organisation-wide ones
(read with ``confidentiality.view_global_statistics``) and each reader's own (``service``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    """One computed summary (its key names the scope and the period), as the API answers it."""

    key = models.CharField(_("范围与期间"), max_length=120, unique=True)
    payload = models.JSONField(_("数据"))
    computed_at = models.DateTimeField(_("计算时间"))
    read_at = models.DateTimeField(_("最近读取"), null=True, blank=True)  # a reader's own: refreshed while read

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        default_permissions = ()

    def __str__(self) -> str:
        return self.key

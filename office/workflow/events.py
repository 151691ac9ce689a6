"""The abstract 流转记录 row every flow's event table extends (append-only by its migration's trigger)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkflowEvent(models.Model):
    """Who did what to the record, when, and what they said. A flow's table adds the link to its
    record and, where the flow has states, ``from_state``/``to_state`` with its own choices."""

    action = models.CharField(_("操作"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("办理人姓名"), max_length=50, blank=True)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action}"

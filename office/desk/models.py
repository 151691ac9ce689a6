"""委托: a leader names a 秘书 or deputy to act for him, for a period and (optionally) some kinds of
work; the delegate's acts are recorded "代" with both names (``office.workflow.machine``)."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delegation(models.Model):
    principal = models.ForeignKey(
        "org.Person", verbose_name=_("委托人"), on_delete=models.PROTECT, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        "org.Person", verbose_name=_("受托人"), on_delete=models.PROTECT, related_name="delegations_held"
    )
    # The machines (office.workflow: "outgoing", "incoming", "supervision-task"…) it covers; empty: all.
    flows = ArrayField(models.CharField(max_length=40), verbose_name=_("委托事项"), default=list, blank=True)
    starts_on = models.DateField(_("起始日"))
    ends_on = models.DateField(_("截止日"))
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("设立时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("委托")
        verbose_name_plural = _("委托")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["delegate", "ends_on"], name="delegation_held")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="delegation_period"),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("delegate")), name="delegation_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal} → {self.delegate}"


class Follow(models.Model):
    """跟踪: a record a person asked to keep in view (the desk's 跟踪 tab), whatever his part in it."""

    person = models.ForeignKey("org.Person", verbose_name=_("跟踪人"), on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("类型")
    )
    object_id = models.PositiveBigIntegerField(_("记录"))
    created_at = models.DateTimeField(_("跟踪时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("跟踪")
        verbose_name_plural = _("跟踪")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "content_type", "object_id"], name="follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.content_type_id}:{self.object_id}"

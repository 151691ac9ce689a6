"""The words 发文 and 收文 share: the 15 文种 and the 紧急程度 of 《党政机关公文处理工作条例》, the
保管期限 of the archive, and what an account without a person is told."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    """The 15 kinds (文种) of 《党政机关公文处理工作条例》."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", pgettext_lazy("文种", "通知")
    BULLETIN = "bulletin", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")


# The kind's name as it ends a title (命令（令） is titled 令 or 命令).
KIND_TITLE_WORDS = {
    DocumentKind.ORDER: ("令", "命令"),
}


class Urgency(models.TextChoices):
    NONE = "", _("无")
    URGENT = "urgent", _("加急")
    EXTRA_URGENT = "extra_urgent", _("特急")


# 保管期限 (《机关文件材料归档范围和文书档案保管期限规定》).
RETENTION_CHOICES = [("永久", _("永久")), ("30年", _("30年")), ("10年", _("10年"))]
RETENTIONS = tuple(value for value, _label in RETENTION_CHOICES)

NO_PERSON = _("该账号没有对应的人员信息，不能办理公文。")

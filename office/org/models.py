"""Organs and their units, the people in them, and their roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from office.confidentiality.levels import Level


class Role(models.TextChoices):
    """Roles are auth groups named in the office's own terms (kept in place after every migrate)."""

    LEADER = "领导", _("领导")
    OFFICE_CHIEF = "办公室主任", _("办公室主任")
    SECRETARY = "文秘", _("文秘")
    SUPERVISOR = "督查员", _("督查员")
    PETITION_OFFICER = "信访员", _("信访员")
    MEETING_OFFICER = "会务员", _("会务员")
    SECURITY_OFFICER = "保密员", _("保密员")
    DISCLOSURE_OFFICER = "政务公开员", _("政务公开员")  # the 公开工作机构's staff (依申请公开, 主动公开)
    HANDLER = "承办人", _("承办人")
    # 三员分立 (分级保护): three administrators, no person holds two of them.
    SYSTEM_ADMIN = "系统管理员", _("系统管理员")
    SECURITY_ADMIN = "安全保密管理员", _("安全保密管理员")
    AUDITOR = "安全审计员", _("安全审计员")


# The three administrators of 三员分立: each excludes the other two.
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)


class User(AbstractUser):
    """The login. Everything about the person in the office lives on :class:`Person`."""

    class Meta(AbstractUser.Meta):
        verbose_name = _("登录账号")
        verbose_name_plural = _("登录账号")

    def has_role(self, role: Role) -> bool:
        if not self.is_authenticated:
            return False
        # One query per request: the groups are cached on the instance.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return role.value in self._role_names

    @property
    def is_system_admin(self) -> bool:
        # The role, not is_superuser: the superuser is break-glass from the command line only.
        return self.has_role(Role.SYSTEM_ADMIN)

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_withdrawn = True

    def save(self, *args, **kwargs) -> None:
        # API tokens never outlive the password they were issued against, nor the account's
        # activity: whatever path changes either (password page, admin, set_password) ends here.
        # A hash upgrade on login is not a change (Django leaves ``_password`` unset for it).
        adding = self._state.adding
        password_changed = self._password is not None or self.__dict__.pop("_password_withdrawn", False)
        update_fields = kwargs.get("update_fields")
        super().save(*args, **kwargs)
        if adding:
            return
        deactivated = not self.is_active and (update_fields is None or "is_active" in update_fields)
        if password_changed or deactivated:
            from office.org import tokens

            tokens.api_tokens_revoke_for_user(
                user=self, reason="password_changed" if password_changed else "deactivated"
            )


class UnitKind(models.TextChoices):
    ORGAN = "organ", _("机关")
    DEPARTMENT = "department", _("部门")
    SECTION = "section", _("处室")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


# The units above one, nearest first, up to and including the first organ.
ORGAN_LINEAGE_SQL = """
WITH RECURSIVE up(id, parent_id, kind, depth) AS (
    SELECT id, parent_id, kind, 1 FROM org_unit WHERE id = %s
    UNION ALL
    SELECT u.id, u.parent_id, u.kind, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.parent_id
    WHERE up.kind <> %s
)
SELECT id FROM up ORDER BY depth
"""

SUBTREE_SQL = """
WITH RECURSIVE down(id, depth) AS (
    SELECT id, 0 FROM org_unit WHERE id = %s
    UNION ALL
    SELECT u.id, down.depth + 1 FROM org_unit u JOIN down ON u.parent_id = down.id
)
SELECT id FROM down ORDER BY depth, id
"""


class Unit(models.Model):
    """A node of the organisation tree: an organ (机关), a department (部门) or a section (处室)."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("机构代码"), max_length=32, unique=True, help_text=_("用于档号等编码，在本系统内唯一。"))
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The organ this unit belongs to (itself for an organ): "within the organ" is one comparison.
    organ = models.ForeignKey(
        "self",
        verbose_name=_("所属机关"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    head = models.ForeignKey(
        "Person", verbose_name=_("负责人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    # The auth group whose members are the people of this unit and of every unit below it:
    # a 知悉范围 grant to a unit is a guardian permission for this group.
    group = models.OneToOneField(
        Group,
        verbose_name=_("单位用户组"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="unit",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=False) | models.Q(kind="organ"),
                name="unit_only_organs_at_root",
                violation_error_message=_("只有机关可以没有上级单位。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="unit_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        previous_parent_id = (
            Unit.objects.filter(pk=self.pk).values_list("parent_id", flat=True).first() if self.pk else None
        )
        super().save(*args, **kwargs)
        if self.group_id is None:
            self.group = Group.objects.create(name=f"unit:{self.pk}")
            Unit.objects.filter(pk=self.pk).update(group=self.group)
        organ_id = self.pk if self.kind == UnitKind.ORGAN else (self.parent.organ_id if self.parent else None)
        if organ_id != self.organ_id:
            Unit.objects.filter(pk=self.pk).update(organ_id=organ_id)
            self.organ_id = organ_id
            for child in self.children.all():
                child.save(update_fields=[])  # re-derives the child's organ, and so on down
        if previous_parent_id is not None and previous_parent_id != self.parent_id:
            for person in Person.objects.filter(unit__in=self.subtree_ids()).select_related("unit"):
                person.sync_unit_groups()

    def subtree_ids(self) -> list[int]:
        """This unit and every unit below it, nearest first (one query)."""
        with connection.cursor() as cursor:
            cursor.execute(SUBTREE_SQL, [self.pk])
            return [row[0] for row in cursor.fetchall()]

    def organ_lineage_ids(self) -> list[int]:
        """This unit and the units above it up to and including its own organ: an organ's
        scope stops at its own boundary (a bureau's staff are not inside the city government's).
        One query, however deep the unit sits."""
        if self.kind == UnitKind.ORGAN or self.parent_id is None:
            return [self.pk]
        with connection.cursor() as cursor:
            cursor.execute(ORGAN_LINEAGE_SQL, [self.parent_id, UnitKind.ORGAN])
            return [self.pk, *(row[0] for row in cursor.fetchall())]

    def lineage_ids(self) -> list[int]:
        """This unit and every unit above it (the units a member of this one belongs to)."""
        ids, node = [], self
        while node is not None:
            ids.append(node.pk)
            node = node.parent
        return ids

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
                node = node.parent
        if self.parent_id is None and self.kind != UnitKind.ORGAN:
            raise ValidationError({"parent": _("只有机关可以没有上级单位。")})


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(user__is_active=True)


class Person(models.Model):
    """A person working in the organ: their unit, post, clearance and contact."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.PROTECT, related_name="person"
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people")
    post = models.CharField(_("职务"), max_length=50, blank=True)
    clearance = models.PositiveSmallIntegerField(
        _("涉密等级"),
        choices=Level.choices,
        default=Level.INTERNAL,
        help_text=_("可以知悉的最高密级：秘密对应一般涉密人员，机密对应重要涉密人员，绝密对应核心涉密人员。"),
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    # Demo accounts log in only while SHUNIU_DEMO is on (office.org.auth).
    is_demo = models.BooleanField(_("演示账号"), default=False, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__sort_order", "unit__code", "id"]
        indexes = [models.Index(fields=["unit", "clearance"], name="person_unit_clearance")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.sync_unit_groups()

    def sync_unit_groups(self) -> None:
        """The person's login belongs to the groups of their unit and of every unit above it."""
        wanted = set(Unit.objects.filter(pk__in=self.unit.lineage_ids()).values_list("group_id", flat=True))
        wanted.discard(None)
        current = set(self.user.groups.filter(unit__isnull=False).values_list("pk", flat=True))
        if stale := current - wanted:
            self.user.groups.remove(*stale)
        if missing := wanted - current:
            self.user.groups.add(*missing)

    def units(self) -> list[int]:
        """ "My units": the ids of the person's unit and the units above it within their organ, as
        ``visible_to`` counts them (``lineage_of``; cached on the person for the request)."""
        if not hasattr(self, "_lineage_ids"):
            self._lineage_ids = self.unit.organ_lineage_ids()
        return self._lineage_ids

    @property
    def active(self) -> bool:
        return self.user.is_active

    @property
    def clearance_level(self) -> Level:
        return Level(self.clearance)


class ApiTokenKind(models.TextChoices):
    LOGIN = "login", _("登录令牌")
    INTEGRATION = "integration", _("系统对接令牌")


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox, ``KNOX_TOKEN_MODEL``): only the digest of the secret is
    stored, and the first characters (``token_key``) by which knox finds it. Every token expires.
    A person's own token comes from ``POST /api/v1/auth/token/``; a system integration's from
    ``manage.py issue_integration_token`` and carries the integration's name."""

    # A plain id, so that neither the API, the admin's addresses nor the audit log name the digest.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(_("摘要"), max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    token_key = models.CharField(
        _("令牌开头"),
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
        editable=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("持有人"), on_delete=models.CASCADE, related_name="auth_token_set"
    )
    created = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expiry = models.DateTimeField(_("过期时间"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=ApiTokenKind.choices, default=ApiTokenKind.LOGIN)
    name = models.CharField(
        _("名称"), max_length=100, blank=True, help_text=_("系统对接令牌所属的系统，如“12345热线平台”。")
    )

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "expiry"], name="apitoken_user_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="integration") | ~models.Q(name=""),
                name="apitoken_integration_named",
                violation_error_message=_("系统对接令牌必须写明所属系统。"),
            ),
        ]

    def __str__(self) -> str:
        # Never the digest (knox's own __str__): this is what the audit log and the admin show.
        label = self.name or self.get_kind_display()
        return f"{label} · {self.prefix}…"

    @property
    def prefix(self) -> str:
        """Enough of the secret's start for its holder to tell their tokens apart."""
        return self.token_key[:8]


class UnitGroup(models.Model):
    """常用组: units chosen together again and again (各区县政府, 市直各部门). An organisation-wide group
    (no owner) is kept by the 系统管理员 in the admin; a personal one by the person who owns it.
    A person sees the organisation-wide groups and their own (``office.org.groups``)."""

    name = models.CharField(_("名称"), max_length=50)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("所有人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="unit_groups",
        help_text=_("不填写的，为全机关共用的常用组。"),
    )
    units = models.ManyToManyField(Unit, verbose_name=_("单位"), related_name="+")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("常用组")
        verbose_name_plural = _("常用组")
        ordering = ["sort_order", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(owner__isnull=True),
                name="unitgroup_shared_name_unique",
                violation_error_message=_("已有同名的共用常用组。"),
            ),
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=models.Q(owner__isnull=False),
                name="unitgroup_own_name_unique",
                violation_error_message=_("您已有同名的常用组。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shared(self) -> bool:
        return self.owner_id is None


class Phrase(models.Model):
    """常用语: a short opinion typed again and again (同意。拟同意。请XX阅示。). A person's own
    (``person``) or a unit's (``unit``, kept by its head or its 文秘); a person is offered his own
    and his unit's, beside every opinion box (``office.org.phrases``)."""

    text = models.CharField(_("常用语"), max_length=200)
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), null=True, blank=True, on_delete=models.CASCADE, related_name="phrases"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE, related_name="phrases"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常用语")
        verbose_name_plural = _("常用语")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, unit__isnull=True)
                | models.Q(person__isnull=True, unit__isnull=False),
                name="phrase_person_or_unit",
            ),
            models.UniqueConstraint(
                fields=["person", "text"], condition=models.Q(person__isnull=False), name="phrase_own_text_unique"
            ),
            models.UniqueConstraint(
                fields=["unit", "text"], condition=models.Q(unit__isnull=False), name="phrase_unit_text_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text

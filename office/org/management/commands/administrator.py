"""Set up the three administrators of 三员分立 from the server's command line (break-glass).

    manage.py administrator create fengyu --name 冯宇 --unit LJ-BGS-ZH --role 系统管理员
    manage.py administrator assign wumin 安全保密管理员
    manage.py administrator revoke wumin 安全保密管理员
    manage.py administrator list

No page or API gives these roles, and none of the three can change the others' accounts: a real
office runs this with its IT and 保密 offices together, and the audit chain records it.
"""

import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from office.confidentiality.levels import Level
from office.org import services
from office.org.models import ADMIN_ROLES, Person, Role, Unit, User

ROLE_NAMES = [role.value for role in ADMIN_ROLES]


class Command(BaseCommand):
    help = "三员（系统管理员、安全保密管理员、安全审计员）的账号与角色，仅在服务器命令行维护。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="新建一名管理员账号")
        create.add_argument("username")
        create.add_argument("--name", required=True)
        create.add_argument("--unit", required=True, help="所在单位的机构代码")
        create.add_argument("--role", required=True, choices=ROLE_NAMES)
        create.add_argument("--clearance", default="internal", choices=[level.code for level in Level])
        create.add_argument("--password", help="初始密码（不给则在终端输入）")
        for name in ("assign", "revoke"):
            sub = actions.add_parser(name, help="授予" if name == "assign" else "收回")
            sub.add_argument("username")
            sub.add_argument("role", choices=ROLE_NAMES)
        actions.add_parser("list", help="列出三员")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error

    def _create(self, *, username, name, unit, role, clearance, password, **_options):
        unit_row = Unit.objects.filter(code=unit).first()
        if unit_row is None:
            raise CommandError(f"没有机构代码为 {unit} 的单位。")
        password = password or getpass.getpass("初始密码：")
        password_validation.validate_password(password)  # a ValidationError ends as CommandError
        person = services.person_create(
            actor=None,
            username=username,
            name=name,
            unit=unit_row,
            clearance=Level.from_code(clearance),
            password=password,
        )
        services.administrator_assign(user=person.user, role=Role(role))
        self.stdout.write(f"已新建{role} {name}（{username}）。")

    def _assign(self, *, username, role, **_options):
        services.administrator_assign(user=self._user(username), role=Role(role))
        self.stdout.write(f"{username} 已是{role}。")

    def _revoke(self, *, username, role, **_options):
        services.administrator_assign(user=self._user(username), role=Role(role), holds=False)
        self.stdout.write(f"已收回 {username} 的{role}角色。")

    def _list(self, **_options):
        for role in ADMIN_ROLES:
            names = Person.objects.filter(user__groups__name=role.value).values_list("name", "user__username")
            listed = "、".join(f"{name}（{username}）" for name, username in names) or "—"
            self.stdout.write(f"{role.value}：{listed}")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的账号。")
        return user

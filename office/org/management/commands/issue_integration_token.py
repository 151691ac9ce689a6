"""Issue a long-lived API token for a named system integration, from the server's command line.

    manage.py issue_integration_token hotline --name "12345热线平台" [--days 365] [--by fengyu]

The account must be able to log in (active; not a demo account outside the demo). The secret is
printed once, here, and stored nowhere: only its digest is kept. ``--by`` names the 系统管理员
issuing it (the audit event's actor); without it the event records the command line.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from office.org import tokens
from office.org.models import ApiTokenKind, User


class Command(BaseCommand):
    help = "为对接系统签发长期 API 令牌（令牌只显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="对接系统使用的账号")
        parser.add_argument("--name", required=True, help="对接系统的名称，如“12345热线平台”")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"有效天数（默认 SHUNIU_INTEGRATION_TOKEN_DAYS = {settings.SHUNIU_INTEGRATION_TOKEN_DAYS}）",
        )
        parser.add_argument("--by", default=None, help="签发的系统管理员的用户名（记入审计日志）")

    def handle(self, *args, username, name, days, by, **options):
        user = self._user(username)
        actor = self._user(by) if by else None
        if actor is not None and not actor.is_system_admin:
            raise CommandError(f"{by} 不是系统管理员。")
        if days is not None and days < 1:
            raise CommandError("有效天数至少为 1。")
        days = days or settings.SHUNIU_INTEGRATION_TOKEN_DAYS
        try:
            token, secret = tokens.api_token_issue(
                user=user, actor=actor, kind=ApiTokenKind.INTEGRATION, name=name, lifetime=timedelta(days=days)
            )
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("；".join(messages)) from error
        expiry = timezone.localtime(token.expiry).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"已为 {name}（账号 {username}）签发 API 令牌，编号 {token.pk}，有效至 {expiry}：")
        self.stdout.write(secret)
        self.stdout.write("请立即交给对接系统妥善保存：令牌只显示这一次，系统不保存令牌本身。")
        self.stdout.write("调用时发送请求头 Authorization: Token <上面的令牌>。")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的账号。")
        return user

"""Lift a login lockout from the server's command line, with an audit event (axes's own
``axes_reset_username`` / ``axes_reset_ip`` work too, but leave no trace in the audit chain).

    manage.py unlock_login zhangsan            # the account, from whatever address
    manage.py unlock_login --address 10.1.2.3  # the address, whatever account was tried
"""

import ipaddress

from axes.models import AccessAttempt
from django.core.management.base import BaseCommand, CommandError

from office.org import lockout


class Command(BaseCommand):
    help = "解除登录锁定（账号或来源地址），并记入审计日志。"

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="被锁定的用户名")
        parser.add_argument("--address", help="被锁定的来源地址")

    def handle(self, *args, username, address, **options):
        if not username and not address:
            raise CommandError("请给出用户名或 --address 地址。")
        attempts = AccessAttempt.objects.all()
        if username:
            attempts = attempts.filter(username=username)
        if address:
            try:
                address = str(ipaddress.ip_address(address))
            except ValueError as error:
                raise CommandError(f"{address} 不是有效的地址。") from error
            attempts = attempts.filter(ip_address=address)
        count = lockout.login_unlock(actor=None, attempts=attempts)
        self.stdout.write(f"已清除 {count} 条登录失败记录。" if count else "没有相应的登录失败记录。")

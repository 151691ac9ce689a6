"""Load the demo office: 临江市人民政府 with its office, a few bureaus, the demo logins, and each
app's part of the demo (``seed(context)`` in the modules of ``settings.SHUNIU_DEMO_SEEDERS``, in
that order; ``office.demo`` says what they share).

Idempotent: what exists is left as it is, so running it twice changes nothing. Refuses to run
outside demo mode (SHUNIU_DEMO=1), and demo accounts cannot log in outside demo mode anyway.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from office.demo import DemoContext
from office.org.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "载入演示机关（临江市人民政府）及演示账号；可重复运行。仅在演示模式（SHUNIU_DEMO=1）下可用。"

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="只打印演示账号，不写数据库。")

    def handle(self, *args, print_logins: bool = False, **options):
        if not settings.SHUNIU_DEMO:
            raise CommandError("演示数据只能在演示模式下载入：请设置 SHUNIU_DEMO=1（make run 会设置）。")
        if print_logins:
            self._print_logins()
            return
        for line in self._seed().report:
            self.stdout.write(line)

    @transaction.atomic
    def _seed(self) -> DemoContext:
        context = DemoContext()
        for path in settings.SHUNIU_DEMO_SEEDERS:
            import_module(path).seed(context)
        return context

    def _print_logins(self) -> None:
        width = max(len(person.username) for person in DEMO_LOGINS)
        self.stdout.write(f"演示账号 / demo logins (password: {settings.DEMO_PASSWORD}):")
        for person in DEMO_LOGINS:
            self.stdout.write(f"  {person.username.ljust(width)}  {person.name}  {person.login}")

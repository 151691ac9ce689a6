from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from office.confidentiality import access


class Command(BaseCommand):
    help = "核对每条密级记录的知悉范围索引（access_keys）与其声明是否一致；--fix 重新计算不一致的记录。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="重新计算不一致的记录")

    def handle(self, *args, fix: bool = False, **options):
        wrong = 0
        for model in access.classified_models():
            stale = access.stale(model)
            wrong += len(stale)
            self.stdout.write(f"{model._meta.label}: {len(stale)} stale")
            if stale and fix:
                with transaction.atomic():
                    access.refresh(model, stale)
        if wrong and not fix:
            raise CommandError(f"{wrong} records have stale access keys: run with --fix")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from office.confidentiality import audit


class Command(BaseCommand):
    help = "校验访问与安全日志的哈希链，并与库外保存的链头记录比对；报告第一处断裂。"

    def add_arguments(self, parser):
        parser.add_argument("--anchors", type=Path, help="链头记录文件（默认 SHUNIU_AUDIT_ANCHOR_FILE）")

    def handle(self, *args, anchors=None, **options):
        result = audit.verify(anchors=anchors)
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN at #{result.broken_at}: {result.problem} "
                f"({result.checked} rows verified before it)"
            )
        self.stdout.write(f"audit chain intact: {result.checked} rows verified")

"""``manage.py backup [--output DIR]``: one dated archive of the database, the uploaded files, the
audit anchors and the key file (office/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from office import backup


class Command(BaseCommand):
    help = "备份：把数据库（一次快照）、附件、审计链头记录和密钥文件写入一个带日期的归档，附清单与校验和。"

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="归档写到哪个目录（默认 SHUNIU_BACKUP_DIR）")

    def handle(self, *args, output: Path | None = None, **options):
        try:
            archive = backup.backup(output or Path(settings.SHUNIU_BACKUP_DIR), progress=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup.read_manifest(archive)
        head = manifest["audit_chain_head"]
        counts = manifest["row_counts"]
        self.stdout.write(f"数据库 {manifest['database']}：{len(counts)} 张表，共 {sum(counts.values())} 行")
        self.stdout.write(f"审计链头：#{head['last_id']} {head['last_hash']}" if head else "审计链头：（空）")
        self.stdout.write(f"文件：{len(manifest['files'])} 个")
        self.stdout.write(self.style.SUCCESS(f"备份完成：{archive}"))

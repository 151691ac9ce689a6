"""``manage.py restore ARCHIVE [--yes]``: check an archive against its manifest, replace the
database, uploaded files, audit anchors and key file with it, and print the verification."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from office import backup


class Command(BaseCommand):
    help = "恢复：校验备份归档的清单与校验和，用它覆盖数据库、附件、审计链头记录和密钥文件，并核对行数与审计链。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="manage.py backup 写出的 .tar.gz 归档")
        parser.add_argument("--yes", action="store_true", help="确认覆盖（没有它只显示将恢复什么）")

    def handle(self, *args, archive: Path, yes: bool = False, **options):
        if not archive.is_file():
            raise CommandError(f"找不到备份归档 {archive}。")
        try:
            manifest = backup.read_manifest(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        target = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        head = manifest["audit_chain_head"]
        self.stdout.write(f"备份时间：{manifest['created_at']}（版本 {manifest['version']} {manifest['commit'][:12]}）")
        self.stdout.write(f"备份的数据库：{manifest['database']}，{sum(manifest['row_counts'].values())} 行")
        self.stdout.write(f"审计链头：#{head['last_id']} {head['last_hash']}" if head else "审计链头：（空）")
        if not yes:
            raise CommandError(
                f"恢复会用这份备份覆盖数据库 {target}、附件目录 {settings.MEDIA_ROOT} 和审计链头记录，"
                "备份之后的改动都会丢失（被替换的文件移到 *.before-restore-* 保留）。"
                "请先停止 web、worker、beat，确认无误后加 --yes 再运行。"
            )
        try:
            result = backup.restore(archive, progress=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        for line in result.lines:
            self.stdout.write(line)
        if not result.ok:
            raise CommandError("恢复后的核对不一致，见上。")
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{target} 与备份清单一致。"))

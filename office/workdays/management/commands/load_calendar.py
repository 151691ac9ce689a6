from django.core.management.base import BaseCommand

from office.workdays.services import load_from_package


class Command(BaseCommand):
    help = "从 chinese-calendar 软件包载入其已知年度的节假日安排（管理员导入的年度保持不变）。"

    def add_arguments(self, parser):
        parser.add_argument("--replace-imported", action="store_true", help="连管理员导入的年度也用软件包数据覆盖。")

    def handle(self, *args, replace_imported: bool = False, **options):
        years = load_from_package(refresh=True, replace_imported=replace_imported)
        self.stdout.write(f"loaded {len(years)} years: {years[0]}–{years[-1]}" if years else "nothing to load")

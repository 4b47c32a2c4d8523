from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from places.services import PlacesImportError, import_places


class Command(BaseCommand):
    help = "导入组织树 CSV(UTF-8,表头 code,name,kind,parent_code,aliases)。全部成功才写入,可重复导入。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"找不到文件:{file}") from None
        except UnicodeDecodeError:
            raise CommandError("文件不是 UTF-8 编码,请另存为 UTF-8 CSV 后再导入。") from None
        try:
            result = import_places(text)
        except PlacesImportError as exc:
            raise CommandError(f"导入失败,未写入任何数据。{exc}") from None
        self.stdout.write(
            f"imported {len(result.codes)} units: created={result.created} "
            f"updated={result.updated} unchanged={result.unchanged}"
        )

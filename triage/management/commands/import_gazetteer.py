from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.gazetteer import COLUMNS, GazetteerImportError, import_gazetteer


class Command(BaseCommand):
    help = f"导入道路/地标 CSV(UTF-8,表头 {','.join(COLUMNS)})。全部校验通过才写入,可重复导入。详见 docs/triage.md。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"找不到文件:{file}") from None
        except UnicodeDecodeError:
            raise CommandError("文件不是 UTF-8 编码,请另存为 UTF-8 CSV 后再导入。") from None
        try:
            result = import_gazetteer(text)
        except GazetteerImportError as exc:
            raise CommandError(f"导入失败,未写入任何数据。{exc}") from None
        self.stdout.write(f"imported roads={result.roads} landmarks={result.landmarks}")

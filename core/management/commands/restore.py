from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库(会覆盖当前数据库;先停止网站和后台任务进程)。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database-name", help="恢复到另一个数据库(PostgreSQL 库名或 SQLite 文件路径)")
        parser.add_argument("--yes", action="store_true", help="确认覆盖")

    def handle(self, file, database_name=None, yes=False, **options):
        if not yes:
            raise CommandError("恢复会覆盖目标数据库中的全部数据;确认无误后加 --yes 重新执行。")
        try:
            target = restore(file, database_name=database_name)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored into: {target}")

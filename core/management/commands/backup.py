from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "在线备份数据库(SQLite 在线备份;PostgreSQL 使用 pg_dump -Fc)。个人信息在备份中保持加密。"

    def add_arguments(self, parser):
        parser.add_argument("--out", help="备份文件路径(默认 var/backups/shouhu-时间.backup)")

    def handle(self, *args, out=None, **options):
        from django.conf import settings

        out = out or str(settings.VAR_DIR / "backups" / f"shouhu-{timezone.now():%Y%m%d-%H%M%S}.backup")
        try:
            path = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backup written: {path}")

"""Import orders from an Excel file (template: docs/hotline.md) as a user with hotline.intake.

    python manage.py import_orders orders.xlsx --user operator
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hotline.services.imports import ImportFailed, import_orders


class Command(BaseCommand):
    help = "从 Excel 导入工单(整个文件先校验,任何一行有误则不导入)"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="以该用户名受理(须有受理权限)")

    def handle(self, *args, path, user, **opts):
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"用户 {user} 不存在。")
        try:
            with open(path, "rb") as handle:
                created = import_orders(actor, handle)
        except ImportFailed as exc:
            raise CommandError(exc.messages[0] + " 整个文件未导入。") from None
        except OSError as exc:
            raise CommandError(f"无法读取文件:{exc}") from None
        self.stdout.write(f"已导入 {len(created)} 张工单:{created[0].number} … {created[-1].number}")

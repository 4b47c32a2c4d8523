"""Print who may do what: every role with the permissions all areas grant it (accounts.roles.PERMISSIONS)."""

from django.core.management.base import BaseCommand

from accounts.roles import PERMISSIONS, Role


class Command(BaseCommand):
    help = "列出每个角色的权限(各业务模块 permissions.py 合并后的总表)。"

    def add_arguments(self, parser):
        parser.add_argument("--permission", help="只列出拥有该权限的角色,例如 hotline.dispatch")

    def handle(self, *args, permission=None, **options):
        for role in Role:
            perms = sorted(PERMISSIONS.get(role, ()))
            if permission and permission not in perms:
                continue
            self.stdout.write(f"{role.value} ({role.label}): {', '.join(perms) or '—'}")

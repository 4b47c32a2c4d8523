"""create_api_key --unit CODE --role operator --name NAME: the clear key alone on the last line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role
from interop.models import SystemAccount
from interop.services import create_api_key
from places.models import OrgUnit


class Command(BaseCommand):
    help = "为系统账号(单位+角色+名称)创建 API 密钥;密钥只显示这一次。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位编码,如 320611")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", required=True, help="系统名称,如 市民小程序")
        parser.add_argument("--channel", default="web", choices=SystemAccount.Channel.values)
        parser.add_argument("--label", default="")

    def handle(self, *args, unit, role, name, channel, label, **options):
        org_unit = OrgUnit.objects.filter(code=unit).first()
        if org_unit is None:
            raise CommandError(f"单位编码 {unit} 不存在。")
        try:
            key, raw = create_api_key(unit=org_unit, role=role, name=name, channel=channel, label=label)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stderr.write(f"已为“{key.account}”创建密钥 {key.prefix}…(只显示这一次,请妥善保存)")
        self.stdout.write(raw)

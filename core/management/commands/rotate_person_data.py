from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core import crypto
from core.fields import EncryptedField


class Command(BaseCommand):
    help = "用 SHOUHU_DATA_KEYS 中的第一个(最新)密钥重新加密所有个人信息字段。轮换密钥后运行。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch=500, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
            if not fields:
                continue
            names = [f.attname for f in fields]
            last_pk = 0
            while True:
                # Reading decrypts with any listed key; writing encrypts with the first (newest) one.
                rows = list(
                    model._base_manager.filter(pk__gt=last_pk).order_by("pk").values_list("pk", *names)[:batch]
                )
                if not rows:
                    break
                with transaction.atomic():
                    for pk, *values in rows:
                        clear = {n: v for n, v in zip(names, values) if v}
                        if clear:
                            model._base_manager.filter(pk=pk).update(**clear)
                        total += 1
                last_pk = rows[-1][0]
        self.stdout.write(f"re-encrypted {total} rows with the newest key ({crypto.PREFIX})")

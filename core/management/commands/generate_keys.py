import secrets

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "生成一组新的密钥(SECRET_KEY、个人信息加密密钥、检索哈希密钥),以环境变量格式输出。"

    def handle(self, *args, **options):
        self.stdout.write(f"SHOUHU_SECRET_KEY={secrets.token_urlsafe(50)}")
        self.stdout.write(f"SHOUHU_DATA_KEYS={Fernet.generate_key().decode()}")
        self.stdout.write(f"SHOUHU_HASH_KEY={secrets.token_hex(32)}")

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from accounts.roles import collect
        from core.registry import load_app_hooks

        collect()  # every area's permissions.py, merged into the one table access.py reads
        load_app_hooks(self.name)

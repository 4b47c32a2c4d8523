from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "supplies"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

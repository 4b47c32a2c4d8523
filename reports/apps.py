from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

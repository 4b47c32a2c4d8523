from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

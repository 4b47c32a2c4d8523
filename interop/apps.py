from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "interop"
    verbose_name = "对外接口"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "hotline"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "volunteers"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

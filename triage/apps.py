from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

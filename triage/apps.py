from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "智能分拨"

    def ready(self):
        from core.registry import load_app_hooks
        from triage import signals

        signals.connect()
        load_app_hooks(self.name)

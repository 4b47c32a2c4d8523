from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)
        from community import caches

        caches.connect()

from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = "组织与地点"

    def ready(self):
        from core.registry import load_app_hooks

        load_app_hooks(self.name)

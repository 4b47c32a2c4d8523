"""Roles and what each may do, as data. A permission is a short dotted string checked by access.py.

To add a role: add it to Role and make a migration (choices change), then grant it permissions in the areas.
Each area app names its permissions "<app>.<verb>" and grants them per role in `<app>/permissions.py`
(GRANTS); collect() merges those into PERMISSIONS at start-up. `python manage.py roles` prints the whole
table (who may do what), and docs/architecture.md explains the model.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("话务员")
    DISPATCHER = "dispatcher", _("派单员")
    SUPERVISOR = "supervisor", _("督办员")
    LIAISON = "liaison", _("联络员")
    HEAD = "head", _("负责人")
    HANDLER = "handler", _("承办人")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    VOLUNTEER = "volunteer", _("志愿者")
    SUPPLY_KEEPER = "supply_keeper", _("物资保管员")
    AUDITOR = "auditor", _("审计员")
    ADMIN = "admin", _("管理员")


# Filled at start-up (AccountsConfig.ready → collect()) from each area's `<app>/permissions.py`, whose GRANTS
# say what each role may do there. The same dict object is filled in place, so imports made earlier see it.
PERMISSIONS: dict[str, set[str]] = {}


def collect():
    """Merge every installed app's GRANTS into PERMISSIONS (idempotent)."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    merged: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        if find_spec(config.name) is None or find_spec(f"{config.name}.permissions") is None:
            continue
        grants = getattr(import_module(f"{config.name}.permissions"), "GRANTS", None)
        if grants is None:  # a third-party app's own permissions module (rest_framework.permissions)
            continue
        for role, perms in grants.items():
            if role not in Role.values:
                raise ValueError(f"{config.name}.permissions grants to an unknown role {role!r}")
            wrong = [p for p in perms if not p.startswith(f"{config.label}.")]
            if wrong:
                raise ValueError(f"{config.name}.permissions grants another area's permissions: {wrong}")
            merged.setdefault(role, set()).update(perms)
    PERMISSIONS.clear()
    PERMISSIONS.update(merged)
    return PERMISSIONS


def perms_of(role: str) -> set[str]:
    return PERMISSIONS.get(role, set())

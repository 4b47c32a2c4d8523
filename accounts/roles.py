"""Roles and what each may do, as data. A permission is a short dotted string checked by access.py.

To add a role: add it to Role, give it a set in PERMISSIONS, and make a migration (choices change).
Area apps name their permissions "<app>.<verb>"; list them here so one table shows who may do what.
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


_PLATFORM_READ = {"hotline.view", "reports.view", "places.view"}

PERMISSIONS: dict[str, set[str]] = {
    Role.OPERATOR: _PLATFORM_READ
    | {"hotline.intake", "hotline.answer", "hotline.callback", "hotline.review", "core.reveal_person_data"},
    Role.DISPATCHER: _PLATFORM_READ
    | {"hotline.intake", "hotline.dispatch", "hotline.merge", "hotline.cancel", "hotline.review",
       "hotline.decide_extension", "core.reveal_person_data"},
    Role.SUPERVISOR: _PLATFORM_READ
    | {"hotline.urge", "hotline.supervise", "hotline.review", "hotline.decide_extension", "hotline.emergency",
       "reports.manage", "core.reveal_person_data", "volunteers.duty", "community.view", "interop.manage"},
    Role.LIAISON: {"hotline.view", "hotline.accept", "hotline.return", "hotline.subdispatch",
                   "hotline.request_extension", "hotline.reply", "reports.view", "reports.submit", "places.view",
                   "supplies.view", "volunteers.view", "volunteers.manage", "volunteers.duty", "community.view",
                   "supplies.request"},
    Role.HEAD: {"hotline.view", "hotline.signoff", "hotline.reply", "reports.view", "reports.submit",
                "places.view", "supplies.view", "volunteers.view", "volunteers.duty", "community.view",
                "supplies.request"},
    Role.HANDLER: {"hotline.view", "hotline.reply", "places.view"},
    Role.COMMUNITY_WORKER: {"hotline.view", "hotline.reply", "places.view", "community.view", "community.manage",
                            "community.register_entry", "volunteers.view", "volunteers.manage", "volunteers.duty",
                            "supplies.view", "supplies.manage", "supplies.request", "reports.view", "reports.submit",
                            "core.reveal_person_data"},
    Role.VOLUNTEER: {"community.register_entry", "volunteers.self"},
    Role.SUPPLY_KEEPER: {"supplies.view", "supplies.manage", "places.view", "supplies.request",
                        "core.reveal_person_data"},  # donors' phones, to arrange pick-up; every reveal is audited
    Role.AUDITOR: {"core.audit_view", "hotline.view", "reports.view", "places.view", "community.view",
                   "supplies.view", "volunteers.view"},
    Role.ADMIN: {"core.admin", "core.audit_view", "places.view", "places.manage", "accounts.manage", "interop.manage",
                 "hotline.view", "reports.view", "community.view", "supplies.view", "volunteers.view"},
}


def perms_of(role: str) -> set[str]:
    return PERMISSIONS.get(role, set())

"""Who may read and manage community prevention, and register entries at a gate.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.SUPERVISOR: {"community.view"},
    Role.LIAISON: {"community.view"},
    Role.HEAD: {"community.view"},
    Role.COMMUNITY_WORKER: {"community.manage", "community.register_entry", "community.view"},
    Role.VOLUNTEER: {"community.register_entry"},
    Role.AUDITOR: {"community.view"},
    Role.ADMIN: {"community.view"},
}

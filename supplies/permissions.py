"""Who may read and manage donations, stock and allocations, and request supplies.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.LIAISON: {"supplies.request", "supplies.view"},
    Role.HEAD: {"supplies.request", "supplies.view"},
    Role.COMMUNITY_WORKER: {"supplies.manage", "supplies.request", "supplies.view"},
    Role.SUPPLY_KEEPER: {"supplies.manage", "supplies.request", "supplies.view"},
    Role.AUDITOR: {"supplies.view"},
    Role.ADMIN: {"supplies.view"},
}

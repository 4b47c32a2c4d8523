"""Who may read and manage the org tree (streets, communities, compounds, gates, departments).

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.OPERATOR: {"places.view"},
    Role.DISPATCHER: {"places.view"},
    Role.SUPERVISOR: {"places.view"},
    Role.LIAISON: {"places.view"},
    Role.HEAD: {"places.view"},
    Role.HANDLER: {"places.view"},
    Role.COMMUNITY_WORKER: {"places.view"},
    Role.SUPPLY_KEEPER: {"places.view"},
    Role.AUDITOR: {"places.view"},
    Role.ADMIN: {"places.manage", "places.view"},
}

"""Who may read and manage volunteers, rosters and duty, and who acts as a volunteer.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.SUPERVISOR: {"volunteers.duty"},
    Role.LIAISON: {"volunteers.duty", "volunteers.manage", "volunteers.view"},
    Role.HEAD: {"volunteers.duty", "volunteers.view"},
    Role.COMMUNITY_WORKER: {"volunteers.duty", "volunteers.manage", "volunteers.view"},
    Role.VOLUNTEER: {"volunteers.self"},
    Role.AUDITOR: {"volunteers.view"},
    Role.ADMIN: {"volunteers.view"},
}

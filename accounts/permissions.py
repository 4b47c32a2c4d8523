"""Who may manage users and memberships.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.ADMIN: {"accounts.manage"},
}

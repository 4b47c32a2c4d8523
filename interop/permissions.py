"""Who may manage API keys and the exchange with the upper-level platform.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.SUPERVISOR: {"interop.manage"},
    Role.ADMIN: {"interop.manage"},
}

"""Who may read reports and dashboards, manage the daily report, and submit scheduled unit reports.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.OPERATOR: {"reports.view"},
    Role.DISPATCHER: {"reports.view"},
    Role.SUPERVISOR: {"reports.manage", "reports.view"},
    Role.LIAISON: {"reports.submit", "reports.view"},
    Role.HEAD: {"reports.submit", "reports.view"},
    Role.COMMUNITY_WORKER: {"reports.submit", "reports.view"},
    Role.AUDITOR: {"reports.view"},
    Role.ADMIN: {"reports.view"},
}

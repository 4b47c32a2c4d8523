"""Who may see person data in clear (each reveal audited), read the audit log, administer the site.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.OPERATOR: {"core.reveal_person_data"},
    Role.DISPATCHER: {"core.reveal_person_data"},
    Role.SUPERVISOR: {"core.reveal_person_data"},
    Role.COMMUNITY_WORKER: {"core.reveal_person_data"},
    Role.SUPPLY_KEEPER: {"core.reveal_person_data"},  # donors' phones, to arrange pick-up; every reveal is audited
    Role.AUDITOR: {"core.audit_view"},
    Role.ADMIN: {"core.admin", "core.audit_view"},
}

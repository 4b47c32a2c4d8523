"""Who may move work orders: the platform (operator, dispatcher, supervisor) and the handling units.

Merged with the other areas' grants into accounts.roles.PERMISSIONS at start-up
(`python manage.py roles` prints the whole table)."""

from accounts.roles import Role

GRANTS = {
    Role.OPERATOR: {"hotline.answer", "hotline.callback", "hotline.intake", "hotline.review", "hotline.view"},
    Role.DISPATCHER: {
        "hotline.cancel", "hotline.decide_extension", "hotline.dispatch", "hotline.intake", "hotline.merge",
        "hotline.review", "hotline.view",
    },
    Role.SUPERVISOR: {
        "hotline.decide_extension", "hotline.emergency", "hotline.review", "hotline.supervise", "hotline.urge",
        "hotline.view",
    },
    Role.LIAISON: {
        "hotline.accept", "hotline.reply", "hotline.request_extension", "hotline.return", "hotline.subdispatch",
        "hotline.view",
    },
    Role.HEAD: {"hotline.reply", "hotline.signoff", "hotline.view"},
    Role.HANDLER: {"hotline.reply", "hotline.view"},
    Role.COMMUNITY_WORKER: {"hotline.reply", "hotline.view"},
    Role.AUDITOR: {"hotline.view"},
    Role.ADMIN: {"hotline.view"},
}

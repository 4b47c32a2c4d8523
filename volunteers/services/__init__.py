"""Every write of the volunteers app. Views, API, admin and tasks call these; nothing else saves a status."""

from volunteers.services.checkin import (  # noqa: F401
    CheckInRefused, auto_check_out, check_in, check_in_at_post, check_out, mark_no_shows, send_reminders,
)
from volunteers.services.common import InvalidTransition  # noqa: F401
from volunteers.services.roster import (  # noqa: F401
    DoubleBooking, add_template, assign, create_post, eligible_users, ensure_shifts, generate_roster, plan, unassign,
)
from volunteers.services.signup import (  # noqa: F401
    TRANSITIONS, DuplicateSignup, available_transitions, decide, sign_up,
)

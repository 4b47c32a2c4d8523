"""Every write of the community app, by feature. Views, API, admin actions and commands call these."""

from community.services.checkpoints import record_inspection, refer_person  # noqa: F401
from community.services.doorstep import advance_service, assign_service, eligible_assignees, request_service  # noqa: F401
from community.services.gate import handle_alert, purge_entries, register_entry, validate_temperature  # noqa: F401
from community.services.quarantine import (  # noqa: F401
    change_period, end_case, open_case, raise_missed_checks, record_check,
)
from community.services.residents import add_household, add_resident, import_residents  # noqa: F401

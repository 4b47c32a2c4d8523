"""Writes of the interop app: `from interop import services; services.create_api_key(...)`."""

from interop.services.keys import (  # noqa: F401
    KEY_PREFIX, create_api_key, find_key, hash_key, revoke_key, system_account,
)
from interop.services.upper import (  # noqa: F401
    dead_letters, deliver, receive_order, retry_delivery, scan_events, sign, status_export,
)

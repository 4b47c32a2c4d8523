"""Writes of the hotline app. Import from here: `from hotline import services; services.accept(order, user)`."""

from hotline.services.emergency import current_emergency, switch_emergency  # noqa: F401
from hotline.services.orders import (  # noqa: F401
    SERVICES, accept, answer, approve, callback, cancel, co_opinion, decide_extension, dispatch, intake, merge, next_number,
    redo, reject, reply, request_extension, return_order, send_back, signoff, subdispatch, supervise, urge,
)
from hotline.services.warnings import mark_warnings  # noqa: F401
from hotline.workflow import InvalidTransition  # noqa: F401

"""What the operator kept of the triage suggestions, recorded with the intake (best-effort)."""

import json
import logging

from django.db import transaction

log = logging.getLogger(__name__)

MAX_SUGGESTION_BYTES = 20000


def record_intake_feedback(user, order, raw):
    """raw: the suggestion JSON the intake page got (hidden field). Compared with the final choice: the category
    the order was taken with; the street/community/compound when the address is the one the suggestion was for
    (the operator saw them and kept the address). Never raises: a triage failure must not block intake.
    → triage Feedback or None"""
    if not raw:
        return None
    try:
        if len(raw) > MAX_SUGGESTION_BYTES:
            raise ValueError("suggestion too large")
        suggestion = json.loads(raw)
        if not isinstance(suggestion, dict):
            raise ValueError("suggestion is not an object")
        from triage.services import record_feedback

        accepted = {"category": order.category.code}
        if (suggestion.get("address") or "").strip() == order.address and order.address:
            for level in ("street", "community", "compound"):
                item = suggestion.get(level)
                if isinstance(item, dict) and item.get("code"):
                    accepted[level] = item["code"]
        # Train on what was finally written down, not on the half-typed text of the last request.
        suggestion = {**suggestion, "text": order.content, "address": order.address}
        with transaction.atomic():  # a savepoint: a failure here leaves the order itself intact
            return record_feedback(user, suggestion, accepted)
    except Exception:  # noqa: BLE001 — advice only; the order is what matters
        log.exception("triage feedback not recorded for order %s", getattr(order, "number", "?"))
        return None

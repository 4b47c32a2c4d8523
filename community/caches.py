"""Per-process caches for gate registration: the gate, its community, the alert rules, alert recipients.

Registration runs for every car at every gate; without these each entry re-read the same few rows (gate,
tree walk to its community, rules). A change in this process clears them at once (signals, connected in
apps.ready); another process (a second gunicorn worker) sees it within TTL seconds, which is acceptable for
things an administrator edits a few times a month (a rule's threshold, a gate's name or place in the tree).
"""

import threading
import time

TTL = 60.0
MAX_ITEMS = 20000

_store = {}
_lock = threading.Lock()


def get(bucket, key, load, ttl=TTL):
    """The cached value of (bucket, key), or load() it. None is cached too (a missing gate stays missing)."""
    now = time.monotonic()
    hit = _store.get((bucket, key))
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    with _lock:
        if len(_store) >= MAX_ITEMS:
            _store.clear()
        _store[(bucket, key)] = (now + ttl, value)
    return value


def clear(*buckets):
    """Forget the given buckets (all when none given)."""
    with _lock:
        if not buckets:
            _store.clear()
            return
        for key in [k for k in _store if k[0] in buckets]:
            del _store[key]


def gate(pk):
    """The active gate (OrgUnit of kind gate) with this primary key, or None."""
    from places.models import OrgUnit

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return get("gate", pk, lambda: OrgUnit.objects.filter(pk=pk, kind=OrgUnit.Kind.GATE).first())


def alert_rules():
    """{kind: AlertRule} of the enabled rules."""
    from community.models import AlertRule

    return get("rules", None, lambda: {r.kind: r for r in AlertRule.objects.filter(enabled=True)})


def recipient_ids(perm, unit):
    """Ids of the users holding `perm` for `unit` (who is told about an alert)."""
    from accounts import access

    return get("recipients", (perm, unit.pk, unit.path),
               lambda: list(access.users_with_perm(perm, unit).values_list("pk", flat=True)))


def _on_unit_change(**kwargs):
    clear("gate", "community", "recipients")


def _on_rule_change(**kwargs):
    clear("rules")


def _on_membership_change(**kwargs):
    clear("recipients")


def connect():
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from accounts.models import Membership
    from community.models import AlertRule
    from places.models import OrgUnit

    for signal in (post_save, post_delete):
        signal.connect(_on_unit_change, sender=OrgUnit, dispatch_uid="community.caches.unit")
        signal.connect(_on_rule_change, sender=AlertRule, dispatch_uid="community.caches.rule")
        signal.connect(_on_membership_change, sender=Membership, dispatch_uid="community.caches.membership")
        signal.connect(_on_membership_change, sender=get_user_model(), dispatch_uid="community.caches.user")

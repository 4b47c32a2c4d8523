"""System accounts and their API keys.

A key is 32 random bytes (urlsafe base64) behind a fixed "shk_" prefix; only its SHA-256 is kept, which is
enough for a key of that entropy (no slow hash needed: nobody can guess 256 bits). The first characters
are kept in clear so an administrator can tell keys apart.
"""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import Membership
from accounts.roles import Role
from core import audit
from interop.models import ApiKey, SystemAccount

KEY_PREFIX = "shk_"
SHOWN_PREFIX_LENGTH = 12


def hash_key(raw):
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def find_key(raw):
    """The active key for a clear key, or None (unknown or revoked)."""
    if not raw or not raw.startswith(KEY_PREFIX) or len(raw) > 200:
        return None
    key = ApiKey.objects.select_related("account__user", "account__unit").filter(key_hash=hash_key(raw)).first()
    if key is None or key.revoked_at is not None or not key.account.user.is_active:
        return None
    return key


def _username(unit, role, name):
    digest = hashlib.sha256(f"{unit.code}/{role}/{name}".encode()).hexdigest()[:10]
    return f"sys-{unit.code}-{role}-{digest}"[:150]


@transaction.atomic
def system_account(*, unit, role, name, channel=SystemAccount.Channel.WEB):
    """The system account for (unit, role, name), created with its user and membership when new."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写系统名称。")
    if role not in Role.values:
        raise ValidationError(f"角色“{role}”不存在。")
    account = SystemAccount.objects.filter(unit=unit, role=role, name=name).first()
    if account is not None:
        return account
    user = get_user_model().objects.create_user(username=_username(unit, role, name), first_name=name[:150])
    user.set_unusable_password()  # a machine never signs in with a password
    user.save(update_fields=["password"])
    Membership.objects.create(user=user, unit=unit, role=role, title="系统账号")
    return SystemAccount.objects.create(user=user, name=name, unit=unit, role=role, channel=channel)


@transaction.atomic
def create_api_key(*, unit, role, name, actor=None, label="", channel=SystemAccount.Channel.WEB, raw=None):
    """A new key for the system account (unit, role, name). Returns (ApiKey, clear key): show it once.
    `raw` is for the demo only (a key derived from the development secret, so it can be printed again)."""
    account = system_account(unit=unit, role=role, name=name, channel=channel)
    raw = raw or KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(account=account, label=(label or "")[:100], prefix=raw[:SHOWN_PREFIX_LENGTH],
                                key_hash=hash_key(raw), created_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor, "interop.create_api_key", obj=key, unit=unit, detail={"prefix": key.prefix, "role": role})
    return key, raw


@transaction.atomic
def revoke_key(key, actor=None, now=None):
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = now or timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record(actor, "interop.revoke_api_key", obj=key, unit=key.account.unit, detail={"prefix": key.prefix})
        access.forget(key.account.user)
    return key


def touch(key, now=None):
    """Note the last use, at most once a minute per key (no write on every request)."""
    now = now or timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now

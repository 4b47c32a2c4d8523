"""Writes owned by accounts: login throttling and the login/logout audit trail."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import LoginFailure
from core import audit


def _window_start(now=None):
    return (now or timezone.now()) - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def login_locked(username, ip, now=None):
    """Too many recent failures for this username, or from this address (password spraying)."""
    recent = LoginFailure.objects.filter(at__gte=_window_start(now))
    by_user = recent.filter(username=username.lower()).count() if username else 0
    by_ip = recent.filter(ip=ip).count() if ip else 0
    return by_user >= settings.LOGIN_MAX_FAILURES or by_ip >= settings.LOGIN_MAX_FAILURES * 4


def record_login_failure(username, ip):
    LoginFailure.objects.create(username=(username or "").lower()[:150], ip=ip or None)
    audit.record(None, "login.failed", detail={"username": (username or "")[:150]})


def record_login(user, ip):
    LoginFailure.objects.filter(Q(username=user.get_username().lower())).delete()
    audit.record(user, "login")


def purge_login_failures(now=None):
    return LoginFailure.objects.filter(at__lt=_window_start(now) - timedelta(days=1)).delete()[0]

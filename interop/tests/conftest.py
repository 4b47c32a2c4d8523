"""Fixtures for interop tests: system accounts with keys, built through the services."""

from datetime import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hotline.tests.conftest import categories  # noqa: F401  (the default category tree)
from interop import services


def at(text):
    return timezone.make_aware(datetime.fromisoformat(text))


@pytest.fixture
def keys(org, categories):
    """district: an operator key of the district platform (can submit, sees all);
    xingfu / chenqiao: liaison keys of two streets (read only their own orders)."""

    def make(unit, role, name, **kw):
        key, raw = services.create_api_key(unit=unit, role=role, name=name, **kw)
        return SimpleNamespace(key=key, raw=raw, user=key.account.user)

    return SimpleNamespace(
        district=make(org.district, "operator", "市民小程序", channel="wechat"),
        xingfu=make(org.xingfu, "liaison", "幸福街道网格系统"),
        chenqiao=make(org.chenqiao, "liaison", "陈桥街道网格系统"),
    )

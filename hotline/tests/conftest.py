"""Helpers for hotline tests: orders built through the services at frozen times."""

from datetime import datetime

import pytest
from django.utils import timezone

from hotline import services
from hotline.models import Category


def at(text):
    """'2020-02-07 10:00' in Asia/Shanghai."""
    return timezone.make_aware(datetime.fromisoformat(text))


@pytest.fixture(autouse=True)
def fresh_deadline_rules():
    """Rules are cached per process; a test's rolled-back rules must not leak into the next test."""
    from hotline.deadlines import clear_rules_cache

    clear_rules_cache()
    yield
    clear_rules_cache()


@pytest.fixture
def categories(db):
    """The default tree ships in a data migration; transactional tests flush it, so put it back."""
    from importlib import import_module

    from django.apps import apps

    import_module("hotline.migrations.0002_default_categories").add_defaults(apps, None)
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def flow(personas, org, categories):
    """Drives one order through the lifecycle; each step as the role that does it."""

    class Flow:
        def new(self, when="2020-02-07 10:00", **kw):
            kw.setdefault("content", "永和佳苑有从湖北返回人员未居家隔离")
            kw.setdefault("order_type", "report")
            kw.setdefault("category", Category.objects.get(code="OTHER"))
            kw.setdefault("caller_name", "张三")
            kw.setdefault("caller_phone", "13812345678")
            return services.intake(personas.operator, now=at(when), **kw)

        def dispatched(self, unit=None, when="2020-02-07 10:00", **kw):
            order = self.new(when, **kw)
            return services.dispatch(order, personas.dispatcher, lead_unit=unit or org.xingfu, now=at(when))

        def handling(self, when="2020-02-07 10:00", **kw):
            return services.accept(self.dispatched(when=when, **kw), personas.xf_liaison, now=at(when))

        def signoff_pending(self, **kw):
            return services.reply(self.handling(**kw), personas.xf_handler, text="已上门核实并落实居家隔离。")

        def review_pending(self, **kw):
            return services.signoff(self.signoff_pending(**kw), personas.xf_head)

        def callback_pending(self, **kw):
            return services.approve(self.review_pending(**kw), personas.operator)

    return Flow()

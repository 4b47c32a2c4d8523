"""Helpers to build supplies state through services (never raw inserts)."""

from decimal import Decimal
from importlib import import_module

from accounts.roles import Role
from conftest import make_user
from supplies import services
from supplies.models import Donor, Item


def ensure_catalogue():
    """Transactional tests flush every table, the data-migration catalogue included: put it back."""
    if not Item.objects.exists():
        from django.apps import apps

        import_module("supplies.migrations.0002_story_items").forwards(apps, None)


def item(name, unit=None):
    ensure_catalogue()
    qs = Item.objects.filter(name=name)
    if unit:
        qs = qs.filter(unit=unit)
    return qs.first()


def keeper(unit, username=None):
    return make_user(username or f"keeper_{unit.code}", unit, Role.SUPPLY_KEEPER)


def donor(name="江苏博恩医疗科技有限公司", kind=Donor.Kind.ORGANISATION, **extra):
    return services.find_or_create_donor(kind, name, **extra)


def give(actor, unit, lines, donor_obj=None, **kwargs):
    """lines: {item name: quantity}."""
    return services.record_donation(actor, donor_obj or donor(), unit,
                                    lines=[(item(n), q, Decimal("1.00") * q) for n, q in lines.items()], **kwargs)

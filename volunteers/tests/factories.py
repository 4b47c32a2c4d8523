"""Test helpers that build state through the services (never raw inserts)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from core.person import id_card_check_digit
from volunteers import services
from volunteers.models import DayPart

ALL_TIMES = [f"{d}-{p}" for d in range(7) for p in DayPart.values]
MONDAY = date(2026, 2, 2)  # a Monday during the response (2026 calendar dates are arbitrary but fixed)


def id_number(n):
    first17 = f"320611{1970 + n // 1000:04d}0101{n % 1000:03d}"
    return first17 + id_card_check_digit(first17)


def phone(n):
    return f"139{n:08d}"


def at(day, hh, mm=0):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def sign_up(community, n, name=None, availability=ALL_TIMES, **extra):
    return services.sign_up(community, name=name or f"志愿者{n}", phone=phone(n), id_number=id_number(n),
                            availability=availability, **extra)


def volunteer_user(community, approver, n, name=None, availability=ALL_TIMES, **extra):
    volunteer = sign_up(community, n, name=name, availability=availability, **extra)
    volunteer, _password = services.decide(approver, volunteer, "approved")
    return volunteer.user


def gate_post(actor, unit, name="永和佳苑东门", templates=((7, 11), (11, 15)), min_staff=1, **extra):
    post = services.create_post(actor, unit, name, **extra)
    for start, end in templates:
        services.add_template(actor, post, time(start), time(end), range(7), min_staff)
    return post


def one_shift(actor, post, day=MONDAY):
    shifts = services.ensure_shifts(post, day, 1)
    return shifts


__all__ = ["ALL_TIMES", "MONDAY", "id_number", "phone", "at", "sign_up", "volunteer_user", "gate_post",
           "one_shift", "timedelta"]

import threading

import pytest
from django.db import connection

from accounts.models import Membership
from conftest import make_user
from hotline import services
from hotline.models import State, WorkOrder
from hotline.workflow import InvalidTransition


def retrying(fn, *args, **kwargs):
    """The test database is SQLite in shared-cache memory, which answers "table is locked" at once instead
    of waiting like the file database (IMMEDIATE transactions, 30 s busy timeout): wait here the same way."""
    from django.db import OperationalError

    for _ in range(500):
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            connection.close()
            threading.Event().wait(0.01)
    raise AssertionError("database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_two_liaisons_accept_at_once_exactly_one_wins(flow, personas, org):
    second = make_user("xf_liaison2", org.xingfu, "liaison", "第二联络员")
    order = flow.dispatched()
    barrier = threading.Barrier(2)
    results = {}

    def act(user):
        try:
            barrier.wait()
            retrying(services.accept, order.pk, user)
            results[user.username] = "ok"
        except InvalidTransition as exc:
            results[user.username] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u,)) for u in (personas.xf_liaison, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v == "ok" for v in results.values()) == [False, True]
    loser = next(v for v in results.values() if v != "ok")
    assert "办理中" in loser and "请刷新" in loser
    order = WorkOrder.objects.get(pk=order.pk)
    assert order.state == State.HANDLING
    assert order.events.filter(action="accept").count() == 1
    assert Membership.objects.count() > 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_never_repeats_a_number(personas, categories):
    from hotline.models import Category

    category = Category.objects.get(code="OTHER")
    numbers, errors = [], []

    def act():
        try:
            for _ in range(5):
                numbers.append(retrying(services.intake, personas.operator, content="并发受理",
                                        order_type="consult", category=category).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(numbers) == 15 and len(set(numbers)) == 15

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Notification
from supplies import ledger, services
from supplies.ledger import InsufficientStock
from supplies.models import Allocation, LotBalance, MinimumStock, StockBalance, StockMove
from supplies.tests.factories import give, item, keeper

ITEMS = ["一次性医用口罩", "额温枪"]
UNITS = ["chenqiao", "lidu", "huaqiao"]

operation = st.one_of(
    st.tuples(st.just("donate"), st.sampled_from(UNITS), st.sampled_from(ITEMS), st.integers(1, 50)),
    st.tuples(st.just("use"), st.sampled_from(UNITS), st.sampled_from(ITEMS), st.integers(1, 60)),
    st.tuples(st.just("allocate"), st.sampled_from(UNITS), st.sampled_from(ITEMS), st.integers(1, 60),
              st.sampled_from(UNITS)),
    st.tuples(st.just("confirm"), st.integers(0, 20)),
    st.tuples(st.just("cancel"), st.integers(0, 20)),
)


def assert_ledger_invariants():
    sums = {(r["unit_id"], r["item_id"]): r["s"]
            for r in StockMove.objects.values("unit_id", "item_id").annotate(s=Sum("quantity"))}
    for balance in StockBalance.objects.all():
        assert balance.quantity >= 0
        assert balance.quantity == sums.get((balance.unit_id, balance.item_id), 0)
    lot_cache = {(b.unit_id, b.lot_id): b.quantity for b in LotBalance.objects.all()}
    for row in StockMove.objects.values("unit_id", "lot_id").annotate(s=Sum("quantity")):
        assert row["s"] >= 0, "a lot went negative at a unit"
        assert lot_cache[(row["unit_id"], row["lot_id"])] == row["s"]
    # Goods are never created or lost: what came in = on hand + in transit + handed out.
    for row in StockMove.objects.values("lot_id").annotate(s=Sum("quantity")):
        transit = -(StockMove.objects.filter(lot_id=row["lot_id"], kind=StockMove.Kind.ALLOCATION_OUT,
                                              allocation__status=Allocation.Status.IN_TRANSIT)
                    .aggregate(s=Sum("quantity"))["s"] or 0)
        used = -(StockMove.objects.filter(lot_id=row["lot_id"], kind=StockMove.Kind.USE)
                 .aggregate(s=Sum("quantity"))["s"] or 0)
        lot_in = StockMove.objects.filter(lot_id=row["lot_id"], kind=StockMove.Kind.DONATION_IN).get().quantity
        assert row["s"] + transit + used == lot_in


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, max_size=12))
def test_any_sequence_of_moves_keeps_stock_non_negative_and_equal_to_the_ledger(org, ops):
    actor = keeper(org.district, "prop_keeper") if not hasattr(org, "_prop_keeper") else org._prop_keeper
    org._prop_keeper = actor
    units = {"chenqiao": org.chenqiao, "lidu": org.lidu, "huaqiao": org.huaqiao}
    with transaction.atomic():
        allocations = []
        for op in ops:
            try:
                if op[0] == "donate":
                    give(actor, units[op[1]], {op[2]: op[3]})
                elif op[0] == "use":
                    services.consume(actor, units[op[1]], item(op[2]), op[3], kind=StockMove.Kind.USE)
                elif op[0] == "allocate" and op[1] != op[4]:
                    allocations.append(services.allocate(actor, units[op[1]], units[op[4]], [(item(op[2]), op[3])]))
                elif op[0] in ("confirm", "cancel") and allocations:
                    target = allocations[op[1] % len(allocations)]
                    action = services.confirm_allocation if op[0] == "confirm" else services.cancel_allocation
                    action(actor, target)
            except (InsufficientStock, services.InvalidTransition):
                pass
            assert_ledger_invariants()
        transaction.set_rollback(True)


def test_fifo_takes_the_oldest_lot_first_and_keeps_its_origin(org):
    actor = keeper(org.chenqiao)
    first = give(actor, org.chenqiao, {"一次性医用口罩": 100})
    second = give(actor, org.chenqiao, {"一次性医用口罩": 100})
    moves = services.consume(actor, org.chenqiao, item("一次性医用口罩"), 150)
    taken = {m.lot_id: -m.quantity for m in moves}
    assert taken == {first.lines.get().lot.pk: 100, second.lines.get().lot.pk: 50}


def test_overdraw_is_refused_and_writes_nothing(org):
    actor = keeper(org.chenqiao)
    give(actor, org.chenqiao, {"额温枪": 11})
    with pytest.raises(InsufficientStock, match="库存不足"):
        services.allocate(actor, org.chenqiao, org.lidu, [(item("额温枪"), 5), (item("一次性医用口罩"), 1)])
    assert not Allocation.objects.exists()
    assert ledger.on_hand(org.chenqiao, item("额温枪")) == 11


def test_low_stock_alerts_the_units_keepers(org, django_capture_on_commit_callbacks):
    actor = keeper(org.chenqiao)
    MinimumStock.objects.create(unit=org.chenqiao, item=item("一次性医用口罩"), quantity=500)
    give(actor, org.chenqiao, {"一次性医用口罩": 1000})
    with django_capture_on_commit_callbacks(execute=True):
        services.consume(actor, org.chenqiao, item("一次性医用口罩"), 600)
    assert Notification.objects.filter(recipient=actor, title__contains="库存预警").exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_allocating_at_once_cannot_overdraw(org):
    actor = keeper(org.chenqiao)
    masks = item("一次性医用口罩")
    give(actor, org.chenqiao, {"一次性医用口罩": 1000})
    barrier = threading.Barrier(2)
    results = []

    def allocate(to_unit):
        close_old_connections()
        barrier.wait()
        try:
            for _attempt in range(200):
                try:
                    services.allocate(actor, org.chenqiao, to_unit, [(masks, 600)])
                    results.append("ok")
                    return
                except InsufficientStock:
                    results.append("refused")
                    return
                except OperationalError as exc:
                    # The test database is SQLite shared-cache memory, which answers a held write lock with
                    # "table is locked" instead of waiting: retry, as the busy timeout does on a real file.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(unit,)) for unit in (org.lidu, org.huaqiao)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert ledger.on_hand(org.chenqiao, masks) == 400
    assert StockMove.objects.filter(unit=org.chenqiao, item=masks).aggregate(s=Sum("quantity"))["s"] == 400

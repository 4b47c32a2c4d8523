import pytest

from accounts import demo as accounts_demo
from hotline import demo
from hotline.models import State, WorkOrder

pytestmark = pytest.mark.django_db


def test_demo_loads_through_the_services_and_is_idempotent(org, categories):
    accounts_demo.load()
    demo.load()
    demo.load()
    assert WorkOrder.objects.count() == len(demo.ORDERS)
    states = set(WorkOrder.objects.values_list("state", flat=True))
    assert {State.CLOSED, State.HANDLING, State.PENDING_SIGNOFF, State.PENDING_REVIEW, State.PENDING_CALLBACK,
            State.PENDING_DISPATCH, State.PENDING_ACCEPT, State.MERGED, State.CANCELLED} <= states
    assert WorkOrder.objects.get(external_id="DEMO-02").anonymous
    assert WorkOrder.objects.filter(warning="red").exists()

from decimal import Decimal

from accounts import demo as accounts_demo
from supplies import demo, ledger
from supplies.models import Certificate, Donation, Need
from supplies.selectors import attach_progress
from supplies.tests.factories import item


def test_story_demo_loads_through_services_and_is_idempotent(org, settings):
    settings.DEMO = True
    accounts_demo.load()
    demo.load()
    demo.load()
    assert Need.objects.filter(title=demo.PLEA_TITLE).count() == 1
    assert ledger.on_hand(org.chenqiao, item("一次性医用口罩")) == 700
    assert ledger.on_hand(org.chenqiao, item("额温枪")) == 8
    assert ledger.on_hand(org.lidu, item("一次性医用口罩")) == 180
    assert ledger.on_hand(org.cdc, item("医用防护服")) == 1200
    cash = Donation.objects.get(donor__name="通城电建公司")
    assert sum(s.amount for s in cash.splits.all()) == Decimal("150000")
    assert cash.splits.get(recipient_unit__code="320611D08").amount == Decimal("70000")
    plea = attach_progress([Need.objects.get(title=demo.PLEA_TITLE)])[0]
    by_item = {row["item"].name: row for row in plea.progress}
    assert by_item["额温枪"]["received"] == 11 and by_item["医用消毒酒精"]["received"] == 5
    assert plea.received_fill == "partial"
    lidu_need = attach_progress([Need.objects.get(unit=org.lidu)])[0]
    assert lidu_need.received_fill == "complete"
    assert Certificate.objects.count() == 3

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supplies import ledger, services
from supplies.models import CashSplit, Donation, Donor
from supplies.tests.factories import donor, give, item, keeper
from supplies.validators import credit_code_check_char, validate_credit_code

VALID_CODE = "91350100M000100Y43"  # a published example code with a correct check character


def test_credit_code_checksum_accepts_valid_and_names_the_fault():
    assert validate_credit_code(VALID_CODE.lower()) == VALID_CODE
    assert credit_code_check_char(VALID_CODE[:17]) == VALID_CODE[17]
    with pytest.raises(ValidationError, match="校验位"):
        validate_credit_code(VALID_CODE[:17] + "0")
    with pytest.raises(ValidationError, match="18位"):
        validate_credit_code("9132")
    with pytest.raises(ValidationError, match="无效字符"):
        validate_credit_code("91350100M000100I43")


def test_designated_splits_must_add_up_exactly(org):
    cdc = keeper(org.district, "district_keeper")
    company = donor("通城电建公司", title=Donor.Title.CPPCC, title_detail="政协委员")
    union = org.by_code["320611D08"] if "320611D08" in org.by_code else org.market
    with pytest.raises(ValidationError, match="相差0.01元"):
        services.record_donation(cdc, company, org.district, amount=Decimal("150000.00"), splits=[
            services.Split("支援武汉医护人员", Decimal("80000.00"), recipient_name="南通援鄂医疗队"),
            services.Split("购买防护用品", Decimal("69999.99"), recipient_unit=union)])
    assert not Donation.objects.exists() and not CashSplit.objects.exists()
    donation = services.record_donation(cdc, company, org.district, amount=Decimal("150000"), splits=[
        services.Split("支援武汉医护人员", Decimal("80000"), recipient_name="南通援鄂医疗队"),
        services.Split("购买防护用品", Decimal("70000"), recipient_unit=union)])
    assert donation.kind == Donation.Kind.CASH and donation.splits.count() == 2
    assert sum(s.amount for s in donation.splits.all()) == Decimal("150000")


def test_donation_in_kind_enters_stock_with_a_lot_per_line(org):
    supply = keeper(org.chenqiao)
    gift = give(supply, org.chenqiao, {"额温枪": 11, "一次性医用口罩": 1000})
    assert gift.status == Donation.Status.RECEIVED
    assert ledger.on_hand(org.chenqiao, item("额温枪")) == 11
    assert ledger.on_hand(org.chenqiao, item("一次性医用口罩")) == 1000
    assert {line.lot.quantity for line in gift.lines.all()} == {11, 1000}


def test_donation_to_a_unit_outside_the_keepers_area_is_refused(org):
    supply = keeper(org.chenqiao)
    with pytest.raises(PermissionDenied):
        give(supply, org.xingfu, {"额温枪": 1})


def test_person_donor_phone_is_encrypted_and_organisations_are_matched_by_code(org):
    person = donor("吴正平", kind=Donor.Kind.PERSON, phone="13812345678", consent_public=True)
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("select phone from supplies_donor where id=%s", [person.pk])
        assert "13812345678" not in cursor.fetchone()[0]
    first = donor("江苏雨松环境修复研究中心有限公司", credit_code=VALID_CODE)
    again = donor("雨松环境", credit_code=VALID_CODE.lower())
    assert first.pk == again.pk

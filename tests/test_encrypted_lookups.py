"""Encrypted columns hold randomised ciphertext: a clear-value lookup could never match, so it is refused with a
message pointing at the blind index, instead of silently returning nothing. Emptiness can still be asked."""

import pytest
from django.core.exceptions import FieldError

from core.fields import hash_value
from core.models import Person
from hotline.models import WorkOrder


@pytest.fixture
def person(org):
    return Person.objects.create(name="张三", phone="13812341234", id_number="32061119500512001X", unit=org.xingfu)


@pytest.mark.parametrize("lookup", [{"phone": "13812341234"}, {"phone__exact": "13812341234"},
                                    {"phone__in": ["13812341234"]}, {"id_number__in": ["", "32061119500512001X"]}])
def test_clear_value_lookups_on_encrypted_fields_raise_a_clear_error(person, lookup):
    with pytest.raises(FieldError, match="BlindIndexField"):
        Person.objects.filter(**lookup).exists()


@pytest.mark.parametrize("lookup", ["phone__contains", "phone__icontains", "phone__startswith", "phone__gt"])
def test_other_lookups_do_not_exist_on_encrypted_fields(person, lookup):
    with pytest.raises(FieldError):
        Person.objects.filter(**{lookup: "1381234"}).exists()


def test_emptiness_and_the_blind_index_still_work(person):
    assert not Person.objects.filter(phone="").exists()
    assert Person.objects.exclude(phone="").get() == person
    assert Person.objects.filter(id_number__in=[""]).count() == 0
    assert Person.objects.filter(phone__isnull=False).count() == 1
    assert Person.objects.get(phone_hash=hash_value("phone", "138 1234 1234")) == person
    assert WorkOrder.objects.filter(caller_name="").count() == 0  # an encrypted name field: same rule
    with pytest.raises(FieldError):
        WorkOrder.objects.filter(caller_name="张三").count()

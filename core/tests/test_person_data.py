import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from core.fields import hash_value
from core.models import AuditLog, Person
from core.person import mask_id_card, mask_name, mask_phone, validate_id_card, validate_mobile, validate_phone

PHONE = "13812341234"
ID = "320611198001011231"  # checksum-valid


def test_raw_row_never_holds_phone_or_id_in_clear(org):
    person = Person.objects.create(name="张三", phone=PHONE, id_number=ID, unit=org.huaqiao)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_person WHERE id = %s", [person.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert PHONE not in raw and ID not in raw and PHONE[-8:] not in raw
    assert Person.objects.get(pk=person.pk).phone == PHONE


def test_search_by_keyed_hash(org):
    Person.objects.create(name="张三", phone=PHONE, unit=org.huaqiao)
    assert Person.objects.filter(phone_hash=hash_value("phone", "138-1234-1234")).count() == 1
    assert Person.objects.filter(phone_hash=hash_value("phone", "13812341235")).count() == 0


def test_validators_give_chinese_messages():
    assert validate_mobile("+86 138 1234 1234") == PHONE
    assert validate_phone("0513-85001234") == "051385001234"
    assert validate_id_card("３２0611 198001011231") == ID
    for bad, message in [("1381234123", "11位"), ("23812341234", "13–19"), ("abc", "数字")]:
        with pytest.raises(ValidationError, match=message):
            validate_mobile(bad)
    for bad, message in [("320611198001011237", "校验位"), ("32061119801301123X", "出生日期"), ("3206", "18位")]:
        with pytest.raises(ValidationError, match=message):
            validate_id_card(bad)


def test_masks():
    assert mask_phone(PHONE) == "138****1234"
    assert mask_id_card(ID) == "3206**********1231"
    assert mask_name("陈婷婷") == "陈*婷"


def test_reveal_is_audited_and_scoped(client, personas, org):
    person = Person.objects.create(name="张三", phone=PHONE, id_number=ID, unit=org.huaqiao)
    client.force_login(personas.hq_worker)
    data = {"model": "core.Person", "pk": person.pk, "field": "phone"}
    response = client.post(reverse("core:reveal"), data)
    assert response.json() == {"value": PHONE}
    entry = AuditLog.objects.get(action="reveal")
    assert entry.actor == personas.hq_worker and entry.detail["field"] == "phone" and entry.unit == org.huaqiao
    client.force_login(personas.outsider)
    assert client.post(reverse("core:reveal"), data).status_code == 404
    client.force_login(personas.xf_liaison)  # in jurisdiction, but a liaison's role may not reveal
    assert client.post(reverse("core:reveal"), data).status_code == 403
    assert AuditLog.objects.filter(action="reveal").count() == 1


def test_audit_rows_are_append_only(personas):
    from core import audit

    entry = audit.record(personas.operator, "test.action")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_log_lines_are_masked():
    from core.logging import mask_text

    assert mask_text(f"caller {PHONE} id {ID}") == "caller 138****1234 id 3206**********1231"


def test_key_rotation_reencrypts_with_the_new_key(org, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    person = Person.objects.create(name="张三", phone=PHONE, id_number=ID, unit=org.huaqiao)
    old_keys = list(settings.PERSON_DATA_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.PERSON_DATA_KEYS = [new_key] + old_keys
    call_command("rotate_person_data")
    settings.PERSON_DATA_KEYS = [new_key]  # the old key is retired: the data must still read
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.phone, fresh.id_number) == (PHONE, ID)
    assert Person.objects.filter(phone_hash=hash_value("phone", PHONE)).exists()

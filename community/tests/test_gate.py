from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community import services
from community.models import Alert, AlertRule, EntryPerson, GateEntry
from community.rules import validate_temperature
from community.tests.conftest import key
from core.jobs import run_due, schedule_periodic
from core.models import Notification


def visitor(temp="36.5", **extra):
    return dict(name="访客甲", phone="13800001234", temperature=temp, **extra)


def register(user, gate, people=None, **kw):
    kw.setdefault("direction", "in")
    kw.setdefault("mode", "foot")
    kw.setdefault("idempotency_key", key())
    return services.register_entry(user, gate, people=people or [visitor()], **kw)


@pytest.mark.parametrize("raw, ok", [("36.5", True), ("34", True), ("43.0", True), (" 37.3℃", True),
                                     ("33.9", False), ("43.1", False), ("abc", False), ("", False)])
def test_temperature_bounds(raw, ok):
    if ok:
        assert Decimal("34") <= validate_temperature(raw) <= Decimal("43")
    else:
        with pytest.raises(ValidationError):
            validate_temperature(raw)


def test_temperature_out_of_range_is_refused_with_clear_message(org, personas):
    with pytest.raises(ValidationError) as exc:
        register(personas.volunteer, org.yonghe_gate, [visitor("45")])
    assert "34–43" in exc.value.messages[0] and "复测" in exc.value.messages[0]
    assert not GateEntry.objects.exists()


def test_wrong_plate_is_refused_not_stored(org, personas):
    with pytest.raises(ValidationError) as exc:
        register(personas.volunteer, org.yonghe_gate, mode="vehicle", plate="苏F1234O")
    assert "I和O" in exc.value.messages[0]
    assert not GateEntry.objects.exists()


def test_local_car_is_registered_with_parsed_plate(org, personas):
    result = register(personas.volunteer, org.yonghe_gate, mode="vehicle", plate="苏f 12345")
    entry = result.entry
    assert result.created and entry.plate == "苏F12345" and entry.plate_local and entry.plate_province == "苏"
    assert entry.recorder == personas.volunteer and not result.alerts


def test_same_entry_sent_twice_is_stored_once(org, personas):
    k = key()
    first = register(personas.volunteer, org.yonghe_gate, idempotency_key=k, people=[visitor("38.0")])
    second = register(personas.volunteer, org.yonghe_gate, idempotency_key=k, people=[visitor("38.0")])
    assert first.created and not second.created
    assert second.entry.pk == first.entry.pk
    assert GateEntry.objects.count() == 1 and EntryPerson.objects.count() == 1
    assert Alert.objects.count() == 1  # the retry raises no second alert


def test_fever_alert_reaches_only_that_communitys_workers(org, personas, homes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(personas.volunteer, org.yonghe_gate, [visitor("37.3")])
    assert [a.kind for a in result.alerts] == ["fever"]
    assert result.advice and "复测" in result.advice[0]
    alert = result.alerts[0]
    assert alert.community == org.yonghe
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"yh_worker"}


def test_hubei_plate_and_travel_raise_alerts(org, personas):
    by_plate = register(personas.volunteer, org.yonghe_gate, mode="vehicle", plate="鄂A12345")
    assert [a.kind for a in by_plate.alerts] == ["hubei"]
    by_travel = register(personas.volunteer, org.yonghe_gate, travel="1月20日从武汉返回")
    assert [a.kind for a in by_travel.alerts] == ["hubei"]
    assert by_travel.entry.hubei_travel


def test_quarantined_resident_going_out_raises_alert(org, personas, homes, case):
    going_in = register(personas.volunteer, org.yonghe_gate, [dict(resident_id=homes.wang.pk, temperature="36.4")])
    assert not going_in.alerts
    out = register(personas.volunteer, org.yonghe_gate, [dict(resident_id=homes.wang.pk, temperature="36.4")],
                   direction="out")
    assert [a.kind for a in out.alerts] == ["quarantine_out"]
    assert out.alerts[0].case == case


def test_disabled_rule_raises_nothing_and_threshold_is_editable(org, personas):
    AlertRule.objects.filter(kind="hubei").update(enabled=False)
    AlertRule.objects.filter(kind="fever").update(threshold=Decimal("38.0"))
    result = register(personas.volunteer, org.yonghe_gate, [visitor("37.5")], mode="vehicle", plate="鄂A12345")
    assert result.alerts == []


def test_alert_in_other_community_does_not_reach_yonghe(org, personas, homes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(personas.hq_worker, homes.hq_gate, [visitor("38.2")])
    assert result.alerts[0].community == org.huaqiao
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"hq_worker"}


def test_elderly_personal_code_identifies_resident(org, personas, homes):
    result = register(personas.volunteer, org.yonghe_gate,
                      [dict(personal_code=homes.zhang.personal_code.lower(), temperature="36.6")])
    assert result.entry.people.get().resident == homes.zhang


def test_volunteer_cannot_register_at_another_communitys_gate(org, personas, homes):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        register(personas.volunteer, homes.hq_gate)


def test_purge_removes_only_entries_older_than_retention(org, personas, settings):
    settings.SHOUHU_GATE_RETENTION_DAYS = 28
    now = timezone.now()
    old = register(personas.volunteer, org.yonghe_gate, [visitor("38.5")], now=now - timedelta(days=29)).entry
    recent = register(personas.volunteer, org.yonghe_gate, now=now - timedelta(days=27)).entry
    schedule_periodic()
    run_due()
    assert list(GateEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not EntryPerson.objects.filter(entry_id=old.pk).exists()
    assert Alert.objects.filter(kind="fever").exists()  # the alert survives, without its entry


def test_handle_alert_needs_note_and_right(org, personas):
    alert = register(personas.volunteer, org.yonghe_gate, [visitor("38.5")]).alerts[0]
    with pytest.raises(ValidationError):
        services.handle_alert(personas.yh_worker, alert, "closed", "")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.handle_alert(personas.hq_worker, alert, "closed", "已处理")
    alert = services.handle_alert(personas.yh_worker, alert, "closed", "复测36.8,放行")
    assert alert.status == "closed" and alert.handled_by == personas.yh_worker


def test_a_key_used_at_another_gate_is_refused(org, personas, homes):
    k = key()
    register(personas.hq_worker, homes.hq_gate, idempotency_key=k)
    with pytest.raises(ValidationError) as exc:
        register(personas.volunteer, org.yonghe_gate, idempotency_key=k)
    assert "幂等键" in exc.value.messages[0]


@pytest.mark.parametrize("raw, ok, words", [
    ("32061119500512001X", True, ""),
    ("３２０６１１１９５００５１２００１ｘ", True, ""),  # full-width, lower-case x
    ("320611 19500512 001X", True, ""),
    ("320611195005120011", False, "校验位"),
    ("3206111950051200", False, "18位"),
    ("320611195002300011", False, "出生日期"),
])
def test_visitor_id_numbers_are_parsed_and_checked(org, personas, raw, ok, words):
    person = visitor(id_number=raw)
    if ok:
        entry = register(personas.volunteer, org.yonghe_gate, [person]).entry
        assert entry.people.get().id_number == "32061119500512001X"
    else:
        with pytest.raises(ValidationError) as exc:
            register(personas.volunteer, org.yonghe_gate, [person])
        assert words in exc.value.messages[0] and exc.value.messages[0].startswith("第1人")
        assert not GateEntry.objects.exists()


def test_id_numbers_are_encrypted_at_rest(org, personas):
    from django.db import connection

    entry = register(personas.volunteer, org.yonghe_gate, [visitor(id_number="32061119500512001X")]).entry
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM community_entryperson WHERE entry_id = %s", [entry.pk])
        phone, id_number = cursor.fetchone()
    assert "13800001234" not in phone and "32061119500512001X" not in id_number

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook

from community import services
from community.models import Alert, Household, QuarantineChange, Resident
from community.services.residents import IMPORT_COLUMNS, ImportFailed
from community.tests.conftest import key
from core.models import AuditLog


def at(day, hour):
    return timezone.make_aware(datetime(2020, 2, day, hour, 0))


def test_day_n_counts_from_quarantine_start(case):
    assert case.day_n(date(2020, 2, 1)) == 1
    assert case.day_n(date(2020, 2, 14)) == 14
    check = services.record_check(case, "36.5", idempotency_key=key(), now=at(5, 9))
    assert check.day_n == 5 and check.slot == 1 and not check.late and not check.after_end


def test_extend_and_shorten_need_reason_and_are_audited(case, personas):
    with pytest.raises(ValidationError):
        services.change_period(personas.yh_worker, case, date(2020, 2, 20), "")
    services.change_period(personas.yh_worker, case, date(2020, 2, 20), "密接者复检阳性")
    case = services.change_period(personas.yh_worker, case, date(2020, 2, 16), "区疾控通知调整")
    assert case.end_date == date(2020, 2, 16)
    actions = list(QuarantineChange.objects.filter(case=case).values_list("action", "old_end", "new_end"))
    assert actions[1:] == [("extend", date(2020, 2, 14), date(2020, 2, 20)),
                           ("shorten", date(2020, 2, 20), date(2020, 2, 16))]
    logged = AuditLog.objects.filter(action__startswith="community.quarantine_").values_list("action", flat=True)
    assert {"community.quarantine_extend", "community.quarantine_shorten"} <= set(logged)


def test_outsider_cannot_change_period(case, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.change_period(personas.hq_worker, case, date(2020, 2, 20), "x")


def test_late_check_is_accepted_and_flagged(case):
    # two checks a day: slot 1 due 14:00, slot 2 due 20:00
    late = services.record_check(case, "36.6", idempotency_key=key(), now=at(3, 15))
    assert late.late and late.slot == 1
    yesterday = services.record_check(case, "36.6", idempotency_key=key(), now=at(4, 9), day=date(2020, 2, 3))
    assert yesterday.late and yesterday.slot == 2 and yesterday.day_n == 3


def test_check_after_end_is_accepted_and_flagged(case):
    check = services.record_check(case, "36.4", idempotency_key=key(), now=at(16, 9))
    assert check.pk and check.after_end and check.day_n == 16


def test_fever_check_raises_alert_and_retry_is_stored_once(case):
    k = key()
    first = services.record_check(case, "37.8", idempotency_key=k, now=at(2, 9))
    again = services.record_check(case, "37.8", idempotency_key=k, now=at(2, 9))
    assert first.pk == again.pk and first.fever
    assert Alert.objects.filter(kind="fever", case=case).count() == 1


def test_missed_checks_raise_one_alert_per_slot(case):
    services.record_check(case, "36.5", idempotency_key=key(), now=at(3, 9))
    assert services.raise_missed_checks(now=at(3, 21)) == 1 + 2  # day 3 slot 2, and both of day 2
    assert services.raise_missed_checks(now=at(3, 22)) == 0
    assert Alert.objects.filter(kind="missed_check", community=case.community).count() == 3


def test_end_case_with_outcome(case, personas):
    case = services.end_case(personas.yh_worker, case, "released", "期满无异常")
    assert case.status == "ended"
    with pytest.raises(ValidationError):
        services.change_period(personas.yh_worker, case, date(2020, 2, 20), "x")


def _xlsx(rows, header=IMPORT_COLUMNS):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_import_writes_all_rows(org, personas):
    count = services.import_residents(personas.yh_worker, org.yonghe_jiayuan, _xlsx([
        ["7", "1", "201", "钱大伟", "13800138000", "", "户主", ""],
        ["7", "1", "201", "钱小雨", "", "", "子女", ""],
        [8, 2, 502, "孙奶奶", "051385001234", "32061119500512001X", "户主", "是"],
    ]))
    assert count == 3 and Household.objects.count() == 2
    assert Resident.objects.get(name="孙奶奶").personal_code


def test_import_bad_row_names_row_and_writes_nothing(org, personas):
    with pytest.raises(ImportFailed) as exc:
        services.import_residents(personas.yh_worker, org.yonghe_jiayuan, _xlsx([
            ["7", "1", "201", "钱大伟", "13800138000", "", "户主", ""],
            ["7", "1", "202", "赵六", "1234", "", "户主", ""],
        ]))
    assert exc.value.errors[0].row == 3 and "电话" in exc.value.errors[0].reason
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_resident_search_by_room_number_alone_finds_that_room_in_every_building(homes, personas):
    from community.selectors import search_residents

    assert [r.name for r in search_residents(personas.yh_worker, "301")] == ["张建国", "李秀英"]
    assert [r.name for r in search_residents(personas.yh_worker, "102室")] == ["王磊"]
    assert [r.name for r in search_residents(personas.hq_worker, "101")] == ["周红"]
    assert list(search_residents(personas.yh_worker, "101")) == []  # another community's rooms stay hidden


def test_resident_search_by_phone_uses_blind_index(homes, personas):
    from community.selectors import search_residents

    found = search_residents(personas.yh_worker, "138 1234 5678")
    assert [r.name for r in found] == ["张建国"]
    assert [r.name for r in search_residents(personas.yh_worker, "3-2-301")] == ["张建国", "李秀英"]
    assert [r.name for r in search_residents(personas.yh_worker, "王")] == ["王磊"]
    assert [r.name for r in search_residents(personas.yh_worker, "3栋2单元301室")] == ["张建国", "李秀英"]
    assert [r.name for r in search_residents(personas.yh_worker, "3 2 301")] == ["张建国", "李秀英"]
    assert [r.name for r in search_residents(personas.yh_worker, "5号楼102")] == ["王磊"]
    assert list(search_residents(personas.hq_worker, "王磊")) == []

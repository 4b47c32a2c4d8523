"""Demo data for 永和佳苑 (the story's compound): households, home quarantine, gate entries including the
district head's car stopped at the gate, a broken thermometer at night, a ship checked at 长江口.

Idempotent: fixed idempotency keys and get-or-create lookups; dates are relative to today so the
dashboard has a "today" and the retention purge does not remove the demo.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from community import services
from community.models import Household, QuarantineCase, Resident, ServiceRequest, StaffProfile
from community.rules import ensure_default_rules
from core.person import id_card_check_digit
from core.workcal import local_date
from places.models import OrgUnit


def _id(first17):
    return first17 + id_card_check_digit(first17)


HOUSEHOLDS = [
    # building, entrance, room, [(name, phone, id17, relation, elderly)]
    ("3", "2", "301", [("张建国", "13912340301", "32061119560312003", "户主", True),
                       ("李秀英", "13912340302", "32061119580721002", "配偶", True)]),
    ("3", "2", "402", [("王磊", "13812340402", "32061119900115001", "户主", False),
                       ("王芳", "13812340403", "32061119920409002", "配偶", False)]),
    ("5", "1", "101", [("刘桂兰", "051385010101", "32061119400203002", "户主", True)]),
    ("5", "1", "602", [("周强国", "13712340602", "42010619850312001", "户主", False)]),
    ("7", "3", "1203", [("孙丽", "13612341203", "32061119880808004", "户主", False),
                        ("孙小雨", "", "32061120150101002", "子女", False)]),
    ("9", "1", "501", [("马俊", "13512340501", "32061119870505001", "户主", False)]),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _residents(worker, compound):
    by_name = {}
    for building, entrance, room, people in HOUSEHOLDS:
        household = Household.objects.filter(compound=compound, building=building, entrance=entrance, room=room).first()
        if household is None:
            household = services.add_household(worker, compound, building, room, entrance=entrance)
        for name, phone, id17, relation, elderly in people:
            resident = household.residents.filter(name=name).first()
            if resident is None:
                resident = services.add_resident(worker, household, name, phone, _id(id17), relation, elderly)
            by_name[name] = resident
    return by_name


def _cases(worker, people, today):
    cases = {}
    for name, reason, days_ago in [("周强国", "1月23日自武汉返通", 9), ("王磊", "密切接触者(同车)", 3)]:
        resident = people[name]
        case = QuarantineCase.objects.filter(resident=resident).first()
        if case is None:
            start = today - timedelta(days=days_ago)
            case = services.open_case(worker, resident, reason, start, start + timedelta(days=13))
        cases[name] = case
    zhou = cases["周强国"]
    if not zhou.changes.filter(action="extend").exists():
        services.change_period(worker, zhou, zhou.end_date + timedelta(days=2), "同住人出现发热症状,按区疾控要求延长观察")
    now = timezone.now()
    for n, (temp, hours_ago, by_staff) in enumerate([("36.5", 30, False), ("36.7", 26, False), ("36.4", 6, True),
                                                     ("37.4", 2, False)]):
        services.record_check(zhou, temp, idempotency_key=f"demo-check-zhou-{n}", now=now - timedelta(hours=hours_ago),
                              actor=worker if by_staff else None, symptoms="轻微乏力" if temp == "37.4" else "")
    return cases


def _entries(volunteer, gate, people):
    now = timezone.now()
    visitor = lambda name, phone, temp="36.4": {"name": name, "phone": phone, "temperature": temp}  # noqa: E731
    rows = [
        # The district head's car: a local plate, still stopped and registered, every person's temperature taken.
        ("demo-entry-district-head", dict(direction="in", mode="vehicle", plate="苏F·A2019",
         people=[visitor("曹金海", "13805130001", "36.3"), visitor("区政府随行人员甲", "13805130002", "36.5"),
                 visitor("区政府随行人员乙", "13805130003", "36.2"), visitor("街道陪同人员", "13805130004", "36.6")],
         travel="本市未外出", purpose="检查社区疫情防控", note="本地牌照车辆,按要求登记"), 50),
        ("demo-entry-resident-walk", dict(direction="out", mode="foot",
         people=[{"resident": people["孙丽"], "temperature": "36.5"}], travel="本市未外出", purpose="买菜"), 40),
        ("demo-entry-hubei-plate", dict(direction="in", mode="vehicle", plate="鄂A·3K521",
         people=[visitor("陈某", "13907130001", "36.8")], travel="1月21日自武汉出发", purpose="探亲"), 25),
        ("demo-entry-elderly-code", dict(direction="in", mode="foot",
         people=[{"personal_code": people["刘桂兰"].personal_code, "temperature": "36.2"}], travel="本市未外出",
         purpose="回家"), 15),
        ("demo-entry-quarantine-out", dict(direction="out", mode="foot",
         people=[{"resident": people["王磊"], "temperature": "36.6"}], purpose="取快递"), 5),
    ]
    for key, fields, minutes_ago in rows:
        services.register_entry(volunteer, gate, idempotency_key=key, now=now - timedelta(minutes=minutes_ago),
                                **fields)


def _night_thermometer(worker, volunteer, case):
    if ServiceRequest.objects.filter(case=case, kind="thermometer").exists():
        return
    request = services.request_service(None, case.resident.household, "thermometer",
                                       "太紧张把体温计打碎了,今晚需要一支新的", case=case)
    StaffProfile.objects.update_or_create(user=volunteer, defaults={"high_risk_ok": True,
                                                                    "note": "自愿承担隔离户上门服务"})
    ServiceRequest.objects.filter(pk=request.pk).update(risk="high")
    request.refresh_from_db()
    services.assign_service(worker, request, volunteer)
    services.advance_service(volunteer, request, "done", "22:40 送达新体温计,放门口,电话确认体温36.6℃")


def _ship(port_user, checkpoint):
    services.record_inspection(
        port_user, checkpoint, kind="ship", idempotency_key="demo-ship-0207", vessel_name="苏通货8816",
        vessel_registration="320611K01-2020-0207", origin="南京港", destination="南通港", ports=["镇江", "江阴", "张家港"],
        people=[{"name": "顾长江", "id_number": _id("32061119700101001"), "role": "船长", "temperature": "36.4"},
                {"name": "季海波", "id_number": _id("32061119820606003"), "role": "轮机长", "temperature": "36.7"},
                {"name": "陆小舟", "id_number": _id("32061119950909005"), "role": "水手", "temperature": "36.5"}])
    services.record_inspection(
        port_user, checkpoint, kind="ship", idempotency_key="demo-ship-0207-b", vessel_name="皖江运3309",
        vessel_registration="AH-WH-3309", origin="武汉阳逻港", destination="上海", ports=["九江", "安庆", "芜湖"],
        people=[{"name": "何远航", "id_number": _id("42010619750305001"), "role": "船长", "temperature": "37.5"}])


@transaction.atomic
def load(stdout=None):
    ensure_default_rules()
    worker, volunteer, port_user = _user("yh_worker"), _user("yh_volunteer"), _user("port_team")
    compound = OrgUnit.objects.filter(name="永和佳苑", kind="compound").first()
    gate = OrgUnit.objects.filter(name="永和佳苑东门", kind="gate").first()
    checkpoint = OrgUnit.objects.filter(code="320611K01").first()
    if not all([worker, volunteer, port_user, compound, gate, checkpoint]):
        if stdout:
            stdout.write("community: demo skipped (places/accounts demo missing)")
        return
    today = local_date(timezone.now())
    people = _residents(worker, compound)
    cases = _cases(worker, people, today)
    _entries(volunteer, gate, people)
    _night_thermometer(worker, volunteer, cases["周强国"])
    _ship(port_user, checkpoint)
    if stdout:
        stdout.write(f"community: {Resident.objects.filter(household__compound=compound).count()} residents in "
                     f"永和佳苑, {QuarantineCase.objects.count()} quarantine cases, demo entries and a ship inspection")

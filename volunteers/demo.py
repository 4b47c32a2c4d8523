"""Demo volunteers and rosters from the story: 赵茂源 signs up at 永和社区 and is at 永和佳苑东门 within the
hour; the 永和社区 office is manned every night; 幸福街道's liaison office keeps a duty roster. Idempotent."""

from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core.fields import hash_value
from core.person import id_card_check_digit
from places.models import OrgUnit
from volunteers import services
from volunteers.models import Assignment, DayPart, Post, Volunteer

DAYTIME = [f"{d}-{p}" for d in range(7) for p in (DayPart.MORNING, DayPart.AFTERNOON, DayPart.EVENING)]
WEEKEND = [f"{d}-{p}" for d in (5, 6) for p in (DayPart.MORNING, DayPart.AFTERNOON)]
EVENINGS = [f"{d}-{p}" for d in range(7) for p in (DayPart.AFTERNOON, DayPart.EVENING)]
MORNINGS = [f"{d}-{DayPart.MORNING}" for d in range(7)]

# name, birth date (for a valid demo ID), phone, availability, party member, high risk, honour list, approved
VOLUNTEERS = [
    ("赵茂源", "19910312", "13962800101", DAYTIME, True, True, True, True),
    ("李志强", "19850720", "13962800102", MORNINGS, True, False, True, True),
    ("王秀英", "19680905", "13962800103", DAYTIME, False, False, True, True),
    ("周建国", "19790118", "13962800104", EVENINGS, True, True, False, True),
    ("刘晓燕", "19950227", "13962800105", WEEKEND + MORNINGS, False, False, True, True),
    ("钱小雨", "19990603", "13962800106", WEEKEND, False, False, False, False),  # waits for approval
]


def _id(birth, n):
    first17 = f"320611{birth}{n:03d}"
    return first17 + id_card_check_digit(first17)


def _unit(name, kind):
    return OrgUnit.objects.filter(name=name, kind=kind).first()


def _post(actor, unit, name, templates, **extra):
    post = Post.objects.filter(unit=unit, name=name).first()
    if post is None:
        post = services.create_post(actor, unit, name, **extra)
        for start, end, min_staff in templates:
            services.add_template(actor, post, start, end, range(7), min_staff)
    return post


def _past_shifts_done():
    """Shifts already begun this week were worked (one volunteer ran late, one did not come): hours to show."""
    now = timezone.now()
    started = Assignment.objects.filter(status=Assignment.Status.SCHEDULED, start__lt=now).select_related("user")
    for n, a in enumerate(started.order_by("start", "id")):
        if n == 5 and a.end < now:
            continue  # left for the no-show mark below
        services.check_in(a.user, a, now=a.start - timedelta(minutes=5) + timedelta(minutes=25 if n % 9 == 4 else 0))
        if a.end < now:
            services.check_out(a.user, a, now=a.end + timedelta(minutes=n % 4))
    services.mark_no_shows(now=now)


@transaction.atomic
def load(stdout=None):
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["yh_worker", "yh_volunteer", "xf_liaison"])}
    yonghe = _unit("永和社区", OrgUnit.Kind.COMMUNITY)
    gate = _unit("永和佳苑东门", OrgUnit.Kind.GATE)
    xingfu = _unit("幸福街道", OrgUnit.Kind.STREET)
    if len(users) < 3 or not (yonghe and gate and xingfu):
        if stdout:
            stdout.write("volunteers: skipped (load places and accounts demo first)")
        return
    worker = users["yh_worker"]
    hashed = make_password("Shouhu@2020") if settings.DEMO else None
    for n, (name, birth, phone, availability, party, risky, honour, approve) in enumerate(VOLUNTEERS, start=1):
        id_number = _id(birth, n)
        if Volunteer.objects.filter(id_hash=hash_value("id_card", id_number)).exists():
            continue
        volunteer = services.sign_up(
            yonghe, name=name, phone=phone, id_number=id_number, availability=availability, party_member=party,
            high_risk_ok=risky, honour_consent=honour, skills=["gate"] if n % 2 else ["delivery", "driving"],
            user=users["yh_volunteer"] if name == "赵茂源" else None,
            now=timezone.now() - timedelta(days=3, hours=n))
        if approve:
            volunteer, _password = services.decide(worker, volunteer, Volunteer.Status.APPROVED)
            if name != "赵茂源":  # demo logins share the demo password; otherwise no usable password
                volunteer.user.password = hashed or make_password(None)
                volunteer.user.save(update_fields=["password"])

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    gate_post = _post(worker, gate, "永和佳苑东门", [
        (time(7), time(11), 2), (time(11), time(15), 1), (time(15), time(19), 1), (time(19), time(23), 1)],
        kind=Post.Kind.GATE, note="所有进入小区的车辆和人员都要登记、测温。")
    office = _post(worker, yonghe, "永和社区办公室夜间值班", [(time(20), time(8), 1)], kind=Post.Kind.OFFICE,
                   staffing=Post.Staffing.STAFF, note="社区总要有人守着。")
    liaison = _post(users["xf_liaison"], xingfu, "幸福街道12345联络办值班",
                    [(time(8, 30), time(17, 30), 1), (time(17, 30), time(8, 30), 1)], kind=Post.Kind.DUTY,
                    staffing=Post.Staffing.STAFF, note="应急响应期间每天两班,工单不过夜。")
    created = 0
    for week in (monday, monday + timedelta(days=7)):
        created += services.generate_roster(worker, gate_post, week)[1]
        created += services.generate_roster(worker, office, week)[1]
        created += services.generate_roster(users["xf_liaison"], liaison, week)[1]
    _past_shifts_done()
    if stdout:
        stdout.write(f"volunteers: {Volunteer.objects.count()} volunteers, 3 posts, {created} new assignments")

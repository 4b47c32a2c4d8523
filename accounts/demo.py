"""Demo users for every role, placed where the story puts them. Passwords only in demo mode."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Membership
from accounts.roles import Role

DEMO_PASSWORD = "Shouhu@2020"

# username, display name, unit code, role, title
DEMO_USERS = [
    ("admin", "系统管理员", "320611", Role.ADMIN, "区大数据中心"),
    ("operator", "王军", "320611", Role.OPERATOR, "区12345平台话务员"),
    ("dispatcher", "李娜", "320611", Role.DISPATCHER, "区12345平台派单员"),
    ("supervisor", "周强", "320611", Role.SUPERVISOR, "区12345平台督办科"),
    ("auditor", "孙审", "320611", Role.AUDITOR, "区审计专员"),
    ("xf_liaison", "刘洋", "320611006", Role.LIAISON, "幸福街道12345联络员"),
    ("xf_head", "陈主任", "320611006", Role.HEAD, "幸福街道办事处副主任"),
    ("xf_handler", "何敏", "320611006", Role.HANDLER, "幸福街道承办人"),
    ("hq_worker", "陆金伟", "320611006011", Role.COMMUNITY_WORKER, "花桥社区工作者"),
    ("yx_liaison", "吴静", "320611001", Role.LIAISON, "永兴街道12345联络员"),
    ("yx_head", "钱主任", "320611001", Role.HEAD, "永兴街道办事处副主任"),
    ("yh_worker", "陈婷婷", "320611001007", Role.COMMUNITY_WORKER, "永和社区党总支副书记"),
    ("yh_volunteer", "赵茂源", "320611001007C01", Role.VOLUNTEER, "永和佳苑党员志愿者"),
    ("cq_liaison", "冯梦婷", "320611005", Role.LIAISON, "陈桥街道12345联络员"),
    ("cq_supply", "王建宾", "320611005", Role.SUPPLY_KEEPER, "陈桥街道物资保障组副指挥长"),
    ("ld_worker", "丽都社工", "320611005002", Role.COMMUNITY_WORKER, "丽都社区工作者"),
    ("gy_worker", "徐新明", "320611002001", Role.COMMUNITY_WORKER, "公园社区工作者"),
    ("scjg_liaison", "市场监管联络员", "320611D01", Role.LIAISON, "区市场监管局12345联络员"),
    ("scjg_head", "市场监管负责人", "320611D01", Role.HEAD, "区市场监管局副局长"),
    ("cdc_keeper", "疾控物资员", "320611D03", Role.SUPPLY_KEEPER, "区疾控中心物资保管"),
    ("port_team", "王俊荣", "320611K01", Role.COMMUNITY_WORKER, "长江口联合检查站党员突击队"),
]


@transaction.atomic
def load(stdout=None):
    from places.models import OrgUnit

    User = get_user_model()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={row[2] for row in DEMO_USERS})}
    created = 0
    hashed = make_password(DEMO_PASSWORD) if settings.DEMO else None  # hash once: PBKDF2 is slow by design
    for username, name, unit_code, role, title in DEMO_USERS:
        user, was_created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if was_created:
            created += 1
            if hashed:
                user.password = hashed
            else:
                user.set_unusable_password()
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        Membership.objects.get_or_create(user=user, unit=units[unit_code], role=role, defaults={"title": title})
    if stdout:
        stdout.write(f"accounts: {len(DEMO_USERS)} demo users ({created} new)")


def logins_table():
    lines = [f"{'用户名':<14}{'姓名':<10}{'角色':<10}单位/职务"]
    for username, name, _unit, role, title in DEMO_USERS:
        lines.append(f"{username:<16}{name:<10}{Role(role).label:<8}{title}")
    return "\n".join(lines)

"""Sign-up (报名) and the community's decision on it."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Membership
from accounts.roles import Role
from core import audit
from core.fields import hash_value
from core.notify import notify, notify_unit
from core.person import validate_id_card, validate_mobile
from places.models import OrgUnit
from volunteers.models import DayPart, Skill, Volunteer, VolunteerHistory
from volunteers.services.common import InvalidTransition

S = Volunteer.Status
# from → to → permission needed at the volunteer's community
TRANSITIONS = {
    S.PENDING: {S.APPROVED: "volunteers.manage", S.DECLINED: "volunteers.manage"},
    S.APPROVED: {S.SUSPENDED: "volunteers.manage"},
    S.SUSPENDED: {S.APPROVED: "volunteers.manage"},
    S.DECLINED: {},
}

DEFAULT_MESSAGES = {
    S.APPROVED: gettext_lazy("您的志愿者报名已通过审核,感谢您挺身而出!请登录“守护”查看排班。"),
    S.DECLINED: gettext_lazy("感谢您报名志愿者。经社区研究,本次暂未安排,欢迎以其他方式支持社区防疫。"),
    S.SUSPENDED: gettext_lazy("您的志愿者服务已暂停,如有疑问请联系社区。"),
}


READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


class DuplicateSignup(ValidationError):
    pass


def _valid_availability(keys):
    parts = set(DayPart.values)
    clean = []
    for key in keys or []:
        day, _sep, part = str(key).partition("-")
        if day.isdigit() and 0 <= int(day) <= 6 and part in parts:
            clean.append(f"{int(day)}-{part}")
    return sorted(set(clean))


def _duplicate_message(existing):
    if existing.status == S.PENDING:
        return _("该身份证号已于%(day)s在%(unit)s报名,正在等待社区审核,无需重复报名。") % {
            "day": date_format(timezone.localtime(existing.created_at), "MONTH_DAY_FORMAT"), "unit": existing.community.name}
    return _("该身份证号已是%(unit)s的志愿者,无需重复报名。如需修改信息,请联系社区。") % {
        "unit": existing.community.name}


@transaction.atomic
def sign_up(community, *, name, phone, id_number, skills=(), skills_note="", party_member=False,
            availability=(), high_risk_ok=False, honour_consent=False, user=None, now=None):
    """A resident signs up at a community. Same ID already signed up (pending/approved) → DuplicateSignup."""
    if community.kind != OrgUnit.Kind.COMMUNITY or not community.active:
        raise ValidationError(_("请选择正确的社区报名。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写姓名。"))
    phone = validate_mobile(phone)
    id_number = validate_id_card(id_number)
    existing = (Volunteer.objects.select_related("community")
                .filter(id_hash=hash_value("id_card", id_number), status__in=Volunteer.ACTIVE_STATES).first())
    if existing:
        raise DuplicateSignup(_duplicate_message(existing), code="duplicate")
    volunteer = Volunteer(
        community=community, name=name[:60], phone=phone, id_number=id_number,
        skills=[s for s in skills if s in Skill.values], skills_note=(skills_note or "").strip()[:200],
        party_member=bool(party_member), availability=_valid_availability(availability),
        high_risk_ok=bool(high_risk_ok), honour_consent=bool(honour_consent),
        user=user if getattr(user, "is_authenticated", False) else None, created_at=now or timezone.now(),
    )
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:  # a concurrent sign-up with the same ID won the race
        raise DuplicateSignup(_("该身份证号已报名,无需重复报名。"), code="duplicate") from None
    VolunteerHistory.objects.create(volunteer=volunteer, at=volunteer.created_at, to_status=S.PENDING,
                                    actor=volunteer.user)
    audit.record(volunteer.user, "volunteers.sign_up", volunteer, unit=community)
    notify_unit(community, "volunteers.manage", _("新志愿者报名:%(name)s") % {"name": volunteer.name},
                url=reverse("volunteers:signup_detail", args=[volunteer.pk]))
    return volunteer


def available_transitions(user, volunteer):
    return [to for to, perm in TRANSITIONS.get(volunteer.status, {}).items()
            if access.has_perm(user, perm, volunteer.community)]


def _unique_username(volunteer):
    User = get_user_model()
    base = f"vol{volunteer.pk:05d}"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _ensure_account(volunteer):
    """Link or create the volunteer's login; returns the one-time initial password for a new account."""
    password = None
    if volunteer.user_id is None:
        # Shown once to the approver, who reads it out over the phone: no look-alike characters (0/O, 1/l).
        password = "".join(secrets.choice(READABLE) for _i in range(10))
        volunteer.user = get_user_model().objects.create_user(
            username=_unique_username(volunteer), password=password, first_name=volunteer.name[:150])
    membership, created = Membership.objects.get_or_create(
        user=volunteer.user, unit=volunteer.community, role=Role.VOLUNTEER, defaults={"title": _("志愿者")})
    if not created and not membership.active:
        membership.active = True
        membership.save(update_fields=["active"])
    access.forget(volunteer.user)
    return password


@transaction.atomic
def decide(actor, volunteer, to_status, message="", now=None):
    """Approve, decline, suspend or re-approve a sign-up. Returns (volunteer, initial_password or None)."""
    volunteer = Volunteer.objects.select_for_update(of=("self",)).select_related("community", "user").get(
        pk=volunteer.pk)  # of=self: PostgreSQL cannot lock the nullable side of the outer join to user
    perm = TRANSITIONS.get(volunteer.status, {}).get(to_status)
    if perm is None:
        raise InvalidTransition(_("当前状态“%(s)s”不能改为“%(t)s”。") % {
            "s": volunteer.get_status_display(), "t": S(to_status).label})
    access.require_perm(actor, perm, volunteer.community)
    before = volunteer.status
    password = None
    if to_status == S.APPROVED:
        password = _ensure_account(volunteer)
    elif to_status == S.SUSPENDED and volunteer.user_id:
        Membership.objects.filter(user=volunteer.user, unit=volunteer.community, role=Role.VOLUNTEER).update(
            active=False)
    volunteer.status = to_status
    volunteer.decided_at = now or timezone.now()
    volunteer.decided_by = actor
    message = (message or "").strip() or str(DEFAULT_MESSAGES[to_status])
    volunteer.decision_note = message[:300]
    volunteer.save()
    VolunteerHistory.objects.create(volunteer=volunteer, at=volunteer.decided_at, actor=actor,
                                    from_status=before, to_status=to_status, message=message)
    audit.record(actor, f"volunteers.{to_status}", volunteer, unit=volunteer.community,
                 detail={"from": before, "account_created": password is not None})
    if volunteer.user_id:
        notify([volunteer.user], _("志愿者报名:%(s)s") % {"s": S(to_status).label}, body=message,
               url=reverse("volunteers:my_shifts"), level="info" if to_status == S.APPROVED else "warning")
    return volunteer, password

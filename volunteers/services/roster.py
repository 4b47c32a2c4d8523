"""Posts, shift templates, roster generation (fair rotation) and hand edits with the overlap rule."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Membership
from accounts.roles import Role
from core import audit
from core.notify import notify
from places.models import OrgUnit
from volunteers.models import Assignment, Post, Shift, ShiftTemplate, Volunteer, covers


class DoubleBooking(ValidationError):
    pass


def _hm(moment):
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


# --- posts and templates -------------------------------------------------------------------------------------

@transaction.atomic
def create_post(actor, unit, name, kind=Post.Kind.GATE, staffing=Post.Staffing.VOLUNTEERS, high_risk=False,
                note=""):
    perm = "volunteers.duty" if staffing == Post.Staffing.STAFF else "volunteers.manage"
    access.require_perm(actor, perm, unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写岗位名称。"))
    post = Post.objects.create(unit=unit, name=name[:100], kind=kind, staffing=staffing, high_risk=high_risk,
                               note=note[:300])
    audit.record(actor, "volunteers.create_post", post, unit=unit)
    return post


@transaction.atomic
def add_template(actor, post, start_time, end_time, weekdays=range(7), min_staff=1, name=""):
    access.require_perm(actor, post.manage_perm, post.unit)
    weekdays = sorted({int(d) for d in weekdays if 0 <= int(d) <= 6})
    if not weekdays:
        raise ValidationError(_("请至少选择一天。"))
    if start_time == end_time:
        raise ValidationError(_("班次的开始和结束时间不能相同。"))
    if min_staff < 1:
        raise ValidationError(_("最少人数至少为1。"))
    template = ShiftTemplate.objects.create(post=post, start_time=start_time, end_time=end_time,
                                            weekdays=weekdays, min_staff=min_staff, name=name[:40])
    audit.record(actor, "volunteers.add_template", post, unit=post.unit, detail={"template": str(template)})
    return template


def shift_bounds(template, day):
    start = timezone.make_aware(datetime.combine(day, template.start_time))
    end_day = day if template.end_time > template.start_time else day + timedelta(days=1)  # overnight duty
    return start, timezone.make_aware(datetime.combine(end_day, template.end_time))


def ensure_shifts(post, first_day, days=7):
    """Create the shifts of `days` days from the post's templates (idempotent); returns them in order."""
    shifts = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for template in post.templates.all():
            if day.weekday() not in template.weekdays:
                continue
            start, end = shift_bounds(template, day)
            shift, _created = Shift.objects.get_or_create(
                post=post, start=start, defaults={"end": end, "template": template, "min_staff": template.min_staff})
            shifts.append(shift)
    return sorted(shifts, key=lambda s: (s.start, s.pk))


# --- who may stand a post --------------------------------------------------------------------------------------

def post_community(post):
    unit = post.unit
    return unit if unit.kind == OrgUnit.Kind.COMMUNITY else unit.ancestor_of_kind(OrgUnit.Kind.COMMUNITY)


def eligible_users(post):
    """Approved volunteers of the post's community (high-risk posts: only those who agreed), or the unit's staff."""
    User = get_user_model()
    if post.is_duty_roster:
        ids = (Membership.objects.filter(unit=post.unit, active=True).exclude(role=Role.VOLUNTEER)
               .values("user_id"))
        return User.objects.filter(is_active=True, id__in=ids).order_by("id")
    community = post_community(post)
    if community is None:
        return User.objects.none()
    volunteers = Volunteer.objects.filter(community=community, status=Volunteer.Status.APPROVED, user__isnull=False)
    if post.high_risk:
        volunteers = volunteers.filter(high_risk_ok=True)
    return User.objects.filter(is_active=True, id__in=volunteers.values("user_id")).order_by("id")


def availability_of(post, users):
    """user id → set of "weekday-part" keys, or None meaning "any time" (staff on a duty roster)."""
    if post.is_duty_roster:
        return {u.pk: None for u in users}
    community = post_community(post)
    rows = Volunteer.objects.filter(community=community, status=Volunteer.Status.APPROVED,
                                    user__in=users).values_list("user_id", "availability")
    return {uid: set(keys) for uid, keys in rows}


# --- the planner (pure, property-tested) -----------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    key: object
    start: datetime
    end: datetime
    need: int


@dataclass
class Candidate:
    id: int
    availability: set | None  # None: available any time
    hours: float = 0.0  # hours already assigned in the planning horizon
    busy: list = field(default_factory=list)  # [(start, end)] already booked anywhere

    def free(self, start, end):
        return all(not (b_start < end and start < b_end) for b_start, b_end in self.busy)

    def available(self, start, end):
        return self.availability is None or covers(self.availability, start, end)


def plan(slots, candidates):
    """Fill slots in time order; each takes the available, free candidates with the fewest hours so far
    (tie: lowest id, so the result is stable). Returns {slot.key: [candidate ids]}."""
    result = {}
    for slot in sorted(slots, key=lambda s: (s.start, s.end, str(s.key))):
        if slot.need <= 0:
            result[slot.key] = []
            continue
        pool = [c for c in candidates if c.available(slot.start, slot.end) and c.free(slot.start, slot.end)]
        pool.sort(key=lambda c: (c.hours, c.id))
        chosen = pool[: slot.need]
        for c in chosen:
            c.hours += (slot.end - slot.start).total_seconds() / 3600
            c.busy.append((slot.start, slot.end))
        result[slot.key] = [c.id for c in chosen]
    return result


def _lock_users(ids):
    """Lock the people being booked, in id order (no deadlocks): their overlap checks cannot race."""
    return list(get_user_model().objects.select_for_update().filter(id__in=ids).order_by("id"))


@transaction.atomic
def generate_roster(actor, post, first_day, days=7):
    """Create the week's shifts and fill them up to minimum staffing, fairly. Existing assignments stay.
    Returns (shifts, number of assignments created)."""
    access.require_perm(actor, post.manage_perm, post.unit)
    post = Post.objects.select_for_update().get(pk=post.pk)
    shifts = ensure_shifts(post, first_day, days)
    if not shifts:
        return shifts, 0
    horizon_start, horizon_end = shifts[0].start, max(s.end for s in shifts)
    users = _lock_users(eligible_users(post).values_list("id", flat=True))
    availability = availability_of(post, users)
    candidates = {u.pk: Candidate(u.pk, availability.get(u.pk, set())) for u in users}
    booked = Assignment.objects.filter(user_id__in=candidates, end__gt=horizon_start - timedelta(days=1),
                                       start__lt=horizon_end + timedelta(days=1))
    for a in booked.values("user_id", "start", "end"):
        c = candidates[a["user_id"]]
        c.busy.append((a["start"], a["end"]))
        if horizon_start <= a["start"] < horizon_end:
            c.hours += (a["end"] - a["start"]).total_seconds() / 3600
    staffed = {s.pk: s.assignments.count() for s in shifts}
    slots = [Slot(s.pk, s.start, s.end, s.min_staff - staffed[s.pk]) for s in shifts]
    by_pk = {s.pk: s for s in shifts}
    created = []
    for shift_pk, user_ids in plan(slots, list(candidates.values())).items():
        shift = by_pk[shift_pk]
        for uid in user_ids:
            created.append(Assignment(shift=shift, user_id=uid, start=shift.start, end=shift.end,
                                      assigned_by=actor))
    Assignment.objects.bulk_create(created)
    audit.record(actor, "volunteers.generate_roster", post, unit=post.unit,
                 detail={"from": str(first_day), "days": days, "created": len(created)})
    notified = {a.user_id for a in created}
    if notified:
        notify(get_user_model().objects.filter(id__in=notified),
               _("新排班:%(post)s") % {"post": post.name},
               body=_("您有新的班次,请在“我的班次”查看。"), url=reverse("volunteers:my_shifts"))
    return shifts, len(created)


@transaction.atomic
def assign(actor, shift, user):
    """Put one person on a shift by hand. Refuses someone not eligible or already booked at that time."""
    shift = Shift.objects.select_related("post__unit").get(pk=shift.pk)
    post = shift.post
    access.require_perm(actor, post.manage_perm, post.unit)
    person = _lock_users([user.pk])
    if not person or not eligible_users(post).filter(pk=user.pk).exists():
        raise ValidationError(_("%(name)s 不在本岗位可排班的人员中。") % {"name": user.first_name or user.username})
    clash = (Assignment.objects.select_related("shift__post")
             .filter(user=user, start__lt=shift.end, end__gt=shift.start).first())
    if clash:
        if clash.shift_id == shift.pk:
            raise DoubleBooking(_("%(name)s 已在本班次中。") % {"name": user.first_name or user.username})
        raise DoubleBooking(
            _("%(name)s 在该时段已安排在“%(post)s”(%(start)s–%(end)s),同一人不能同时在两个岗位。") % {
                "name": user.first_name or user.username, "post": clash.shift.post.name,
                "start": _hm(clash.start), "end": timezone.localtime(clash.end).strftime("%H:%M")},
            code="double_booking")
    assignment = Assignment.objects.create(shift=shift, user=user, start=shift.start, end=shift.end,
                                           assigned_by=actor)
    audit.record(actor, "volunteers.assign", assignment, unit=post.unit, detail={"user": user.pk})
    notify([user], _("新排班:%(post)s %(when)s") % {"post": post.name, "when": _hm(shift.start)},
           url=reverse("volunteers:my_shifts"))
    return assignment


@transaction.atomic
def unassign(actor, assignment):
    assignment = Assignment.objects.select_for_update().select_related("shift__post__unit", "user").get(
        pk=assignment.pk)
    post = assignment.shift.post
    access.require_perm(actor, post.manage_perm, post.unit)
    if assignment.status != Assignment.Status.SCHEDULED:
        raise ValidationError(_("已签到或已记录缺勤的班次不能撤销。"))
    audit.record(actor, "volunteers.unassign", assignment, unit=post.unit, detail={"user": assignment.user_id})
    notify([assignment.user], _("排班取消:%(post)s %(when)s") % {"post": post.name, "when": _hm(assignment.start)},
           url=reverse("volunteers:my_shifts"), level="warning")
    assignment.delete()

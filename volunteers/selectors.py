"""Reads. `on_duty`, `shifts_for` and `units_without_roster` are used by other apps (community, emergency)."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from accounts import access
from core.fields import hash_value
from volunteers.models import Assignment, Post, Shift, Volunteer

A = Assignment.Status
# Shifts come from templates (at most 24 h) and forgotten check-outs are closed 2 h after the end.
LOOKBACK = timedelta(hours=48)


def on_duty(unit, at=None) -> QuerySet:
    """Users on a shift at a post within `unit`'s subtree at `at` (default now): scheduled for that moment
    (not marked no-show, not yet checked out) or checked in and not yet checked out."""
    at = at or timezone.now()
    not_gone = Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=at)
    scheduled = Q(start__lte=at, end__gt=at) & ~Q(status=A.NO_SHOW) & not_gone
    present = Q(checked_in_at__lte=at) & not_gone
    rows = Assignment.objects.filter(
        shift__post__unit__path__startswith=unit.path, shift__post__active=True,
        # Bound the index range scan: no shift lasts LOOKBACK, and check-in opens only shortly before the start.
        start__gte=at - LOOKBACK, start__lte=at + timedelta(hours=1),
    ).filter(scheduled | present)
    return get_user_model().objects.filter(is_active=True, id__in=rows.values("user_id")).order_by("id")


def on_post_now(posts, at=None):
    """Who stands which post at `at`: the assignments behind on_duty(), for display."""
    at = at or timezone.now()
    not_gone = Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=at)
    return (Assignment.objects.filter(shift__post__in=posts, start__lte=at, end__gt=at).filter(not_gone)
            .exclude(status=A.NO_SHOW).select_related("user", "shift__post").order_by("shift__post__name", "start"))


def shifts_for(user, start, end) -> QuerySet:
    """The user's assignments (with shift, post and unit) overlapping [start, end), in time order."""
    return (Assignment.objects.filter(user=user, start__lt=end, end__gt=start)
            .select_related("shift__post__unit").order_by("start", "id"))


def _day_bounds(day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def roster_coverage(units, start: date, end: date) -> dict:
    """unit → the days in [start, end] on which no staffed duty shift (staff post at that unit) begins.
    A night duty 20:00–08:00 covers the day it starts on, as a paper 值班表 lists it."""
    units = list(units)
    range_start, _ = _day_bounds(start)
    _, range_end = _day_bounds(end)
    covered = defaultdict(set)
    posts = dict(Post.objects.filter(unit__in=units, staffing=Post.Staffing.STAFF, active=True)
                 .values_list("id", "unit_id"))
    # Post ids first: the (post, start) unique index then answers each post's range directly.
    rows = (Shift.objects.filter(post_id__in=list(posts), start__gte=range_start, start__lt=range_end,
                                 assignments__isnull=False)
            .annotate(day=TruncDate("start")).values_list("post_id", "day").distinct())
    for post_id, day in rows:
        covered[posts[post_id]].add(day)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return {unit: [d for d in days if d not in covered[unit.pk]] for unit in units}


def units_without_roster(units, start: date, end: date) -> list:
    """The units (in the order given) lacking a staffed duty roster on at least one day of [start, end]."""
    return [unit for unit, missing in roster_coverage(units, start, end).items() if missing]


# --- scoped lists for views and the API ------------------------------------------------------------------------

def posts_for(user):
    """Posts the user may see: volunteer posts with volunteers.view, duty rosters with volunteers.duty."""
    base = Post.objects.select_related("unit")
    volunteer_posts = access.scope(user, base.filter(staffing=Post.Staffing.VOLUNTEERS), "volunteers.view")
    duty_posts = access.scope(user, base.filter(staffing=Post.Staffing.STAFF), "volunteers.duty")
    return (volunteer_posts | duty_posts).order_by("unit__path", "name")


def can_see_post(user, post):
    perm = "volunteers.duty" if post.is_duty_roster else "volunteers.view"
    return access.has_perm(user, perm, post.unit)


def volunteers_for(user):
    return access.scope(user, Volunteer.objects.select_related("community"), "volunteers.view")


def search_volunteers(rows, q):
    """Exact phone or ID number through the blind indexes (ciphertext cannot be searched), else by name."""
    digits = q.replace(" ", "").replace("-", "")
    if digits[:17].isdigit() and len(digits) == 18:
        return rows.filter(id_hash=hash_value("id_card", digits))
    if digits.isdigit() and len(digits) >= 7:
        return rows.filter(phone_hash=hash_value("phone", digits))
    return rows.filter(name__contains=q)


def week_grid(post, first_day, days=7):
    """The post's shifts for the week with their people, grouped per day, each with its gap (missing people)."""
    start, _ = _day_bounds(first_day)
    shifts = list(Shift.objects.filter(post=post, start__gte=start, start__lt=start + timedelta(days=days))
                  .prefetch_related("assignments__user").order_by("start"))
    by_day = defaultdict(list)
    for shift in shifts:
        shift.people = list(shift.assignments.all())
        shift.gap = max(0, shift.min_staff - sum(1 for a in shift.people if a.status != A.NO_SHOW))
        by_day[timezone.localtime(shift.start).date()].append(shift)
    return [(first_day + timedelta(days=n), by_day[first_day + timedelta(days=n)]) for n in range(days)]


def gaps(posts, start, end):
    """Shifts of these posts in [start, end) with fewer people than their minimum (no-shows do not count)."""
    active = Count("assignments", filter=~Q(assignments__status=A.NO_SHOW))
    return (Shift.objects.filter(post__in=posts, start__lt=end, end__gt=start).annotate(staffed=active)
            .filter(staffed__lt=F("min_staff")).select_related("post__unit").order_by("start"))


def hours_by_person(assignments, start, end):
    """Per person: credited hours and shifts done, no-shows and late arrivals, for shifts starting in [start, end)."""
    rows = (assignments.filter(start__gte=start, start__lt=end).values("user_id", "user__first_name", "user__username")
            .annotate(minutes=Sum("credited_minutes"),
                      done=Count("id", filter=Q(status=A.CHECKED_OUT)),
                      no_shows=Count("id", filter=Q(status=A.NO_SHOW)),
                      lates=Count("id", filter=Q(late=True)),
                      planned=Count("id"))
            .order_by("-minutes", "user_id"))
    return [dict(r, name=r["user__first_name"] or r["user__username"], hours=round((r["minutes"] or 0) / 60, 1))
            for r in rows]


def honour_list(community, start=None, end=None):
    """Approved volunteers who chose to appear, with their credited hours, most hours first."""
    people = Volunteer.objects.filter(community=community, status=Volunteer.Status.APPROVED, honour_consent=True,
                                      user__isnull=False)
    done = Assignment.objects.filter(user__in=people.values("user_id"), status=A.CHECKED_OUT)
    if start:
        done = done.filter(start__gte=start)
    if end:
        done = done.filter(start__lt=end)
    minutes = dict(done.values("user_id").annotate(m=Sum("credited_minutes")).values_list("user_id", "m"))
    shifts = dict(done.values("user_id").annotate(n=Count("id")).values_list("user_id", "n"))
    result = [{"name": v.name, "party_member": v.party_member, "since": v.decided_at,
               "hours": round((minutes.get(v.user_id) or 0) / 60, 1), "shifts": shifts.get(v.user_id, 0)}
              for v in people]
    return sorted(result, key=lambda r: (-r["hours"], r["name"]))


def my_hours(user, start, end):
    total = (Assignment.objects.filter(user=user, status=A.CHECKED_OUT, start__gte=start, start__lt=end)
             .aggregate(m=Sum("credited_minutes"))["m"]) or 0
    return round(total / 60, 1)


def dashboard_summary(unit, now=None):
    """Tile for the reports dashboard of `unit`: people on duty there right now."""
    from django.urls import reverse

    count = on_duty(unit, at=now).count()
    return [{"title": gettext("当前在岗"), "value": count, "url": reverse("volunteers:index"), "tone": "ok" if count else "warn"}]

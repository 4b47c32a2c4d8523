"""Check-in/out at the post, late and no-show marks, automatic check-out, shift reminders."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import audit
from core.jobs import enqueue
from core.notify import notify, notify_unit
from volunteers.models import Assignment, Post

A = Assignment.Status
EARLY = timedelta(minutes=30)  # check-in opens this long before the shift
LATE_AFTER = timedelta(minutes=10)  # a check-in later than start + this is marked late
NO_SHOW_AFTER = timedelta(minutes=30)  # not checked in by start + this: marked no-show (a later check-in undoes it)
AUTO_CHECKOUT_AFTER = timedelta(hours=2)  # forgot to check out: closed at the shift's end
REMIND_AHEAD = timedelta(hours=3)


class CheckInRefused(ValidationError):
    pass


def _t(moment):
    return timezone.localtime(moment).strftime("%H:%M")


def credited_minutes(assignment):
    """Time on post inside the shift window: arriving early or staying late is thanked, not counted."""
    if not assignment.checked_in_at or not assignment.checked_out_at:
        return 0
    begin = max(assignment.checked_in_at, assignment.start)
    finish = min(assignment.checked_out_at, assignment.end)
    return max(0, int((finish - begin).total_seconds() // 60))


def _window_error(assignment, now):
    if now < assignment.start - EARLY:
        return _("还没到签到时间:本班次%(start)s开始,可提前%(m)d分钟(%(open)s起)签到。") % {
            "start": date_format(timezone.localtime(assignment.start), "SHORT_DATETIME_FORMAT"),
            "m": EARLY.seconds // 60, "open": _t(assignment.start - EARLY)}
    if now >= assignment.end:
        return _("本班次已于%(end)s结束,无法签到;如确实在岗,请联系社区补登。") % {"end": _t(assignment.end)}
    return None


@transaction.atomic
def check_in(user, assignment, now=None):
    """The assigned person checks in. Before the window opens or after the shift ended: CheckInRefused."""
    now = now or timezone.now()
    assignment = Assignment.objects.select_for_update().select_related("shift__post__unit").get(pk=assignment.pk)
    if assignment.user_id != user.pk:
        raise CheckInRefused(_("这不是您的班次。"))
    if assignment.status == A.CHECKED_IN:
        raise CheckInRefused(_("您已于%(t)s签到。") % {"t": _t(assignment.checked_in_at)})
    if assignment.status == A.CHECKED_OUT:
        raise CheckInRefused(_("本班次已签退。"))
    error = _window_error(assignment, now)
    if error:
        raise CheckInRefused(error, code="outside_window")
    was = assignment.status
    assignment.status = A.CHECKED_IN
    assignment.checked_in_at = now
    assignment.late = now > assignment.start + LATE_AFTER
    assignment.save(update_fields=["status", "checked_in_at", "late"])
    audit.record(user, "volunteers.check_in", assignment, unit=assignment.shift.post.unit,
                 detail={"late": assignment.late, "was": was})
    return assignment


def check_in_at_post(user, post, now=None):
    """Check in by scanning the post's QR code: finds the user's shift here whose window is open."""
    now = now or timezone.now()
    mine = Assignment.objects.filter(user=user, shift__post=post).order_by("start")
    open_now = mine.filter(start__lte=now + EARLY, end__gt=now, status__in=[A.SCHEDULED, A.NO_SHOW]).first()
    if open_now:
        return check_in(user, open_now, now=now)
    if mine.filter(status=A.CHECKED_IN, end__gt=now - AUTO_CHECKOUT_AFTER).exists():
        raise CheckInRefused(_("您已在本岗位签到,下班时请签退。"))
    upcoming = mine.filter(start__gt=now, status=A.SCHEDULED).first()
    if upcoming:
        raise CheckInRefused(_window_error(upcoming, now), code="outside_window")
    raise CheckInRefused(_("您当前在“%(post)s”没有需要签到的班次。") % {"post": post.name}, code="no_shift")


@transaction.atomic
def check_out(user, assignment, now=None):
    now = now or timezone.now()
    assignment = Assignment.objects.select_for_update().select_related("shift__post__unit").get(pk=assignment.pk)
    if assignment.user_id != user.pk:
        raise CheckInRefused(_("这不是您的班次。"))
    if assignment.status != A.CHECKED_IN:
        raise CheckInRefused(_("尚未签到,不能签退。"))
    assignment.status = A.CHECKED_OUT
    assignment.checked_out_at = max(now, assignment.checked_in_at)
    assignment.credited_minutes = credited_minutes(assignment)
    assignment.save(update_fields=["status", "checked_out_at", "credited_minutes"])
    audit.record(user, "volunteers.check_out", assignment, unit=assignment.shift.post.unit,
                 detail={"minutes": assignment.credited_minutes})
    return assignment


@transaction.atomic
def mark_no_shows(now=None):
    """Volunteers scheduled but not checked in by start + NO_SHOW_AFTER: no-show; the post's managers are told."""
    now = now or timezone.now()
    due = list(Assignment.objects.select_for_update().select_related("shift__post__unit", "user")
               .filter(status=A.SCHEDULED, start__lt=now - NO_SHOW_AFTER,
                       # staff on a duty roster (值班表) need not scan in: their schedule is the record
                       shift__post__staffing=Post.Staffing.VOLUNTEERS))
    for assignment in due:
        assignment.status = A.NO_SHOW
        assignment.save(update_fields=["status"])
        post = assignment.shift.post
        audit.record(None, "volunteers.no_show", assignment, unit=post.unit)
        if assignment.end > now:  # only worth an alert while the post is still uncovered
            notify_unit(post.unit, post.manage_perm,
                        _("缺勤:%(name)s 未到岗(%(post)s %(t)s)") % {
                            "name": assignment.user.first_name or assignment.user.username, "post": post.name,
                            "t": _t(assignment.start)},
                        url=reverse("volunteers:post_detail", args=[post.pk]), level="warning")
    return len(due)


@transaction.atomic
def auto_check_out(now=None):
    """Checked in and forgot to check out: closed at the shift's end, marked as done by the system."""
    now = now or timezone.now()
    due = list(Assignment.objects.select_for_update()
               .filter(status=A.CHECKED_IN, end__lt=now - AUTO_CHECKOUT_AFTER))
    for assignment in due:
        assignment.status = A.CHECKED_OUT
        assignment.checked_out_at = max(assignment.end, assignment.checked_in_at)
        assignment.auto_checked_out = True
        assignment.credited_minutes = credited_minutes(assignment)
        assignment.save(update_fields=["status", "checked_out_at", "auto_checked_out", "credited_minutes"])
    return len(due)


def send_reminders(now=None):
    """One reminder job per upcoming assignment; the unique key makes re-runs no-ops."""
    now = now or timezone.now()
    ids = Assignment.objects.filter(status=A.SCHEDULED, start__gt=now, start__lte=now + REMIND_AHEAD).values_list(
        "id", flat=True)
    for pk in ids:
        enqueue("volunteers.remind_one", {"assignment": pk}, run_at=now, unique_key=f"volunteers.remind:{pk}")
    return len(ids)


def remind_one(assignment_id):
    assignment = (Assignment.objects.select_related("shift__post", "user")
                  .filter(pk=assignment_id, status=A.SCHEDULED).first())
    if assignment is None:
        return "gone"
    start = timezone.localtime(assignment.start)
    notify([assignment.user], _("班次提醒:%(post)s %(start)s–%(end)s") % {
        "post": assignment.shift.post.name, "start": date_format(start, "SHORT_DATETIME_FORMAT"), "end": _t(assignment.end)},
        body=_("请准时到岗,到岗后扫描岗位二维码签到。"), url=reverse("volunteers:my_shifts"))
    return "sent"

"""Thin views: parse, check access, call a service, render."""

from datetime import date, datetime, time, timedelta

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from places.models import OrgUnit
from volunteers import exports, selectors, services
from volunteers.forms import DecisionForm, PostForm, SignUpForm, TemplateForm
from volunteers.models import WEEKDAYS, Assignment, DayPart, Post, Shift, Volunteer

A = Assignment.Status
ROSTER_UNIT_KINDS = [OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE, OrgUnit.Kind.COMMUNITY,
                     OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.CHECKPOINT]


def _errors(exc):
    return " ".join(exc.messages)


def _parse_day(raw, default):
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _week_start(request):
    today = timezone.localdate()
    day = _parse_day(request.GET.get("week"), today)
    return day - timedelta(days=day.weekday())


def _aware(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _manager(user):
    return access.has_perm(user, "volunteers.view") or access.has_perm(user, "volunteers.duty")


# --- public: sign-up and honour list --------------------------------------------------------------------------

def _community(code):
    return get_object_or_404(OrgUnit, code=code, kind=OrgUnit.Kind.COMMUNITY, active=True)


def signup(request, code):
    community = _community(code)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_up(community, user=_signing_for_self(request.user), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("volunteers:signup_thanks", code=community.code)
    return render(request, "volunteers/signup.html", {"form": form, "community": community})


@login_required
def signup_poster(request, code):
    """A printable QR code of the community's sign-up form, for the notice board and residents' groups."""
    community = _community(code)
    access.require_perm(request.user, "volunteers.manage", community)
    url = request.build_absolute_uri(reverse("volunteers:signup", args=[community.code]))
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    return render(request, "volunteers/signup_poster.html", {"community": community, "url": url,
                                                             "svg": mark_safe(svg)})


def _signing_for_self(user):
    """Link the sign-up to the logged-in account only when it is a resident's (no staff role): a worker
    typing in a neighbour's sign-up at the desk must not give that neighbour the worker's account."""
    if not user.is_authenticated:
        return None
    return user if all(m.role == "volunteer" for m in access.memberships(user)) else None


def signup_thanks(request, code):
    return render(request, "volunteers/signup_thanks.html", {"community": _community(code)})


def honour(request, code):
    community = _community(code)
    return render(request, "volunteers/honour.html",
                  {"community": community, "rows": selectors.honour_list(community)})


# --- sign-ups -----------------------------------------------------------------------------------------------------

def _signup_units(user):
    """The managed units, each with the communities whose public sign-up link it hands out."""
    result = []
    for unit in access.units(user, "volunteers.manage"):
        if unit.kind == OrgUnit.Kind.COMMUNITY:
            unit.communities = [unit]
        else:
            unit.communities = list(unit.subtree().filter(kind=OrgUnit.Kind.COMMUNITY, active=True).order_by("path"))
        result.append(unit)
    return result


@login_required
def index(request):
    if not _manager(request.user):
        return redirect("volunteers:my_shifts")
    week = _week_start(request)
    posts = selectors.posts_for(request.user).filter(active=True)
    start = _aware(week)
    return render(request, "volunteers/index.html", {
        "pending": selectors.volunteers_for(request.user).filter(status=Volunteer.Status.PENDING).count(),
        "approved": selectors.volunteers_for(request.user).filter(status=Volunteer.Status.APPROVED).count(),
        "posts": posts, "gaps": selectors.gaps(posts, max(start, timezone.now()), start + timedelta(days=7))[:20],
        "week": week, "signup_units": _signup_units(request.user),
        "on_post": selectors.on_post_now(posts),
    })


@login_required
def signup_list(request):
    access.require_perm(request.user, "volunteers.view")
    rows = selectors.volunteers_for(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "all" if q else "pending")
    if status in Volunteer.Status.values:
        rows = rows.filter(status=status)
    if q:
        rows = selectors.search_volunteers(rows, q)
    if request.GET.get("party"):
        rows = rows.filter(party_member=True)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "volunteers/signup_list.html",
                  {"page": page, "status": status, "statuses": Volunteer.Status.choices, "q": q,
                   "party": bool(request.GET.get("party"))})


@login_required
def signup_detail(request, pk):
    volunteer = access.get_or_404(request.user, Volunteer, "volunteers.view", pk=pk)
    credentials = None
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                volunteer, password = services.decide(request.user, volunteer, form.cleaned_data["to_status"],
                                                      form.cleaned_data["message"])
            except ValidationError as exc:
                messages.error(request, _errors(exc))
                return redirect("volunteers:signup_detail", pk=pk)
            messages.success(request, _("已处理:%(s)s") % {"s": volunteer.get_status_display()})
            if not password:
                return redirect("volunteers:signup_detail", pk=pk)
            # The initial password is shown once, on this response only; it is stored hashed.
            credentials = {"username": volunteer.user.username, "password": password}
    return render(request, "volunteers/signup_detail.html", {
        "v": volunteer, "credentials": credentials, "history": volunteer.history.select_related("actor"),
        "transitions": services.available_transitions(request.user, volunteer), "form": DecisionForm(),
        "availability": _availability_table(volunteer), **_volunteer_duty(volunteer),
    })


def _volunteer_duty(volunteer):
    if volunteer.user_id is None:
        return {}
    now = timezone.now()
    return {"duty": selectors.shifts_for(volunteer.user, now - timedelta(days=14), now + timedelta(days=14))[:30],
            "duty_hours": selectors.my_hours(volunteer.user, _aware(date(2000, 1, 1)), now + timedelta(days=1))}


def _availability_table(volunteer):
    keys = set(volunteer.availability)
    return {"rows": [(WEEKDAYS[d], [f"{d}-{p}" in keys for p in DayPart.values]) for d in range(7)]}


# --- posts and rosters ---------------------------------------------------------------------------------------

def _manageable_units(user):
    """Units where the user may open a post (a gate, an office, a checkpoint) or a duty roster."""
    base = OrgUnit.objects.filter(active=True)
    units = access.scope(user, base, "volunteers.manage") | access.scope(user, base, "volunteers.duty")
    return list(units.order_by("path")[:500])


@login_required
def post_list(request):
    if not _manager(request.user):
        raise PermissionDenied
    form = None
    units = _manageable_units(request.user)
    if units:
        form = PostForm(request.POST or None, units=units)
        if request.method == "POST" and form.is_valid():
            try:
                post = services.create_post(request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("已创建岗位,请添加班次模板。"))
                return redirect("volunteers:post_detail", pk=post.pk)
    return render(request, "volunteers/post_list.html",
                  {"posts": selectors.posts_for(request.user), "form": form})


def _post(request, pk):
    return access.get_or_404(request.user, selectors.posts_for(request.user), pk=pk)


@login_required
def post_detail(request, pk):
    post = _post(request, pk)
    week = _week_start(request)
    can_manage = access.has_perm(request.user, post.manage_perm, post.unit)
    grid = selectors.week_grid(post, week)
    now = timezone.now()
    return render(request, "volunteers/post_detail.html", {
        "post": post, "week": week, "grid": grid, "can_manage": can_manage,
        "prev_week": week - timedelta(days=7), "next_week": week + timedelta(days=7),
        "templates": post.templates.all(), "template_form": TemplateForm() if can_manage else None,
        "people": services.eligible_users(post) if can_manage else [],
        "gap_count": sum(s.gap for _day, shifts in grid for s in shifts if s.end > now),
        "now": now, "today": timezone.localdate(),
    })


@login_required
@require_POST
def post_template_add(request, pk):
    post = _post(request, pk)
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            services.add_template(request.user, post, **form.cleaned_data)
            messages.success(request, _("已添加班次模板。"))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("volunteers:post_detail", pk=post.pk)


@login_required
@require_POST
def post_generate(request, pk):
    post = _post(request, pk)
    week = _parse_day(request.POST.get("week"), timezone.localdate())
    shifts, created = services.generate_roster(request.user, post, week)
    messages.success(request, _("已生成%(n)d个班次,新排%(c)d人次。") % {"n": len(shifts), "c": created})
    return redirect(f"{reverse('volunteers:post_detail', args=[post.pk])}?week={week}")


@login_required
@require_POST
def shift_assign(request, pk):
    shift = access.get_or_404(request.user, Shift.objects.select_related("post"), pk=pk)
    if not selectors.can_see_post(request.user, shift.post):
        raise Http404
    user = get_object_or_404(get_user_model(), pk=request.POST.get("user") or 0)
    try:
        services.assign(request.user, shift, user)
        messages.success(request, _("已排班。"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    week = timezone.localtime(shift.start).date()
    return redirect(f"{reverse('volunteers:post_detail', args=[shift.post_id])}?week={week}#shift-{shift.pk}")


@login_required
@require_POST
def assignment_remove(request, pk):
    assignment = access.get_or_404(request.user, Assignment.objects.select_related("shift__post"), pk=pk)
    post = assignment.shift.post
    if not selectors.can_see_post(request.user, post):
        raise Http404
    try:
        services.unassign(request.user, assignment)
        messages.success(request, _("已撤销该排班。"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    week = timezone.localtime(assignment.start).date()
    return redirect(f"{reverse('volunteers:post_detail', args=[post.pk])}?week={week}")


@login_required
def post_print(request, pk):
    post = _post(request, pk)
    week = _week_start(request)
    return render(request, "volunteers/post_print.html",
                  {"post": post, "week": week, "grid": selectors.week_grid(post, week), "printed": timezone.now()})


@login_required
def post_export(request, pk):
    post = _post(request, pk)
    week = _week_start(request)
    return _xlsx(exports.roster_xlsx(post, week, selectors.week_grid(post, week)), f"roster-{post.pk}-{week}.xlsx")


def _xlsx(content, filename):
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def checkin_url(request, post):
    return request.build_absolute_uri(reverse("volunteers:scan", args=[post.qr_token]))


@login_required
def post_qr(request, pk):
    post = _post(request, pk)
    url = checkin_url(request, post)
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    return render(request, "volunteers/post_qr.html", {"post": post, "url": url, "svg": mark_safe(svg)})


@login_required
def duty(request):
    """Which units have no staffed duty roster (值班表) in the period — the emergency-response check."""
    access.require_perm(request.user, "volunteers.duty")
    today = timezone.localdate()
    start = _parse_day(request.GET.get("start"), today)
    end = _parse_day(request.GET.get("end"), start + timedelta(days=6))
    if end < start or (end - start).days > 62:
        messages.error(request, _("日期范围不正确(最长62天)。"))
        end = start + timedelta(days=6)
    units = list(access.scope(request.user, OrgUnit.objects.filter(active=True, kind__in=ROSTER_UNIT_KINDS),
                              "volunteers.duty").order_by("path")[:300])
    coverage = selectors.roster_coverage(units, start, end)
    span = (end - start).days + 1
    missing = [(u, days, len(days) == span) for u, days in coverage.items() if days]
    posts = selectors.posts_for(request.user).filter(staffing=Post.Staffing.STAFF, active=True)
    return render(request, "volunteers/duty.html",
                  {"start": start, "end": end, "missing": missing, "covered": len(units) - len(missing),
                   "posts": posts})


@login_required
def hours(request):
    if not _manager(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    start = _parse_day(request.GET.get("start"), today.replace(day=1))
    end = _parse_day(request.GET.get("end"), today)
    posts = selectors.posts_for(request.user)
    rows = selectors.hours_by_person(Assignment.objects.filter(shift__post__in=posts),
                                     _aware(start), _aware(end + timedelta(days=1)))
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.hours_xlsx(rows, start, end), f"hours-{start}-{end}.xlsx")
    return render(request, "volunteers/hours.html", {
        "rows": rows, "start": start, "end": end, "total": round(sum(r["hours"] for r in rows), 1),
        "honour_units": access.units(request.user, "volunteers.view")})


# --- the volunteer's phone: my shifts and check-in -------------------------------------------------------------

@login_required
def my_shifts(request):
    now = timezone.now()
    rows = list(selectors.shifts_for(request.user, now - timedelta(hours=12), now + timedelta(days=14)))
    for a in rows:
        a.can_check_in = a.status in (A.SCHEDULED, A.NO_SHOW) and a.start - services.checkin.EARLY <= now < a.end
        a.can_check_out = a.status == A.CHECKED_IN
    month = _aware(timezone.localdate().replace(day=1))
    recent = selectors.shifts_for(request.user, now - timedelta(days=30), now).filter(
        status__in=[A.CHECKED_OUT, A.NO_SHOW]).order_by("-start")[:10]
    return render(request, "volunteers/my_shifts.html", {
        "current": [a for a in rows if a.end > now and a.status != A.CHECKED_OUT],
        "recent": recent, "now": now,
        "month_hours": selectors.my_hours(request.user, month, now + timedelta(days=1)),
        "total_hours": selectors.my_hours(request.user, _aware(date(2000, 1, 1)), now + timedelta(days=1)),
        "profiles": request.user.volunteer_profiles.select_related("community"),
    })


def _own_assignment(request, pk):
    return get_object_or_404(Assignment.objects.select_related("shift__post"), pk=pk, user=request.user)


@login_required
@require_POST
def assignment_check_in(request, pk):
    try:
        a = services.check_in(request.user, _own_assignment(request, pk))
        messages.success(request, _("签到成功(迟到)。") if a.late else _("签到成功,辛苦了!"))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("volunteers:my_shifts")


@login_required
@require_POST
def assignment_check_out(request, pk):
    try:
        a = services.check_out(request.user, _own_assignment(request, pk))
        messages.success(request, _("已签退,本班计入%(h)s小时。") % {"h": a.hours})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("volunteers:my_shifts")


@login_required
def scan(request, token):
    """The page behind a post's QR code: check in (or out) with one big button."""
    post = get_object_or_404(Post.objects.select_related("unit"), qr_token=token, active=True)
    now = timezone.now()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "out":
                current = Assignment.objects.filter(user=request.user, shift__post=post, status=A.CHECKED_IN).first()
                if current is None:
                    raise services.CheckInRefused(_("您在本岗位没有已签到的班次。"))
                a = services.check_out(request.user, current)
                messages.success(request, _("已签退,本班计入%(h)s小时。") % {"h": a.hours})
            else:
                a = services.check_in_at_post(request.user, post)
                messages.success(request, _("签到成功(迟到)。") if a.late else _("签到成功,辛苦了!"))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("volunteers:scan", token=token)
    mine = selectors.shifts_for(request.user, now - timedelta(hours=12), now + timedelta(hours=24)).filter(
        shift__post=post)
    return render(request, "volunteers/scan.html", {
        "post": post, "mine": mine, "checked_in": any(a.status == A.CHECKED_IN for a in mine)})

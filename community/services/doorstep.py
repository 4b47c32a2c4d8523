"""Door-to-door services (上门服务): request → assign to who is on duty → on the way → done (note + photo)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access
from community.models import ServiceEvent, ServiceRequest, StaffProfile
from core import audit
from core.notify import notify, notify_unit

PERM = "community.manage"
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def _community(household):
    return household.compound.ancestor_of_kind("community")


@transaction.atomic
def request_service(actor, household, kind, detail="", risk=ServiceRequest.Risk.LOW, case=None):
    """actor=None: the resident through the signed link (then the case must belong to the household)."""
    community = _community(household)
    if actor is not None:
        access.require_perm(actor, PERM, community)
    if kind not in ServiceRequest.Kind.values:
        raise ValidationError("请选择服务类型。")
    if risk not in ServiceRequest.Risk.values:
        raise ValidationError("请选择风险等级。")
    if case is not None and case.resident.household_id != household.pk:
        raise ValidationError("隔离对象与住户不一致。")
    if kind == ServiceRequest.Kind.OTHER and not (detail or "").strip():
        raise ValidationError("请说明需要什么服务。")
    request = ServiceRequest.objects.create(household=household, case=case, community=community, kind=kind,
                                            detail=(detail or "").strip()[:300], risk=risk, by_resident=actor is None)
    ServiceEvent.objects.create(request=request, actor=actor, status=request.status,
                                note="居民通过个人链接提交" if actor is None else "")
    audit.record(actor, "community.service_request", obj=request, unit=community)
    notify_unit(community, PERM, f"新的上门服务:{request.get_kind_display()} · {household.address}",
                url=f"/community/services/{request.pk}/", level="warning" if risk == "high" else "info")
    return request


def _fallback_staff(community):
    return access.users_with_perm(PERM, community)


def on_duty_staff(community, at=None):
    """Who is on duty for the community: the volunteers app's roster, else the community's workers."""
    try:
        from volunteers.selectors import on_duty
    except ImportError:
        return _fallback_staff(community)
    users = on_duty(community, at=at)
    return users if users.exists() else _fallback_staff(community)


def eligible_assignees(request, at=None):
    users = on_duty_staff(request.community, at)
    if request.risk == ServiceRequest.Risk.HIGH:
        users = users.filter(community_profile__high_risk_ok=True)
    return users.order_by("id").distinct()


def _check_transition(actor, request, to):
    allowed = ServiceRequest.TRANSITIONS.get(request.status, {})
    if to not in allowed:
        raise ValidationError(f"当前状态“{request.get_status_display()}”不能改为“{ServiceRequest.Status(to).label}”。")
    who = allowed[to]
    if who == "assignee":
        if actor.pk != request.assignee_id and not access.has_perm(actor, PERM, request.community):
            raise ValidationError("只有承办人或社区工作人员可以操作。")
    else:
        access.require_perm(actor, who, request.community)


def transitions_for(actor, request):
    result = []
    for to, who in ServiceRequest.TRANSITIONS.get(request.status, {}).items():
        if to == request.status:
            continue
        if (who == "assignee" and (actor.pk == request.assignee_id or access.has_perm(actor, PERM, request.community))) \
                or (who != "assignee" and access.has_perm(actor, who, request.community)):
            result.append(ServiceRequest.Status(to))
    return result


@transaction.atomic
def assign_service(actor, request, assignee=None, at=None):
    """Assign to `assignee` or the first eligible person on duty. High risk only to volunteers for it."""
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    _check_transition(actor, request, ServiceRequest.Status.ASSIGNED)
    eligible = eligible_assignees(request, at)
    if assignee is None:
        assignee = eligible.first()
        if assignee is None:
            raise ValidationError("当前没有可派的值班人员" + ("(高风险任务需自愿承担高风险工作的人员)。"
                                                           if request.risk == "high" else "。"))
    elif not eligible.filter(pk=assignee.pk).exists():
        if request.risk == ServiceRequest.Risk.HIGH and not StaffProfile.objects.filter(
                user=assignee, high_risk_ok=True).exists():
            raise ValidationError(f"{assignee.first_name or assignee} 未自愿承担高风险任务,不能派给其高风险任务。")
        if not _serves(assignee, request.community):
            raise ValidationError("只能派给本社区的工作人员或志愿者。")
    request.assignee, request.status = assignee, ServiceRequest.Status.ASSIGNED
    request.save(update_fields=["assignee", "status"])
    ServiceEvent.objects.create(request=request, actor=actor, status=request.status,
                                note=f"派给 {assignee.first_name or assignee.username}")
    audit.record(actor, "community.service_assign", obj=request, unit=request.community,
                 detail={"assignee": assignee.pk})
    notify([assignee], f"上门服务任务:{request.get_kind_display()} · {request.household.address}",
           url=f"/community/services/{request.pk}/", level="warning")
    return request


def _serves(user, community):
    """Member (worker or volunteer) of the community, one of its compounds, or a unit above it."""
    from accounts.roles import perms_of

    return any("community.register_entry" in perms_of(m.role)
               and (m.unit.path.startswith(community.path) or community.path.startswith(m.unit.path))
               for m in access.memberships(user))


def validate_photo(photo):
    if photo is None:
        return
    if photo.size > PHOTO_MAX_BYTES:
        raise ValidationError("照片不能超过5MB。")
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(photo)
        fmt = image.format
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError("照片无法识别,请上传 JPG、PNG 或 WebP 图片。") from None
    if fmt not in PHOTO_FORMATS:
        raise ValidationError("照片只支持 JPG、PNG 或 WebP 格式。")
    photo.seek(0)


@transaction.atomic
def advance_service(actor, request, to, note="", photo=None):
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    _check_transition(actor, request, to)
    if to == ServiceRequest.Status.DONE:
        if not (note or "").strip():
            raise ValidationError("完成时请填写情况说明。")
        validate_photo(photo)
        request.done_at, request.done_note = timezone.now(), note.strip()[:300]
        if photo is not None:
            request.photo = photo
    request.status = to
    request.save()
    ServiceEvent.objects.create(request=request, actor=actor, status=to, note=(note or "").strip()[:300])
    audit.record(actor, f"community.service_{to}", obj=request, unit=request.community)
    return request


def staff_choices(community):
    return get_user_model().objects.filter(pk__in=access.users_with_perm("community.register_entry", community)
                                           .values("pk")).order_by("id")

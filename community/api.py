"""REST API (/api/v1/community/): the gate page, the resident link and checkpoint tablets use it.

Writes are idempotent: every POST carries an `idempotency_key`; the same key again answers 200 with the
stored record instead of storing a second one. Access goes through accounts.access like the views; the
two public endpoints (self-registration, resident link) are authorised by their signed token alone.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import access
from community import caches, schemas as sc, selectors, services
from community.models import GateEntry, Inspection, QuarantineCase, Resident
from community.plates import parse_plate
from community.services.tokens import case_from_token, gate_from_token
from core.person import mask_name, mask_phone
from core.workcal import local_date
from places.models import OrgUnit


def _error(exc):
    if isinstance(exc, PermissionDenied):
        return Response({"error": str(exc) or "无权操作"}, status=status.HTTP_403_FORBIDDEN)
    return Response({"error": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


def entry_json(result):
    entry = result.entry
    return {
        "id": entry.pk, "created": result.created, "idempotency_key": entry.idempotency_key,
        "gate": entry.gate_id, "direction": entry.direction, "mode": entry.mode, "plate": entry.plate,
        "plate_local": entry.plate_local, "created_at": entry.created_at.isoformat(),
        "people": [{"name": mask_name(p.name), "temperature": str(p.temperature), "resident": p.resident_id}
                   for p in result.people],
        "alerts": [{"kind": a.kind, "label": a.get_kind_display(), "message": a.message, "advice": a.advice}
                   for a in result.alerts],
    }


def _registering_gate(user, pk):
    """The gate an entry is posted for, 404 outside the user's jurisdiction (as access.get_or_404 answers).
    The gate row comes from the per-process cache (community.caches): it is read for every entry."""
    gate = caches.gate(pk)
    if gate is None or not access.has_perm(user, "community.register_entry", gate):
        raise Http404
    return gate


def _occurred_at(raw):
    """When the volunteer pressed 登记 (an offline entry arrives later); the server's clock bounds it."""
    from django.utils.dateparse import parse_datetime

    try:
        value = parse_datetime(str(raw or ""))
    except ValueError:
        return None
    return value if value is not None and value.tzinfo is not None else None


def _entry_fields(data):
    return dict(occurred_at=_occurred_at(data.get("occurred_at")),idempotency_key=data.get("idempotency_key", ""), direction=data.get("direction", ""),
                mode=data.get("mode", ""), plate=data.get("plate", ""), people=data.get("people") or [],
                travel=data.get("travel", ""), purpose=data.get("purpose", ""), note=data.get("note", ""))


@extend_schema(methods=["GET"], operation_id="community_entries_list", summary="卡口最近的登记",
               parameters=[OpenApiParameter("gate", int, required=True, description="卡口 id")],
               responses={200: sc.EntryRowSerializer(many=True), 404: sc.CommunityErrorSerializer})
@extend_schema(methods=["POST"], operation_id="community_entries_create", summary="登记出入(幂等)",
               request=sc.EntryRequestSerializer,
               responses={201: sc.EntrySerializer, 200: sc.EntrySerializer, **sc.ERRORS})
@api_view(["GET", "POST"])
def entries(request):
    """POST: register an entry (idempotent). GET ?gate=id: the latest entries at a gate."""
    if request.method == "GET":
        gate = access.get_or_404(request.user, OrgUnit.objects.filter(kind="gate"), perm="community.register_entry",
                                 pk=request.query_params.get("gate"))
        rows = GateEntry.objects.filter(gate=gate).order_by("-created_at")[:20]
        return Response([{"id": e.pk, "direction": e.get_direction_display(), "mode": e.get_mode_display(),
                          "plate": e.plate, "alerted": e.alerted, "created_at": e.created_at.isoformat()}
                         for e in rows])
    gate = _registering_gate(request.user, request.data.get("gate"))
    try:
        result = services.register_entry(request.user, gate, **_entry_fields(request.data))
    except (ValidationError, PermissionDenied) as exc:
        return _error(exc)
    return Response(entry_json(result), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


def resident_json(resident, cases):
    case = cases.get(resident.pk)
    return {"id": resident.pk, "name": resident.name, "address": resident.household.address,
            "phone": mask_phone(resident.phone), "elderly": resident.elderly,
            "quarantine": ({"case": case.pk, "end": case.end_date.isoformat(),
                            "day_n": case.day_n(local_date(timezone.now()))} if case else None)}


@extend_schema(operation_id="community_residents_lookup", summary="查找居民(姓名/电话/房号/个人码)",
               parameters=[OpenApiParameter("q", str, description="姓名、电话、房号或 6 位个人码")],
               responses={200: sc.ResidentSerializer(many=True)})
@api_view(["GET"])
def lookup(request):
    """Residents for the gate page: ?q= name / phone / room / personal code, with quarantine status."""
    q = request.query_params.get("q", "").strip()
    code = q.upper().replace(" ", "")
    scoped = access.scope(request.user, Resident.objects.select_related("household__compound"),
                          perm="community.register_entry")
    rows = list(scoped.filter(personal_code=code)) if len(code) == 6 else []
    if not rows and q:
        rows = list(scoped.filter(pk__in=selectors.search_residents(request.user, q).values("pk"))[:10])
    cases = selectors.quarantine_status([r.pk for r in rows])
    return Response([resident_json(r, cases) for r in rows])


@extend_schema(operation_id="community_plate_parse", summary="解析车牌",
               parameters=[OpenApiParameter("plate", str, description="车牌号")], responses={200: sc.PlateSerializer})
@api_view(["GET"])
def plate(request):
    result = parse_plate(request.query_params.get("plate", ""))
    return Response({"valid": result.valid, "plate": result.plate, "province": result.province,
                     "city": result.city, "local": result.local, "new_energy": result.new_energy,
                     "reason": result.reason})


@extend_schema(operation_id="community_checks_create", summary="工作人员记录隔离对象体温(幂等)",
               request=sc.CheckRequestSerializer, responses={201: sc.CheckSerializer, **sc.ERRORS})
@api_view(["POST"])
def checks(request):
    """Staff record a temperature check for a case (idempotent)."""
    case = access.get_or_404(request.user, QuarantineCase, perm="community.manage", pk=request.data.get("case"))
    try:
        check = services.record_check(case, request.data.get("temperature"), actor=request.user,
                                      idempotency_key=request.data.get("idempotency_key", ""),
                                      symptoms=request.data.get("symptoms", ""))
    except (ValidationError, PermissionDenied) as exc:
        return _error(exc)
    return Response(check_json(check), status=status.HTTP_201_CREATED)


def check_json(check):
    return {"id": check.pk, "day_n": check.day_n, "slot": check.slot, "temperature": str(check.temperature),
            "late": check.late, "after_end": check.after_end, "fever": check.fever}


@extend_schema(operation_id="community_resident_check_create", summary="居民通过个人链接自报体温",
               parameters=[sc.TOKEN], request=sc.ResidentCheckRequestSerializer,
               responses={201: sc.CheckSerializer, **sc.PUBLIC_ERRORS}, auth=[])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def resident_check(request, token):
    """The resident's own report through the personal link: the token names the case, nothing else."""
    case = case_from_token(token)
    try:
        check = services.record_check(case, request.data.get("temperature"),
                                      idempotency_key=request.data.get("idempotency_key", ""),
                                      symptoms=request.data.get("symptoms", ""))
    except ValidationError as exc:
        return _error(exc)
    return Response(check_json(check), status=status.HTTP_201_CREATED)


@extend_schema(operation_id="community_self_entry_create", summary="扫码自助登记(免登录)",
               parameters=[sc.TOKEN], request=sc.SelfEntryRequestSerializer,
               responses={201: sc.SelfEntrySerializer, 200: sc.SelfEntrySerializer, **sc.PUBLIC_ERRORS}, auth=[])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def self_entry(request, token):
    """Self-registration by a resident who scanned the gate's QR code (no login)."""
    gate = gate_from_token(token)
    fields = _entry_fields(request.data)
    fields["occurred_at"] = None  # self-registration happens now
    fields["people"] = [{k: p.get(k) for k in ("name", "phone", "id_number", "temperature")}
                        for p in fields["people"][:5]]  # visitors' fields only: no resident ids from outside
    try:
        result = services.register_entry(None, gate, source=GateEntry.Source.SELF, **fields)
    except ValidationError as exc:
        return _error(exc)
    return Response({"id": result.entry.pk, "created": result.created,
                     "alerts": [a.advice for a in result.alerts]},
                    status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


@extend_schema(methods=["GET"], operation_id="community_inspections_list", summary="本辖区最近的查验记录",
               responses={200: sc.InspectionRowSerializer(many=True)})
@extend_schema(methods=["POST"], operation_id="community_inspections_create", summary="记录查验(幂等)",
               request=sc.InspectionRequestSerializer, responses={201: sc.InspectionResultSerializer, **sc.ERRORS})
@api_view(["GET", "POST"])
def inspections(request):
    if request.method == "GET":
        rows = access.scope(request.user, Inspection.objects.all(), perm="community.view")[:50]
        return Response([{"id": i.pk, "kind": i.kind, "vessel_name": i.vessel_name, "plate": i.plate,
                          "flagged": i.flagged, "flags": i.flags, "at": i.at.isoformat()} for i in rows])
    checkpoint = access.get_or_404(request.user, OrgUnit.objects.filter(kind__in=["checkpoint", "gate"]),
                                   perm="community.register_entry", pk=request.data.get("checkpoint"))
    data = request.data
    try:
        inspection = services.record_inspection(
            request.user, checkpoint, kind=data.get("kind", ""), idempotency_key=data.get("idempotency_key", ""),
            people=data.get("people") or [], vessel_name=data.get("vessel_name", ""),
            vessel_registration=data.get("vessel_registration", ""), origin=data.get("origin", ""),
            destination=data.get("destination", ""), ports=data.get("ports") or [], plate=data.get("plate", ""))
    except (ValidationError, PermissionDenied) as exc:
        return _error(exc)
    return Response({"id": inspection.pk, "flagged": inspection.flagged, "flags": inspection.flags},
                    status=status.HTTP_201_CREATED)


urlpatterns = [
    path("entries/", entries, name="entries"),
    path("lookup/", lookup, name="lookup"),
    path("plate/", plate, name="plate"),
    path("checks/", checks, name="checks"),
    path("inspections/", inspections, name="inspections"),
    path("public/case/<str:token>/checks/", resident_check, name="resident-check"),
    path("public/gate/<str:token>/entries/", self_entry, name="self-entry"),
]

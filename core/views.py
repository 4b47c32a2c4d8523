from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access
from core import services
from core.models import AuditLog
from core.registry import HOME_PANELS


@login_required
def home(request):
    panels = [panel for fn in HOME_PANELS for panel in fn(request)]
    return render(request, "core/home.html", {"panels": panels, "memberships": access.memberships(request.user)})


@login_required
def notifications(request):
    if request.method == "POST":
        services.mark_read(request.user)
        return redirect("core:notifications")
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
def audit_log(request):
    access.require_perm(request.user, "core.audit_view")
    rows = access.scope(request.user, AuditLog.objects.select_related("unit"), perm="core.audit_view")
    action = request.GET.get("action", "").strip()
    if action:
        rows = rows.filter(action__startswith=action)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"page": page, "action": action})


@login_required
@require_POST
def reveal(request):
    """POST model=app.Model, pk, field → {"value": clear text}. Outside jurisdiction: 404."""
    try:
        model = apps.get_model(request.POST.get("model", ""))
    except (LookupError, ValueError):
        raise Http404 from None
    field = request.POST.get("field", "")
    if field not in getattr(model, "REVEALABLE", ()):
        raise Http404
    obj = access.get_or_404(request.user, model, pk=request.POST.get("pk"))
    try:
        value = services.reveal(request.user, obj, field, reason=request.POST.get("reason", ""))
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc) or gettext("无权查看")}, status=403)
    return JsonResponse({"value": value})


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"ok": False, "database": "down"}, status=503)
    return JsonResponse({"ok": True, "database": connection.vendor})

"""定时上报 screens: who has / has not reported (platform and units), and the phone-friendly form."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from reports import unit_reports
from reports.models import UnitReport


@login_required
def status(request):
    if not (access.has_perm(request.user, "reports.view") or access.has_perm(request.user, "reports.submit")):
        raise PermissionDenied("您的角色无权查看定时上报。")
    try:
        day = date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        day = timezone.localdate()
    emergency, groups = unit_reports.status(request.user, day)
    rows = [(due, slots, sum(1 for s in slots if s.submitted_at)) for due, slots in groups]
    return render(request, "reports/unit_reports.html", {
        "emergency": emergency, "groups": rows, "day": day, "prev": day - timedelta(days=1),
        "next": day + timedelta(days=1)})


@login_required
def submit(request, pk):
    slot = access.get_or_404(request.user, UnitReport.objects.select_related("unit", "emergency"), "reports.view",
                             pk=pk)
    template = unit_reports.template_for(slot.emergency)
    can_submit = access.has_perm(request.user, "reports.submit", slot.unit)
    values = {f["key"]: slot.counts.get(f["key"], "") for f in template.fields}
    text = slot.text
    if request.method == "POST":
        if not can_submit:
            raise PermissionDenied("您的角色无权报送。")
        values = {f["key"]: request.POST.get(f["key"], "") for f in template.fields}
        text = request.POST.get("text", "")
        try:
            unit_reports.submit(request.user, slot, counts=values, text=text)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已报送。"))
            return redirect("reports:unit_reports")
    fields = [{**f, "value": values.get(f["key"], "")} for f in template.fields]
    return render(request, "reports/unit_report_form.html", {
        "slot": slot, "fields": fields, "text": text, "prompt": template.prompt, "can_submit": can_submit})

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import kpi, outputs
from reports.views import CONTENT_TYPES, _scope_or_403


@login_required
def kpi_table(request):
    scope, unit = _scope_or_403(request.user)
    dimension = request.GET.get("dimension") if request.GET.get("dimension") in kpi.DIMENSIONS else "unit"
    period = request.GET.get("period") if request.GET.get("period") in kpi.PERIODS else "month"
    try:
        anchor = date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        anchor = timezone.localdate()
    result = kpi.table(dimension, period, anchor, scope=scope, within=unit)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(kpi.xlsx_bytes(result), content_type=CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="kpi-{dimension}-{period}-{anchor:%Y%m%d}.xlsx"'
        return response
    rows = [[r["rank"], r["name"], *[outputs.pct(r[k]) if k in kpi.RATE_COLUMNS else ("—" if r[k] is None else r[k])
                                     for k, _label in kpi.COLUMNS]] for r in result["rows"]]
    return render(request, "reports/kpi.html", {
        "result": result, "rows": rows, "headers": [_("排名"), _("名称"), *[_(label) for _key, label in kpi.COLUMNS]],
        "dimensions": {k: _(v) for k, v in kpi.DIMENSIONS.items()},
        "periods": {k: _(v) for k, v in kpi.PERIODS.items()}, "dimension": dimension, "period": period,
        "anchor": anchor, "query": request.GET.urlencode(),
    })

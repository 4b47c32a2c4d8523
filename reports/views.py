"""Reports screens: thin views — parse, check access, call selectors/daily, render."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from places.models import OrgUnit
from reports import charts, daily, outputs, selectors
from reports.metrics import parse_cutoff
from reports.models import DailyReport

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _scope_or_403(user):
    scope, unit = selectors.viewer_scope(user)
    if scope is None:
        raise PermissionDenied("您的角色无权查看报表。")
    return scope, unit


def _day(value):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _cutoff(request):
    try:
        return parse_cutoff(request.GET.get("cutoff") or "00:00")
    except ValueError:
        raise Http404 from None


def figures_for(user, day, cutoff):
    """District viewers read the stored record (made on first use); a unit gets its own scope, built live."""
    scope, unit = _scope_or_403(user)
    if scope.whole:
        stored = DailyReport.objects.filter(date=day, cutoff=cutoff).first()
        return (stored.figures if stored else daily.build(day, cutoff)), unit, stored
    return daily.build(day, cutoff, scope=scope), unit, None


@login_required
def index(request):
    scope, unit = _scope_or_403(request.user)
    if request.method == "POST":
        access.require_perm(request.user, "reports.manage")
        day, cutoff = _day(request.POST.get("date")), parse_cutoff(request.POST.get("cutoff") or "00:00")
        daily.generate(day, cutoff, user=request.user)
        return redirect(reverse("reports:daily", args=[day.isoformat()]) + f"?cutoff={cutoff:%H:%M}")
    yesterday = timezone.localdate() - timedelta(days=1)
    stored = DailyReport.objects.only("date", "cutoff", "generated_at")[:60] if scope.whole else []
    return render(request, "reports/index.html", {
        "stored": stored, "yesterday": yesterday, "unit": unit,
        "can_manage": access.has_perm(request.user, "reports.manage"),
    })


@login_required
def daily_report(request, day):
    day, cutoff = _day(day), _cutoff(request)
    figures, unit, stored = figures_for(request.user, day, cutoff)
    labels = figures["labels"]
    chart_specs = [
        (_("诉求分类"), [(labels["topic"].get(c, c), n) for c, n in list(figures["by_topic"].items())[:12]]),
        (_("街道(属地)"), [(labels["unit"].get(c, c), n) for c, n in figures["by_street"].items()]),
        (_("承办单位"), [(labels["unit"].get(c, c), n) for c, n in list(figures["by_unit"].items())[:12]]),
    ]
    trend = figures.get("trend_8d", [])
    return render(request, "reports/daily.html", {
        "f": figures, "sections": outputs.sections(figures), "unit": unit, "stored": stored, "day": day,
        "cutoff": f"{cutoff:%H:%M}", "date_text": outputs.date_text(figures), "window_text": outputs.window_text(figures),
        "charts": [(title, charts.bars(items, title), [list(i) for i in items]) for title, items in chart_specs],
        "trend_chart": charts.lines([t["date"][5:] for t in trend], [(_("受理量"), [t["count"] for t in trend])],
                                    _("近8日受理量")),
        "prev": day - timedelta(days=1), "next": day + timedelta(days=1),
        "formats": [("docx", "Word"), ("xlsx", "Excel"), ("csv", "CSV"), ("json", "JSON")],
        "name_count": [_("名称"), _("工单数")],
    })


@login_required
def daily_download(request, day, fmt):
    if fmt not in outputs.FORMATS:
        raise Http404
    day, cutoff = _day(day), _cutoff(request)
    figures, _unit, _stored = figures_for(request.user, day, cutoff)
    response = HttpResponse(outputs.render(figures, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="daily-{day:%Y%m%d}-{cutoff:%H%M}.{fmt}"'
    return response


@login_required
def dashboard(request):
    """The viewer's own dashboard: the district's for platform members, else their unit's."""
    scope, unit = _scope_or_403(request.user)
    if unit.kind == OrgUnit.Kind.DISTRICT:
        return _district(request, scope, unit)
    if unit.kind == OrgUnit.Kind.COMMUNITY:
        return redirect("reports:community", code=unit.code)
    return redirect("reports:unit", code=unit.code)


def _unit_or_404(request, code, kinds=None):
    unit = access.get_or_404(request.user, OrgUnit, "reports.view", code=code)
    if kinds and unit.kind not in kinds:
        raise Http404
    return unit


def _dashboard_context(unit, scope):
    trend = selectors.topic_trend(unit, scope)
    rates = selectors.latest_rates(scope, unit)
    return {
        "unit": unit, "tiles": selectors.tiles(scope), "rates": rates,
        "rates_list": [(_(label), outputs.pct(rates[key]), rates["definitions"].get(key, ""))
                       for key, label in outputs.RATE_KEYS],
        "trend_chart": charts.lines(trend["dates"], trend["series"], _("近14日热点诉求趋势")),
        "trend_headers": [_("日期"), *trend["topics"], _("当日合计")],
        "trend_rows": [[f"{r['date']:%m-%d}", *r["counts"], r["total"]] for r in trend["rows"]],
    }


def _district(request, scope, unit):
    context = _dashboard_context(unit, scope)
    streets = selectors.by_street(scope)
    context.update({
        "streets": streets, "street_headers": [_("街道"), _("今日受理"), _("在办")],
        "street_rows": [[s["name"], s["today"], s["open"]] for s in streets],
        "street_chart": charts.bars([(s["name"], s["today"]) for s in streets], _("今日各街道受理量")),
        "open_chart": charts.bars([(s["name"], s["open"]) for s in streets], _("各街道在办工单"), tone="#d9822b"),
    })
    return render(request, "reports/dashboard.html", context)


@login_required
def unit_dashboard(request, code):
    unit = _unit_or_404(request, code)
    if unit.kind == OrgUnit.Kind.DISTRICT:
        return redirect("reports:dashboard")
    if unit.kind in (OrgUnit.Kind.COMMUNITY, OrgUnit.Kind.COMPOUND):
        return redirect("reports:community", code=unit.code)
    return render(request, "reports/dashboard.html", _dashboard_context(unit, selectors.unit_scope(unit)))


@login_required
def community_dashboard(request, code):
    unit = _unit_or_404(request, code, {OrgUnit.Kind.COMMUNITY, OrgUnit.Kind.COMPOUND})
    return render(request, "reports/community.html", {
        "unit": unit, "orders": selectors.community_orders(unit), "panels": selectors.community_panels(unit),
    })

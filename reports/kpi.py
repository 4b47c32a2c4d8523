"""Any KPI by dimension (unit, street, category) and period (day, week, month, quarter), with rankings.

Each row is reports.metrics.compute() on the period's window restricted to one group, so the definitions
are exactly those of the daily report."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from hotline.models import Category
from places.models import OrgUnit
from reports import kpi_window, metrics

# Labels are marked for translation (gettext_noop) but stay plain Chinese strings here: the Excel export uses them
# as they are, the web page translates them when it renders.
PERIODS = {"day": gettext_noop("日"), "week": gettext_noop("周"), "month": gettext_noop("月"),
           "quarter": gettext_noop("季度")}
DIMENSIONS = {"unit": gettext_noop("承办单位"), "street": gettext_noop("街道"),
              "category": gettext_noop("诉求分类")}
COLUMNS = [("new_orders", gettext_noop("受理量")), ("closed_orders", gettext_noop("办结量")),
           ("overdue_orders", gettext_noop("超期")), ("accept_rate", gettext_noop("及时签收率")),
           ("on_time_rate", gettext_noop("按时办结率")), ("satisfaction_rate", gettext_noop("回访满意率")),
           ("direct_answer_rate", gettext_noop("直接答复率")), ("return_rate", gettext_noop("退单率")),
           ("redo_rate", gettext_noop("重办率")), ("avg_handling_hours", gettext_noop("平均办理时长(小时)")),
           ("daily_intake", gettext_noop("日均受理量"))]
RATE_COLUMNS = {"accept_rate", "on_time_rate", "satisfaction_rate", "direct_answer_rate", "return_rate", "redo_rate"}


def period_range(period, anchor):
    """[first day, day after last) of the period containing `anchor`."""
    if period == "day":
        return anchor, anchor + timedelta(days=1)
    if period == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = anchor.replace(day=1)
    elif period == "quarter":
        start = date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1)
    else:
        raise ValueError(f"未知统计周期 {period}")
    months = 1 if period == "month" else 3
    year, month = divmod(start.month - 1 + months, 12)
    return start, date(start.year + year, month + 1, 1)


def groups(dimension, within=None):
    """(code, name, Q, filters) per group; `within` limits units/streets to a jurisdiction unit."""
    if dimension == "category":
        return [(c.code, c.name, Q(category=c) | Q(category__parent=c), {"category": c})
                for c in Category.objects.filter(active=True)]
    kinds = (OrgUnit.TERRITORIAL if dimension == "street"
             else (OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE, OrgUnit.Kind.DEPARTMENT))
    units = OrgUnit.objects.filter(kind__in=kinds, active=True).order_by("path")
    if within is not None and within.kind != OrgUnit.Kind.DISTRICT:
        units = units.filter(path__startswith=within.path)
    if dimension == "street":
        return [(u.code, u.name, Q(street_path=u.path), {"street": u}) for u in units]
    return [(u.code, u.name, Q(lead_path__startswith=u.path), {"unit": u}) for u in units]


def table(dimension, period, anchor, scope=metrics.WHOLE, within=None, now=None):
    """Rows [{code, name, <kpi>…, rank}] ranked by 按时办结率 then 满意率 (None last)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"未知统计维度 {dimension}")
    first, after = period_range(period, anchor)
    start = timezone.make_aware(datetime.combine(first, time(0)))
    end = timezone.make_aware(datetime.combine(after, time(0)))
    window = kpi_window.Window(start, end, scope)
    rows = []
    for code, name, _q, filters in groups(dimension, within):
        figures = window.summary(filters)
        if dimension == "category" and not figures["new_orders"] and not figures["closed_orders"]:
            continue
        rows.append({"code": code, "name": name, **{k: figures[k] for k, _ in COLUMNS}})
    rows.sort(key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0),
                             -(r["satisfaction_rate"] or 0), -r["new_orders"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return {"dimension": dimension, "period": period, "start": first, "end": after - timedelta(days=1), "rows": rows}


def xlsx_bytes(result):
    import io

    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{DIMENSIONS[result['dimension']]}指标"[:31]
    sheet.append([f"{result['start']:%Y-%m-%d} 至 {result['end']:%Y-%m-%d}({PERIODS[result['period']]})"])
    sheet.append(["排名", "编码", "名称", *[label for _, label in COLUMNS]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in result["rows"]:
        sheet.append([row["rank"], row["code"], row["name"], *[row[k] for k, _ in COLUMNS]])
    for r in range(3, sheet.max_row + 1):
        for c, (key, _) in enumerate(COLUMNS, 4):
            if key in RATE_COLUMNS:
                sheet.cell(r, c).number_format = "0.0%"
    if result["rows"]:
        chart = BarChart()
        chart.title = "按时办结率"
        n = len(result["rows"])
        chart.add_data(Reference(sheet, min_col=8, min_row=2, max_row=n + 2), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=3, min_row=3, max_row=n + 2))
        sheet.add_chart(chart, "P3")
    sheet.column_dimensions["C"].width = 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

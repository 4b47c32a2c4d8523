"""Excel export of a week's roster (names only: no phone or ID numbers leave the system here)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from volunteers.models import WEEKDAYS

GAP_FILL = PatternFill("solid", fgColor="FDE2E1")


def roster_xlsx(post, week, grid):
    wb = Workbook()
    ws = wb.active
    ws.title = _("排班表")
    ws.append([_("%(post)s 排班表(%(unit)s)") % {"post": post.name, "unit": post.unit.full_name}])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("周次"), f"{week:%Y-%m-%d} 起"])
    ws.append([])
    ws.append([_("日期"), _("星期"), _("班次"), _("人员"), _("状态"), _("最少人数"), _("缺口")])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for day, shifts in grid:
        for shift in shifts:
            start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
            names = "、".join(a.user.first_name or a.user.username for a in shift.people)
            states = "、".join(a.get_status_display() for a in shift.people)
            ws.append([f"{day:%Y-%m-%d}", str(WEEKDAYS[day.weekday()]), f"{start:%H:%M}–{end:%H:%M}",
                       names or _("(空缺)"), states, shift.min_staff, shift.gap])
            if shift.gap:
                for cell in ws[ws.max_row]:
                    cell.fill = GAP_FILL
    for idx, width in enumerate([12, 6, 14, 40, 24, 10, 8], start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    for row in ws.iter_rows(min_row=5):
        row[3].alignment = Alignment(wrap_text=True)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def hours_xlsx(rows, start, end):
    """Hours per person for a period (names only)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("服务时长")
    ws.append([_("志愿服务与值班时长统计 %(start)s 至 %(end)s") % {"start": start, "end": end}])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append([_("姓名"), _("计入时长(小时)"), _("完成班次"), _("排班"), _("迟到"), _("缺勤")])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r["name"], r["hours"], r["done"], r["planned"], r["lates"], r["no_shows"]])
    ws.append([_("合计"), round(sum(r["hours"] for r in rows), 1)])
    for idx, width in enumerate([16, 16, 10, 8, 8, 8], start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()

"""Excel export of order lists. Person data is always masked; 保密 callers are not shown at all."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook

from core.cells import safe_row
from core.person import mask_name, mask_phone

MAX_ROWS = 50000
HEADERS = ["工单编号", "受理时间", "渠道", "类型", "分类", "疫情", "来电人", "来电号码", "地址", "诉求内容", "状态",
           "主办单位", "下派社区", "办结时限", "答复时间", "回访结果"]


def _time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def row(order):
    if order.anonymous:
        name = phone = "保密"
    else:
        name, phone = mask_name(order.caller_name), mask_phone(order.caller_phone)
    return [order.number, _time(order.received_at), order.get_channel_display(), order.get_order_type_display(),
            order.category.name, "是" if order.epidemic else "", name, phone, order.address, order.content,
            order.get_state_display(), order.lead_unit.name if order.lead_unit_id else "",
            order.community.name if order.community_id else "", _time(order.reply_due), _time(order.replied_at),
            order.get_callback_result_display()]


def orders_xlsx(orders, user=None):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(HEADERS)
    for order in orders:
        sheet.append(safe_row(row(order)))  # citizens' text must not become a formula
    out = BytesIO()
    book.save(out)
    return out.getvalue()

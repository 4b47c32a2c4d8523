"""Excel export (donations, stock, allocations; person data masked) and import of donations.

Import is all-or-nothing: the whole sheet is validated first and every bad row is reported with its row
number and reason; only a clean sheet is written, in one transaction, through services.record_donation.
The template (columns below) is documented in docs/supplies.md and downloadable from the donations page.
"""

import io
from collections import OrderedDict
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from accounts import access
from core.cells import safe_row
from core.person import mask_name, mask_phone, validate_phone
from places.models import OrgUnit
from supplies import selectors, services
from supplies.models import Donation, Donor, Item
from supplies.validators import validate_credit_code

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")

TEMPLATE_COLUMNS = [
    ("批次号", "同一批次号的多行合并为一笔捐赠(必填)"),
    ("捐赠日期", "如 2020-02-06(必填)"),
    ("捐赠方类型", "个人 / 单位(必填)"),
    ("捐赠方名称", "个人姓名或单位全称(必填)"),
    ("统一社会信用代码", "单位选填,18位,校验位会核对"),
    ("身份", "人大代表 / 政协委员 / 党员 / 其他,可空"),
    ("身份说明", "如:南通市人大代表"),
    ("联系电话", "手机或座机,选填(加密保存)"),
    ("同意公开致谢", "是 / 否"),
    ("接收单位编码", "如 320611005(陈桥街道)、320611D03(区疾控中心)(必填)"),
    ("物资名称", "实物捐赠填写,须为物资目录中的名称"),
    ("计量单位", "与物资目录一致,如 个、把、桶、斤"),
    ("数量", "正整数"),
    ("估值(元)", "选填"),
    ("捐款金额(元)", "资金捐赠填写(不填物资)"),
    ("定向用途", "资金捐赠选填,如:购买防护用品"),
    ("定向受赠方", "单位编码(如 320611D08)或区外受赠方名称"),
]
TITLES = {"": "", "人大代表": Donor.Title.NPC, "政协委员": Donor.Title.CPPCC, "党员": Donor.Title.PARTY,
          "其他": Donor.Title.OTHER}
KINDS = {"个人": Donor.Kind.PERSON, "单位": Donor.Kind.ORGANISATION, "组织": Donor.Kind.ORGANISATION}


class ImportRejected(Exception):
    """Raised with every problem found; nothing was written."""

    def __init__(self, errors):
        self.errors = errors  # [(row number, reason)]
        super().__init__("; ".join(f"第{row}行:{reason}" for row, reason in errors))


def _sheet(wb, title, headers, rows):
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row in rows:
        ws.append(safe_row(row))  # names/notes typed by users must not become formulas
    for idx, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(1, idx).column_letter].width = max(10, len(header) * 2 + 4)
    ws.freeze_panes = "A2"
    return ws


def _donor_label(donor):
    # Exports leave the building: a private person is shown masked, organisations by name.
    return mask_name(donor.name) if donor.kind == Donor.Kind.PERSON else donor.name


def _local(dt):
    return timezone.localtime(dt).replace(tzinfo=None) if dt else None


def export_workbook(user):
    wb = Workbook()
    wb.remove(wb.active)
    donations = selectors.donations_for(user).order_by("pledged_at")
    _sheet(wb, "捐赠", ["编号", "登记时间", "捐赠方", "类型", "身份", "联系电话", "捐赠方式", "接收单位", "内容",
                        "估值/金额(元)", "状态"],
           [[d.code, _local(d.pledged_at), _donor_label(d.donor), d.donor.get_kind_display(), d.donor.display_title,
             mask_phone(d.donor.phone), d.get_kind_display(), d.received_by.name, d.summary(), d.total_value,
             d.get_status_display()] for d in donations])
    _sheet(wb, "定向用途", ["捐赠编号", "捐赠方", "用途", "受赠方", "金额(元)"],
           [[d.code, _donor_label(d.donor), s.purpose, s.recipient, s.amount]
            for d in donations if d.kind == Donation.Kind.CASH for s in d.splits.all()])
    tops, below = selectors.stock_units(user)
    _sheet(wb, "库存", ["单位编码", "单位", "物资", "计量单位", "库存", "最低库存", "预警"],
           [[u.code, u.name, r["item"].name, r["item"].unit, r["quantity"], r["minimum"], "低于最低库存" if r["low"] else ""]
            for u in tops + below for r in selectors.stock_of(u)])
    _sheet(wb, "调拨", ["编号", "调拨时间", "调出单位", "调入单位", "物资", "状态", "签收时间", "对应求助"],
           [[a.code, _local(a.created_at), a.from_unit.name, a.to_unit.name,
             "、".join(f"{ln.item.name}{ln.quantity}{ln.item.unit}" for ln in a.lines.all()),
             a.get_status_display(), _local(a.received_at), a.need.code if a.need else ""]
            for a in selectors.allocations_for(user).order_by("created_at")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_workbook():
    wb = Workbook()
    ws = wb.active
    ws.title = "捐赠"
    ws.append([c for c, _ in TEMPLATE_COLUMNS])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    ws.append(["B001", "2020-02-06", "单位", "江苏博恩医疗科技有限公司", "", "人大代表", "南通市人大代表", "",
               "是", "320611005", "额温枪", "把", 11, "", "", "", ""])
    ws.append(["B001", "2020-02-06", "单位", "江苏博恩医疗科技有限公司", "", "人大代表", "南通市人大代表", "",
               "是", "320611005", "一次性医用口罩", "个", 1000, "", "", "", ""])
    notes = wb.create_sheet("填写说明")
    for column, note in TEMPLATE_COLUMNS:
        notes.append([column, note])
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 18, 60
    for idx in range(1, len(TEMPLATE_COLUMNS) + 1):
        ws.column_dimensions[ws.cell(1, idx).column_letter].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value).replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValidationError("捐赠日期格式不正确,请写成 2020-02-06。") from None


def _decimal(value, label):
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{label}须为数字。") from None
    if number < 0:
        raise ValidationError(f"{label}不能为负数。")
    return number


def _parse(user, ws):
    """Validate every row; returns batches ready to write, or raises ImportRejected listing every fault."""
    header = [_text(c.value) for c in ws[1]]
    expected = [c for c, _ in TEMPLATE_COLUMNS]
    if header[: len(expected)] != expected:
        raise ImportRejected([(1, "表头与模板不一致,请下载最新模板后填写。")])
    items = {(i.name, i.unit): i for i in Item.objects.filter(active=True)}
    units = {}
    batches, errors = OrderedDict(), []
    for row_no, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        values = dict(zip(expected, list(row) + [None] * len(expected)))
        if not any(_text(v) for v in values.values()):
            continue
        try:
            batch_key = _text(values["批次号"])
            if not batch_key:
                raise ValidationError("批次号必填。")
            kind = KINDS.get(_text(values["捐赠方类型"]))
            if kind is None:
                raise ValidationError("捐赠方类型须为“个人”或“单位”。")
            title_label = _text(values["身份"])
            if title_label not in TITLES:
                raise ValidationError(f"身份“{title_label}”无效,可填:人大代表、政协委员、党员、其他。")
            consent = _text(values["同意公开致谢"])
            if consent not in ("是", "否", ""):
                raise ValidationError("同意公开致谢须填“是”或“否”。")
            code = _text(values["接收单位编码"])
            unit = units.get(code) or OrgUnit.objects.filter(code=code, active=True).first()
            if unit is None:
                raise ValidationError(f"接收单位编码“{code}”不存在。")
            units[code] = unit
            if not access.has_perm(user, "supplies.manage", unit):
                raise ValidationError(f"您无权为{unit.name}登记捐赠。")
            donor_args = {"kind": kind, "name": _text(values["捐赠方名称"]),
                          "credit_code": _text(values["统一社会信用代码"]), "title": TITLES[title_label],
                          "title_detail": _text(values["身份说明"]), "phone": _text(values["联系电话"]),
                          "consent_public": consent == "是"}
            if not donor_args["name"]:
                raise ValidationError("捐赠方名称必填。")
            if donor_args["credit_code"]:
                donor_args["credit_code"] = validate_credit_code(donor_args["credit_code"])
            if donor_args["phone"]:
                donor_args["phone"] = validate_phone(donor_args["phone"])
            when = _date(values["捐赠日期"])
            amount = _decimal(values["捐款金额(元)"], "捐款金额")
            item_name = _text(values["物资名称"])
            batch = batches.setdefault(batch_key, {"row": row_no, "donor": donor_args, "unit": unit, "date": when,
                                                   "lines": [], "amount": None, "splits": []})
            if (batch["donor"], batch["unit"], batch["date"]) != (donor_args, unit, when):
                raise ValidationError(f"与批次{batch_key}首行(第{batch['row']}行)的捐赠方、接收单位或日期不一致。")
            if amount is not None and item_name:
                raise ValidationError("一行只能填物资或捐款金额之一。")
            if amount is not None:
                if batch["lines"] or batch["amount"] is not None:
                    raise ValidationError(f"批次{batch_key}已有内容:资金捐赠每批次只占一行。")
                batch["amount"] = amount
                purpose = _text(values["定向用途"])
                if purpose:
                    target = _text(values["定向受赠方"])
                    target_unit = OrgUnit.objects.filter(code=target).first()
                    batch["splits"].append(services.Split(purpose, amount, recipient_unit=target_unit,
                                                          recipient_name="" if target_unit else target))
                services.check_splits(amount, batch["splits"])
            else:
                item = items.get((item_name, _text(values["计量单位"])))
                if item is None:
                    raise ValidationError(f"物资目录中没有“{item_name}({_text(values['计量单位'])})”。")
                if batch["amount"] is not None:
                    raise ValidationError(f"批次{batch_key}是资金捐赠,不能再填物资。")
                quantity = _decimal(values["数量"], "数量")
                if quantity is None or quantity != quantity.to_integral_value() or quantity <= 0:
                    raise ValidationError("数量须为正整数。")
                if any(line[0] == item for line in batch["lines"]):
                    raise ValidationError(f"批次{batch_key}中“{item_name}”重复。")
                batch["lines"].append((item, int(quantity), _decimal(values["估值(元)"], "估值")))
        except ValidationError as exc:
            errors.append((row_no, "".join(exc.messages)))
    if errors:
        raise ImportRejected(errors)
    if not batches:
        raise ImportRejected([(2, "表格中没有数据。")])
    return batches


def import_donations(user, file_obj):
    """Validate the whole workbook, then write every donation in one transaction. Returns the donations."""
    try:
        wb = load_workbook(file_obj, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a non-xlsx upload
        raise ImportRejected([(0, "无法读取文件,请上传 .xlsx 格式的模板。")]) from None
    batches = _parse(user, wb.worksheets[0])
    created = []
    try:
        with transaction.atomic():
            for batch in batches.values():
                donor = services.find_or_create_donor(**batch["donor"])
                at = timezone.make_aware(datetime.combine(batch["date"], time(12)))
                created.append(services.record_donation(
                    user, donor, batch["unit"], lines=batch["lines"], amount=batch["amount"],
                    splits=batch["splits"], now=at, note="Excel导入"))
    except (ValidationError, PermissionDenied) as exc:
        raise ImportRejected([(batch["row"], "".join(getattr(exc, "messages", [str(exc)])))]) from None
    return created

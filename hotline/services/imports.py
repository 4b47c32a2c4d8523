"""Excel import of orders (e.g. handed down by the city platform). The whole file is checked first; a bad
row stops it with its row number and reason, and nothing is written. Template: docs/hotline.md."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts import access
from core.person import validate_phone
from hotline.models import Category, Channel, OrderType, Urgency, WorkOrder
from hotline.services.orders import intake

# header, key, required
COLUMNS = [
    ("外部编号", "external_id", False),
    ("受理时间", "received_at", True),
    ("来源渠道", "channel", False),
    ("诉求类型", "order_type", True),
    ("分类编码", "category", True),
    ("来电人", "caller_name", False),
    ("来电号码", "caller_phone", False),
    ("保密", "anonymous", False),
    ("地址", "address", False),
    ("诉求内容", "content", True),
    ("疫情", "epidemic", False),
    ("紧急程度", "urgency", False),
    ("重大", "major", False),
]
MAX_ROWS = 5000
YES = {"是", "1", "y", "yes", "true", "√", "保密"}


class ImportFailed(ValidationError):
    pass


def template_xlsx():
    from io import BytesIO

    book = Workbook()
    sheet = book.active
    sheet.title = "工单"
    sheet.append([c[0] for c in COLUMNS])
    sheet.append(["NT20200207001", "2020-02-07 09:30", "上级平台", "举报", "EP-PERSON", "张三", "13812345678", "否",
                  "永和佳苑3幢", "有从湖北返回人员未居家隔离", "是", "一般", "否"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _choice(value, choices, label):
    text = str(value or "").strip()
    for code, name in choices:
        if text in (code, str(name)):
            return code
    raise ValueError(f"{label}“{text}”不正确,可选:{'、'.join(str(n) for _c, n in choices)}")


def _time(value):
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, datetime.min.time())
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            raise ValueError(f"受理时间“{value}”不正确,格式如 2020-02-07 09:30") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _row(values, categories, seen):
    data = {key: values[i] if i < len(values) else None for i, (_h, key, _r) in enumerate(COLUMNS)}
    for header, key, required in COLUMNS:
        if required and (data[key] is None or str(data[key]).strip() == ""):
            raise ValueError(f"缺少“{header}”")
    row = {
        "external_id": str(data["external_id"] or "").strip(),
        "now": _time(data["received_at"]),
        "channel": _choice(data["channel"] or Channel.IMPORT, Channel.choices, "来源渠道"),
        "order_type": _choice(data["order_type"], OrderType.choices, "诉求类型"),
        "caller_name": str(data["caller_name"] or "").strip(),
        "anonymous": str(data["anonymous"] or "").strip().lower() in YES,
        "address": str(data["address"] or "").strip(),
        "content": str(data["content"]).strip(),
        "epidemic": str(data["epidemic"] or "").strip().lower() in YES,
        "urgency": _choice(data["urgency"] or Urgency.NORMAL, Urgency.choices, "紧急程度"),
        "major": str(data["major"] or "").strip().lower() in YES,
    }
    code = str(data["category"]).strip().upper()
    if code not in categories:
        raise ValueError(f"分类编码“{code}”不存在")
    row["category"] = categories[code]
    phone = str(data["caller_phone"] or "").strip()
    if phone.endswith(".0"):
        phone = phone[:-2]  # a number typed into a numeric cell
    try:
        row["caller_phone"] = validate_phone(phone) if phone else ""
    except ValidationError as exc:
        raise ValueError(";".join(exc.messages)) from None
    if row["external_id"]:
        if row["external_id"] in seen:
            raise ValueError(f"外部编号“{row['external_id']}”在文件中重复")
        seen.add(row["external_id"])
    return row


def read_rows(file):
    """All rows checked, or ImportFailed("第 N 行:reason") for the first bad one."""
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise ImportFailed("无法读取文件,请上传 .xlsx 格式的 Excel 文件。") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, [])]
    expected = [c[0] for c in COLUMNS]
    if header[:len(expected)] != expected:
        raise ImportFailed(f"第 1 行:表头须为 {'、'.join(expected)}(请使用导入模板)。")
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    seen, result = set(), []
    for number, values in enumerate(rows, start=2):
        if not values or all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(result) >= MAX_ROWS:
            raise ImportFailed(f"一次最多导入 {MAX_ROWS} 行。")
        try:
            result.append((number, _row(list(values), categories, seen)))
        except ValueError as exc:
            raise ImportFailed(f"第 {number} 行:{exc}") from None
    existing = set(WorkOrder.objects.filter(external_id__in=seen).values_list("external_id", flat=True))
    for number, row in result:
        if row["external_id"] in existing:
            raise ImportFailed(f"第 {number} 行:外部编号“{row['external_id']}”已导入过")
    if not result:
        raise ImportFailed("文件中没有工单。")
    return result


@transaction.atomic
def import_orders(user, file):
    """Create every order of the file through intake(), in one transaction; returns them."""
    if not access.has_perm(user, "hotline.intake"):
        raise PermissionDenied("您的角色无权导入工单。")
    created = []
    for number, row in read_rows(file):
        try:
            created.append(intake(user, **row))
        except ValidationError as exc:
            raise ImportFailed(f"第 {number} 行:{';'.join(exc.messages)}") from None
    return created

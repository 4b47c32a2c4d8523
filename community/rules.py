"""What the gate and checkpoint rules look for: Hubei places in free text, temperature bounds."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

HUBEI_PLACES = ("湖北", "武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁",
                "随州", "恩施", "仙桃", "潜江", "天门", "神农架", "汉口", "汉阳", "武昌")
TEMP_MIN, TEMP_MAX = Decimal("34.0"), Decimal("43.0")
DEFAULT_FEVER = Decimal("37.3")


def idempotent_replay(model, raw_key, **owner):
    """(clean key, stored row or None). A key is the client's promise "this is one record": the same key
    again returns the stored row. A key already used for another owner (gate, case…) is refused, so a
    known key cannot read someone else's record."""
    key = (raw_key or "").strip()[:64]
    if len(key) < 8:
        raise ValidationError("缺少幂等键(idempotency_key),无法保证只登记一次。")
    existing = next(iter(model.objects.filter(idempotency_key=key).order_by()[:1]), None)
    if existing is not None and any(getattr(existing, f) != v for f, v in owner.items()):
        raise ValidationError("幂等键已被其他记录使用,请重新提交。")
    return key, existing


def mentions_hubei(*texts):
    return any(place in (text or "") for text in texts for place in HUBEI_PLACES)


def validate_temperature(value):
    """A measured body temperature: 34–43 ℃, one decimal. Outside: the thermometer or the reading is wrong."""
    if value in (None, ""):
        raise ValidationError("请填写体温。")
    try:
        temp = Decimal(str(value).strip().replace("℃", "").replace("°C", "")).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"体温“{value}”不是数字,请重新输入(如 36.5)。") from None
    if not temp.is_finite() or not (TEMP_MIN <= temp <= TEMP_MAX):  # "NaN" parses, and cannot be compared
        raise ValidationError(
            f"体温 {temp}℃ 超出可测范围(34–43℃),可能测量有误,请复测后再登记。")
    return temp


# The gate rules as shipped (kind, threshold, level, advice); the admin edits them afterwards.
DEFAULT_RULES = [
    ("fever", "37.3", "danger",
     "请劝其暂缓进入,复测一次;仍≥37.3℃:引导至临时观察点,通知社区工作人员,由社区联系发热门诊,不要让其自行离开。"),
    ("hubei", None, "danger",
     "请登记全部人员身份证号与14天行程,劝其暂缓进入,等候社区工作人员到场核实;不得与其争执。"),
    ("quarantine_out", None, "danger",
     "居家隔离期内不得外出:请劝其返回住处,已通知社区工作人员;如有就医等特殊需要,由社区安排。"),
    ("missed_check", None, "warning", "请电话联系隔离对象,确认身体状况并提醒按时测温上报。"),
]


def ensure_default_rules():
    """Create missing default rules (demo loads, tests that flush tables). Never overwrites an edited rule."""
    from community.models import AlertRule

    for kind, threshold, level, advice in DEFAULT_RULES:
        AlertRule.objects.get_or_create(kind=kind, defaults={"threshold": threshold, "level": level, "advice": advice})

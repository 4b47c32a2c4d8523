"""What the gate and checkpoint rules look for: Hubei places in free text, temperature bounds."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

HUBEI_PLACES = ("湖北", "武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁",
                "随州", "恩施", "仙桃", "潜江", "天门", "神农架", "汉口", "汉阳", "武昌")
TEMP_MIN, TEMP_MAX = Decimal("34.0"), Decimal("43.0")
DEFAULT_FEVER = Decimal("37.3")


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
    if not (TEMP_MIN <= temp <= TEMP_MAX):
        raise ValidationError(
            f"体温 {temp}℃ 超出可测范围(34–43℃),可能测量有误,请复测后再登记。")
    return temp

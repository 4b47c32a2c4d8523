"""Person data: normalising, validating and masking phone numbers and ID card numbers.

All messages are for the person typing; they say what is wrong in plain Chinese.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ－＋", "0123456789xX-+")
_SEPARATORS = re.compile(r"[\s\-()（）]")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}\d{7,8}$")
SERVICE_RE = re.compile(r"^(1\d{4}|[48]00\d{7})$")  # 12345-style short numbers, 400/800 lines
ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_phone(raw: str) -> str:
    value = _SEPARATORS.sub("", (raw or "").translate(_FULLWIDTH))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def validate_mobile(raw: str) -> str:
    value = normalize_phone(raw)
    if not value:
        raise ValidationError(_("请填写手机号码。"), code="required")
    if not value.isdigit():
        raise ValidationError(_("手机号码只能包含数字。"), code="invalid")
    if len(value) != 11:
        raise ValidationError(_("手机号码应为11位数字,当前为%(n)d位。") % {"n": len(value)}, code="invalid")
    if not MOBILE_RE.match(value):
        raise ValidationError(_("手机号码应以13–19开头。"), code="invalid")
    return value


def validate_phone(raw: str) -> str:
    """A caller's number: a mobile, a landline with area code (0513-…) or a service number."""
    value = normalize_phone(raw)
    if not value:
        raise ValidationError(_("请填写电话号码。"), code="required")
    if not value.isdigit():
        raise ValidationError(_("电话号码只能包含数字和连字符。"), code="invalid")
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value) or SERVICE_RE.match(value):
        return value
    if value.startswith("1"):
        return validate_mobile(value)
    raise ValidationError(_("电话号码格式不正确:手机为11位,固话需带区号(如0513-85001234)。"), code="invalid")


def normalize_id_card(raw: str) -> str:
    return re.sub(r"\s", "", (raw or "").translate(_FULLWIDTH)).upper()


def id_card_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def validate_id_card(raw: str) -> str:
    """An 18-digit resident identity card number (GB 11643-1999), checksum and birth date included."""
    value = normalize_id_card(raw)
    if not value:
        raise ValidationError(_("请填写身份证号码。"), code="required")
    if len(value) != 18:
        raise ValidationError(_("身份证号码应为18位,当前为%(n)d位。") % {"n": len(value)}, code="invalid")
    if not ID_RE.match(value):
        raise ValidationError(_("身份证号码前17位应为数字,最后一位为数字或X。"), code="invalid")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期不存在。"), code="invalid") from None
    if born.year < 1890 or born > date.today():
        raise ValidationError(_("身份证号码中的出生日期不合理。"), code="invalid")
    if id_card_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确,请核对后重新输入。"), code="checksum")
    return value


def mask_phone(value: str) -> str:
    if not value:
        return ""
    if len(value) >= 11:
        return value[:3] + "****" + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "****"


def mask_id_card(value: str) -> str:
    if not value:
        return ""
    if len(value) > 8:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return "*" * len(value)


def mask_name(value: str) -> str:
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


MASKS = {"phone": mask_phone, "id_card": mask_id_card, "name": mask_name, "text": lambda v: "***" if v else ""}
NORMALIZERS = {"phone": normalize_phone, "id_card": normalize_id_card, "name": str.strip, "text": str.strip}

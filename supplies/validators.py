"""Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a mod-31 check character."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z: they look like digits
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    """The normalised code, or ValidationError with a Chinese message saying what is wrong."""
    code = (raw or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位,当前为%(n)s位。"), params={"n": len(code)}, code="length")
    bad = [ch for ch in code if ch not in CHARSET]
    if bad:
        raise ValidationError(_("统一社会信用代码含有无效字符“%(ch)s”(不使用I、O、S、V、Z)。"),
                              params={"ch": bad[0]}, code="charset")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确,请核对后重新输入。"), code="checksum")
    return code

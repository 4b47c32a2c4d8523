"""Chinese licence plates (GA 36-2018): parse, normalise and explain what is wrong, in plain Chinese.

Ordinary plates are 7 characters (苏F12345): province abbreviation, issuing-office letter, five serials.
New-energy plates are 8 (苏FD12345 small car: D/F + one letter or digit + four digits; 苏F12345D large
vehicle: five digits + D/F). Letters I and O are never issued (they read as 1 and 0). Police, embassy,
consulate and armed-police plates are refused explicitly: a volunteer registers them by hand with a note,
they are not checked against the civilian rules. Gate entries, checkpoints and the `check_plate` command
all go through parse_plate(), so one rule decides what a valid plate is.
"""

import re
from dataclasses import dataclass

from django.conf import settings

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PROVINCE_NAMES = {
    "京": "北京", "津": "天津", "沪": "上海", "渝": "重庆", "冀": "河北", "豫": "河南", "云": "云南", "辽": "辽宁",
    "黑": "黑龙江", "湘": "湖南", "皖": "安徽", "鲁": "山东", "新": "新疆", "苏": "江苏", "浙": "浙江", "赣": "江西",
    "鄂": "湖北", "桂": "广西", "甘": "甘肃", "晋": "山西", "蒙": "内蒙古", "陕": "陕西", "吉": "吉林", "闽": "福建",
    "贵": "贵州", "粤": "广东", "青": "青海", "藏": "西藏", "川": "四川", "宁": "宁夏", "琼": "海南",
}
SERIAL_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
_SERIAL = f"[{SERIAL_LETTERS}0-9]"
ORDINARY_RE = re.compile(rf"^[{SERIAL_LETTERS}]{_SERIAL}{{5}}$")
NEW_ENERGY_SMALL_RE = re.compile(rf"^[{SERIAL_LETTERS}][DF]{_SERIAL}\d{{4}}$")
NEW_ENERGY_LARGE_RE = re.compile(rf"^[{SERIAL_LETTERS}]\d{{5}}[DF]$")
SPECIAL_SUFFIX = {"警": "警用号牌", "领": "领事馆号牌", "使": "使馆号牌", "学": "教练车号牌", "挂": "挂车号牌",
                  "港": "港澳入出境号牌", "澳": "港澳入出境号牌"}

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x41 + i) for i in range(26)})
_TRANSLATE = str.maketrans(_FULLWIDTH)
_SEPARATORS = re.compile(r"[\s·•・\.\-_\u3000]")


@dataclass(frozen=True)
class Plate:
    raw: str
    plate: str = ""
    valid: bool = False
    province: str = ""
    city: str = ""
    local: bool = False
    new_energy: bool = False
    reason: str = ""

    @property
    def province_name(self):
        return PROVINCE_NAMES.get(self.province, "")

    def line(self):
        """The one-line answer of `manage.py check_plate`."""
        if not self.valid:
            return f"valid=0 reason={self.reason}"
        return (f"valid=1 province={self.province} city={self.city} local={int(self.local)} "
                f"new_energy={int(self.new_energy)}")


def normalize_plate(raw: str) -> str:
    """Upper case, half-width, no spaces or dots: "苏 f·１２３４５" → "苏F12345"."""
    return _SEPARATORS.sub("", (raw or "").translate(_TRANSLATE)).upper()


def home_prefix() -> str:
    return normalize_plate(getattr(settings, "PLATE_HOME_PREFIX", "苏F"))


def _invalid(raw, plate, reason):
    return Plate(raw=raw, plate=plate, valid=False, reason=reason)


def parse_plate(raw: str) -> Plate:
    plate = normalize_plate(raw)
    if not plate:
        return _invalid(raw, plate, "请填写车牌号。")
    if plate.startswith("使") or plate.startswith("WJ") or plate[-1] in SPECIAL_SUFFIX:
        kind = "使馆号牌" if plate.startswith("使") else "武警号牌" if plate.startswith("WJ") else SPECIAL_SUFFIX[plate[-1]]
        return _invalid(raw, plate, f"{kind}不按普通车辆登记,请核验证件后在备注中手工记录。")
    province = plate[0]
    if province not in PROVINCES:
        return _invalid(raw, plate, f"第一位应为省份简称(如苏、鄂),不能是“{province}”。")
    if len(plate) not in (7, 8):
        return _invalid(raw, plate, f"车牌长度不对:普通号牌7位、新能源号牌8位,当前{len(plate)}位。")
    city = plate[1]
    if city in "IO":
        return _invalid(raw, plate, "第二位发牌机关代号不使用字母I和O。")
    if not ("A" <= city <= "Z"):
        return _invalid(raw, plate, f"第二位应为发牌机关字母(如F),不能是“{city}”。")
    rest = plate[2:]
    if "I" in rest or "O" in rest:
        return _invalid(raw, plate, "号牌序号不使用字母I和O(易与数字1、0混淆),请核对。")
    bad = [c for c in rest if not (c.isascii() and c.isalnum())]
    if bad:
        return _invalid(raw, plate, f"号牌序号只能是字母或数字,不能是“{bad[0]}”。")
    if len(plate) == 7:
        ok, new_energy = bool(ORDINARY_RE.match(plate[1:])), False
        if not ok:
            return _invalid(raw, plate, "普通号牌应为省份简称+字母+5位字母或数字。")
    else:
        new_energy = True
        if not (NEW_ENERGY_SMALL_RE.match(plate[1:]) or NEW_ENERGY_LARGE_RE.match(plate[1:])):
            return _invalid(raw, plate, "新能源号牌应为“苏FD12345”(第三位D或F)或“苏F12345D”(末位D或F)。")
    return Plate(raw=raw, plate=plate, valid=True, province=province, city=city,
                 local=plate.startswith(home_prefix()), new_energy=new_energy)

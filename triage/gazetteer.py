"""Gazetteer CSV import: roads and landmarks with the unit they belong to.

Columns (UTF-8, header required): type,name,aliases,unit_code,number_from,number_to,illustrative,note
  type          road | landmark
  aliases       "|"-separated
  unit_code     an OrgUnit code (community, or street/zone when only the street is known, or compound)
  number_from/to  optional house-number range (roads only)
  illustrative  1 when the row is demo/illustrative data, not a verified mapping
The whole file is validated before anything is written; re-importing the same file is a no-op.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from places.models import OrgUnit
from triage.models import Landmark, Road

COLUMNS = ["type", "name", "aliases", "unit_code", "number_from", "number_to", "illustrative", "note"]
ALLOWED_KINDS = {OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE, OrgUnit.Kind.COMMUNITY, OrgUnit.Kind.COMPOUND}


class GazetteerImportError(Exception):
    def __init__(self, line, reason):
        self.line, self.reason = line, reason
        super().__init__(f"第{line}行:{reason}" if line else reason)


@dataclass
class GazetteerResult:
    roads: int = 0
    landmarks: int = 0


def _number(value, line, label):
    if not value:
        return None
    if not value.isdigit():
        raise GazetteerImportError(line, f"{label}“{value}”不是整数")
    return int(value)


def parse(text):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("type", "name", "unit_code") if c not in header]
    if missing:
        raise GazetteerImportError(1, f"表头缺少列:{', '.join(missing)}(应为 {','.join(COLUMNS)})")
    raw_rows = []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if any(row.values()):
            raw_rows.append((line, row))
    codes = {row.get("unit_code", "") for _, row in raw_rows}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    rows, seen = [], {}
    for line, row in raw_rows:
        kind, name, code = row.get("type", "").lower(), row.get("name", ""), row.get("unit_code", "")
        if kind not in ("road", "landmark"):
            raise GazetteerImportError(line, f"类型“{kind}”应为 road 或 landmark")
        if not name:
            raise GazetteerImportError(line, "名称(name)为空")
        unit = units.get(code)
        if unit is None:
            raise GazetteerImportError(line, f"组织树中没有编码“{code}”,请先导入组织树")
        if unit.kind not in ALLOWED_KINDS:
            raise GazetteerImportError(line, f"“{unit.name}”是{unit.get_kind_display()},只能挂在街道、社区或小区下")
        low = _number(row.get("number_from", ""), line, "起始门牌号")
        high = _number(row.get("number_to", ""), line, "终止门牌号")
        if kind == "landmark" and (low is not None or high is not None):
            raise GazetteerImportError(line, "地标不能有门牌号范围")
        if low is not None and high is not None and low > high:
            raise GazetteerImportError(line, f"门牌号范围 {low}–{high} 起止颠倒")
        key = (kind, name, code, low)
        if key in seen:
            raise GazetteerImportError(line, f"与第{seen[key]}行重复")
        seen[key] = line
        aliases = [a.strip() for a in row.get("aliases", "").split("|") if a.strip() and a.strip() != name]
        rows.append(dict(kind=kind, name=name, unit=unit, low=low, high=high, aliases=aliases,
                         illustrative=row.get("illustrative", "") in ("1", "true", "True", "是", "yes"),
                         note=row.get("note", "")))
    if not rows:
        raise GazetteerImportError(0, "文件中没有任何道路或地标")
    return rows


@transaction.atomic
def import_gazetteer(text):
    rows = parse(text)
    result = GazetteerResult()
    for row in rows:
        common = dict(aliases=row["aliases"], illustrative=row["illustrative"], note=row["note"])
        if row["kind"] == "road":
            Road.objects.update_or_create(name=row["name"], unit=row["unit"], number_from=row["low"],
                                          defaults=dict(number_to=row["high"], **common))
            result.roads += 1
        else:
            Landmark.objects.update_or_create(name=row["name"], unit=row["unit"], defaults=common)
            result.landmarks += 1
    return result

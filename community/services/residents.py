"""Households and residents: manual entry and the Excel import (whole file validated before any write)."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import access
from community.models import Household, Resident
from core import audit
from core.person import validate_id_card, validate_phone

# Code alphabet without look-alikes (0/O, 1/I/L): an elderly resident's card is read aloud and typed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
IMPORT_COLUMNS = ["楼栋", "单元", "房号", "姓名", "电话", "身份证号", "与户主关系", "老人"]


def new_personal_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _check_compound(actor, compound):
    if compound.kind != "compound":
        raise ValidationError("请选择小区。")
    access.require_perm(actor, "community.manage", compound)


@transaction.atomic
def add_household(actor, compound, building, room, entrance="", note=""):
    _check_compound(actor, compound)
    household, created = Household.objects.get_or_create(
        compound=compound, building=str(building).strip(), entrance=str(entrance or "").strip(),
        room=str(room).strip(), defaults={"note": note})
    if created:
        audit.record(actor, "community.household_add", obj=household, unit=compound)
    return household


def _clean_person(name, phone, id_number):
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写姓名。")
    try:
        phone = validate_phone(phone) if phone else ""
    except ValidationError as exc:
        raise ValidationError(f"电话:{' '.join(exc.messages)}") from None
    try:
        id_number = validate_id_card(id_number) if id_number else ""
    except ValidationError as exc:
        raise ValidationError(f"身份证号:{' '.join(exc.messages)}") from None
    return name, phone, id_number


@transaction.atomic
def add_resident(actor, household, name, phone="", id_number="", relation="", elderly=False):
    access.require_perm(actor, "community.manage", household.compound)
    name, phone, id_number = _clean_person(name, phone, id_number)
    resident = Resident(household=household, name=name, phone=phone, id_number=id_number, relation=relation,
                        elderly=elderly)
    _save_with_code(resident)
    audit.record(actor, "community.resident_add", obj=resident, unit=household.compound)
    return resident


def _save_with_code(resident):
    if not resident.elderly:
        resident.save()
        return
    for _ in range(5):
        resident.personal_code = new_personal_code()
        try:
            with transaction.atomic():
                resident.save()
            return
        except IntegrityError:
            resident.pk = None
    raise RuntimeError("could not allocate a personal code")


@dataclass
class ImportError_:
    row: int
    reason: str


class ImportFailed(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"第{e.row}行:{e.reason}" for e in errors[:5]))


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_rows(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ImportFailed([ImportError_(1, "文件为空。")])
    header = [_cell(c) for c in rows[0]]
    missing = [c for c in IMPORT_COLUMNS[:4] if c not in header]
    if missing:
        raise ImportFailed([ImportError_(1, f"缺少列:{'、'.join(missing)}(请使用模板)。")])
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    parsed, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        values = {name: _cell(row[i]) if i < len(row) else "" for name, i in index.items()}
        if not any(values.values()):
            continue
        try:
            if not values["楼栋"] or not values["房号"]:
                raise ValidationError("楼栋和房号必填。")
            name, phone, id_number = _clean_person(values["姓名"], values.get("电话"), values.get("身份证号"))
        except ValidationError as exc:
            errors.append(ImportError_(number, " ".join(exc.messages)))
            continue
        parsed.append(dict(building=values["楼栋"], entrance=values.get("单元", ""), room=values["房号"],
                           name=name, phone=phone, id_number=id_number, relation=values.get("与户主关系", ""),
                           elderly=values.get("老人", "") in {"是", "1", "Y", "y", "√"}))
    if errors:
        raise ImportFailed(errors)
    return parsed


@transaction.atomic
def import_residents(actor, compound, fileobj):
    """Import the template (docs/community.md). Any bad row: ImportFailed(errors), nothing written."""
    from openpyxl import load_workbook

    _check_compound(actor, compound)
    try:
        sheet = load_workbook(fileobj, read_only=True, data_only=True).active
    except Exception:
        raise ImportFailed([ImportError_(1, "无法读取文件,请上传 .xlsx 格式的模板。")]) from None
    rows = _parse_rows(sheet)
    households = {}
    for row in rows:
        key = (row["building"], row["entrance"], row["room"])
        if key not in households:
            households[key], _ = Household.objects.get_or_create(
                compound=compound, building=key[0], entrance=key[1], room=key[2])
        _save_with_code(Resident(household=households[key], name=row["name"], phone=row["phone"],
                                 id_number=row["id_number"], relation=row["relation"], elderly=row["elderly"]))
    audit.record(actor, "community.resident_import", unit=compound,
                 detail={"rows": len(rows), "households": len(households)})
    return len(rows)

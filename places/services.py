"""Writes to the organisation tree. The CSV import validates the whole file before writing anything."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from places.models import OrgUnit

COLUMNS = ["code", "name", "kind", "parent_code", "aliases"]


class PlacesImportError(Exception):
    def __init__(self, line, reason):
        self.line, self.reason = line, reason
        super().__init__(f"第{line}行:{reason}" if line else reason)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list = field(default_factory=list)


def _parse(text):
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PlacesImportError(1, f"表头缺少列:{', '.join(missing)}(应为 {','.join(COLUMNS)})")
    kinds = set(OrgUnit.Kind.values)
    rows, seen = [], {}
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        code, name, kind, parent = row["code"], row["name"], row["kind"], row["parent_code"]
        if not code:
            raise PlacesImportError(line, "编码(code)为空")
        if len(code) > 32 or "/" in code:
            raise PlacesImportError(line, f"编码“{code}”不合法(最长32位,不能含“/”)")
        if not name:
            raise PlacesImportError(line, f"单位“{code}”的名称(name)为空")
        if kind not in kinds:
            raise PlacesImportError(line, f"未知类型“{kind}”,应为 {'|'.join(OrgUnit.Kind.values)} 之一")
        if code in seen:
            raise PlacesImportError(line, f"编码“{code}”重复(第{seen[code]}行已出现)")
        if parent == code:
            raise PlacesImportError(line, f"单位“{code}”不能以自己为上级")
        seen[code] = line
        aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        rows.append({"line": line, "code": code, "name": name, "kind": kind, "parent": parent, "aliases": aliases})
    if not rows:
        raise PlacesImportError(0, "文件中没有任何单位")
    return rows


def _order_and_check(rows):
    """Parents before children; every parent known; kinds fit; one root at most."""
    existing = {u.code: u for u in OrgUnit.objects.all()}
    by_code = {r["code"]: r for r in rows}

    def kind_of(code):
        return by_code[code]["kind"] if code in by_code else existing[code].kind

    roots = [c for c, u in existing.items() if u.parent_id is None]
    for r in rows:
        if not r["parent"]:
            if r["kind"] != OrgUnit.Kind.DISTRICT:
                raise PlacesImportError(r["line"], f"只有根单位(区)可以没有上级,“{r['code']}”缺少上级编码")
            if any(c != r["code"] for c in roots):
                raise PlacesImportError(r["line"], f"已有根单位“{roots[0]}”,不能再有第二个根")
            roots.append(r["code"])
        elif r["parent"] not in by_code and r["parent"] not in existing:
            raise PlacesImportError(r["line"], f"上级编码“{r['parent']}”不存在")
        else:
            allowed = OrgUnit.ALLOWED_PARENTS[OrgUnit.Kind(r["kind"])]
            if kind_of(r["parent"]) not in allowed:
                raise PlacesImportError(
                    r["line"],
                    f"{OrgUnit.Kind(r['kind']).label}“{r['name']}”不能挂在"
                    f"{OrgUnit.Kind(kind_of(r['parent'])).label}“{r['parent']}”下",
                )
    ordered, placed = [], set(existing)
    pending = list(rows)
    while pending:
        progress = [r for r in pending if not r["parent"] or r["parent"] in placed or r["parent"] not in by_code]
        if not progress:
            raise PlacesImportError(pending[0]["line"], f"单位“{pending[0]['code']}”的上级关系形成循环")
        for r in progress:
            ordered.append(r)
            placed.add(r["code"])
        pending = [r for r in pending if r not in progress]
    # Moving an existing unit under its own descendant would make a cycle.
    for r in ordered:
        if r["code"] in existing and r["parent"]:
            ancestor = r["parent"]
            while ancestor:
                if ancestor == r["code"]:
                    raise PlacesImportError(r["line"], f"单位“{r['code']}”的上级关系形成循环")
                ancestor = by_code[ancestor]["parent"] if ancestor in by_code else (
                    existing[ancestor].parent.code if existing[ancestor].parent_id else ""
                )
    return ordered


@transaction.atomic
def import_places(text, actor=None):
    """Import the CSV contract `code,name,kind,parent_code,aliases`. All or nothing; re-import is a no-op."""
    from core import audit

    if text.startswith("\ufeff"):
        text = text[1:]
    rows = _order_and_check(_parse(text))
    result = ImportResult()
    units = {u.code: u for u in OrgUnit.objects.select_for_update().all()}
    moved = False
    for r in rows:
        parent = units[r["parent"]] if r["parent"] else None
        unit = units.get(r["code"])
        if unit is None:
            unit = OrgUnit(code=r["code"], name=r["name"], kind=r["kind"], parent=parent, aliases=r["aliases"])
            unit.save()
            units[unit.code] = unit
            result.created += 1
        elif (unit.name, unit.kind, unit.parent_id, list(unit.aliases)) != (
            r["name"], r["kind"], parent.pk if parent else None, r["aliases"],
        ):
            moved = moved or unit.parent_id != (parent.pk if parent else None)
            unit.name, unit.kind, unit.parent, unit.aliases = r["name"], r["kind"], parent, r["aliases"]
            unit.save()
            result.updated += 1
        else:
            result.unchanged += 1
        result.codes.append(unit.code)
    if moved:
        rebuild_paths()
    if result.created or result.updated:
        audit.record(actor, "places.import", detail={"created": result.created, "updated": result.updated})
    return result


def rebuild_paths():
    """Recompute every materialised path top-down (after a unit moved)."""
    children = defaultdict(list)
    for unit in OrgUnit.objects.only("id", "code", "parent_id", "path", "depth"):
        children[unit.parent_id].append(unit)
    stack = [(unit, "/") for unit in children[None]]
    while stack:
        unit, prefix = stack.pop()
        path = f"{prefix}{unit.code}/"
        if path != unit.path:
            OrgUnit.objects.filter(pk=unit.pk).update(path=path, depth=path.count("/") - 2)
        stack.extend((child, path) for child in children[unit.pk])

"""Evaluation of routing and classification on a labelled file (the triage_eval command)."""

import csv
import io
from pathlib import Path

from triage.router import OUTSIDE, UNKNOWN, route


class EvalError(Exception):
    pass


def read_table(path, columns=None):
    """Rows of a CSV (UTF-8, BOM tolerated) or .xlsx (first sheet) as dicts of stripped strings."""
    path = Path(path)
    if not path.exists():
        raise EvalError(f"找不到文件:{path}")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(values)]
        rows = [{h: ("" if v is None else str(v)).strip() for h, v in zip(header, row)} for row in values]
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise EvalError("文件不是 UTF-8 编码") from None
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in reader.fieldnames or []]
        rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]
    missing = [c for c in columns or [] if c not in header]
    if missing:
        raise EvalError(f"缺少列:{', '.join(missing)}(现有列:{', '.join(header)})")
    return [r for r in rows if any(r.values())]


def evaluate_routing(rows):
    """Street/community accuracy over rows with address, street_code, community_code.

    A row whose street_code is empty is an address outside the district: right when the router says
    outside/unknown. A row whose community_code is empty has only a known street: its community answer
    is right when the street is right and the router did not claim a community it cannot know.
    "unknown" is wrong wherever a street is expected, and is counted in unknown_rate.
    """
    n = street_ok = community_ok = unknown = 0
    errors = []
    for row in rows:
        n += 1
        result = route(row["address"])
        want_street, want_community = row.get("street_code", ""), row.get("community_code", "")
        got_street = result.street[0] if result.street else ""
        got_community = result.community[0] if result.community else ""
        if result.status == UNKNOWN:
            unknown += 1
        if not want_street:
            right_street = right_community = result.status in (OUTSIDE, UNKNOWN)
        else:
            right_street = got_street == want_street
            right_community = right_street and got_community == want_community
        street_ok += right_street
        community_ok += right_community
        if not (right_street and right_community):
            errors.append((row["address"], want_street, want_community, result))
    return {"street_accuracy": street_ok / n if n else 0.0, "community_accuracy": community_ok / n if n else 0.0,
            "unknown_rate": unknown / n if n else 0.0, "n": n, "errors": errors}

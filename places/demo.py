"""The demo district: 港闸区 as it stood in February 2020, in the import_places CSV contract."""

import csv
import io
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DISTRICT = ("320611", "港闸区", ["港闸", "南通市港闸区"])

DEPARTMENTS = [
    ("320611D01", "区市场监督管理局", ["市场监管局", "市场监管", "工商局", "物价局"]),
    ("320611D02", "区卫生健康委员会", ["卫健委", "卫健", "卫生局"]),
    ("320611D03", "区疾病预防控制中心", ["疾控中心", "疾控", "CDC"]),
    ("320611D04", "南通市公安局港闸分局", ["公安分局", "公安", "派出所"]),
    ("320611D05", "区交通运输局", ["交通局", "交通运输"]),
    ("320611D06", "区人力资源和社会保障局", ["人社局", "人社"]),
    ("320611D07", "区商务局", ["商务局", "商务"]),
    ("320611D08", "区总工会", ["总工会", "工会"]),
    ("320611D09", "区住房和城乡建设局", ["住建局", "住建"]),
    ("320611D10", "区城市管理局", ["城管局", "城管"]),
    ("320611D11", "区教育体育局", ["教体局", "教育局"]),
    ("320611D12", "区民政局", ["民政局", "民政"]),
    ("320611D13", "区应急管理局", ["应急局", "应急管理"]),
    ("320611D14", "区工业和信息化局", ["工信局", "经信委"]),
]
# (code suffix, name, parent code, aliases); the river-port checkpoint of the story and a road one.
CHECKPOINTS = [
    ("320611K01", "长江口水上联合检查站", "320611", ["长江口检查站", "天生港水上检查站"]),
    ("320611K02", "港闸出入口道路检查站", "320611006", ["幸福道口检查站"]),
]
# Compounds named in the story or needed by the demo; other communities get illustrative ones.
STORY_COMPOUNDS = {
    "永和社区": [("永和佳苑", ["永和佳园", "永和小区"], ["东门", "西门", "北门"])],
    "花桥社区": [("花桥新村", ["花桥小区"], ["东门", "南门"]), ("桥鸿花园", [], ["正门"])],
    "丽都社区": [("丽都花园", ["丽都小区"], ["东门", "南门"])],
    "公园社区": [("公园新村", ["公园小区"], ["北门", "南门"])],
}
COMMUNITY_SUFFIXES = ("佳园社区", "佳苑社区", "花苑社区", "家苑社区")


def _stem(name):
    for suffix in ("社区", "村"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _compounds_for(community):
    if community in STORY_COMPOUNDS:
        return STORY_COMPOUNDS[community]
    if community.endswith("村") or "虚拟" in community:
        return []
    stem = _stem(community)
    if community.endswith(COMMUNITY_SUFFIXES):
        return [(stem, [], ["东门", "南门"])]
    return [(f"{stem}新村", [f"{stem}小区"], ["东门", "南门"]), (f"{stem}花园", [], ["正门"])]


def demo_rows():
    rows = [(DISTRICT[0], DISTRICT[1], "district", "", DISTRICT[2])]
    sequence = {}
    with open(DATA / "gangzha_2020_places.csv", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            street_code = rec["street_code"]
            if rec["level"] == "street":
                kind = "zone" if street_code.endswith("400") else "street"
                alias = "开发区" if kind == "zone" else rec["street"].replace("街道", "").replace("镇", "")
                rows.append((street_code, rec["street"], kind, DISTRICT[0], [alias, alias + "街道"][: 1 if kind == "zone" else 2]))
                continue
            sequence[street_code] = sequence.get(street_code, 0) + 1
            code = f"{street_code}{sequence[street_code]:03d}"
            name = rec["community"]
            aliases = [] if "虚拟" in name else [_stem(name) + ("村" if name.endswith("村") else "")]
            aliases = [a for a in aliases if a != name]
            rows.append((code, name, "community", street_code, aliases))
            for i, (compound, c_aliases, gates) in enumerate(_compounds_for(name), start=1):
                compound_code = f"{code}C{i:02d}"
                rows.append((compound_code, compound, "compound", code, c_aliases))
                for j, gate in enumerate(gates, start=1):
                    rows.append((f"{compound_code}G{j}", f"{compound}{gate}", "gate", compound_code, []))
    for code, name, aliases in DEPARTMENTS:
        rows.append((code, name, "department", DISTRICT[0], aliases))
    for code, name, parent, aliases in CHECKPOINTS:
        rows.append((code, name, "checkpoint", parent, aliases))
        rows.append((f"{code}G1", f"{name}检查点", "gate", code, []))
    return rows


def demo_csv():
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "kind", "parent_code", "aliases"])
    for code, name, kind, parent, aliases in demo_rows():
        writer.writerow([code, name, kind, parent, "|".join(aliases)])
    return out.getvalue()


def load(stdout=None):
    from places.services import import_places

    result = import_places(demo_csv())
    if stdout:
        stdout.write(f"places: {len(result.codes)} units (created {result.created}, updated {result.updated})")
    return result

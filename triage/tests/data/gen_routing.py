"""Generates routing_demo.csv: ~300 addresses of the demo district as callers say them (seeded, reproducible).

Run from the repository root: python triage/tests/data/gen_routing.py > triage/tests/data/routing_demo.csv
The noise is what a 12345 operator types from a call: optional or partial prefixes, building/unit/room
suffixes in Arabic or Chinese numerals, aliases and 家园/佳苑 confusions, spaces and punctuation,
one-character slips, villages by 组, roads with house numbers, landmarks, and other districts/cities.
"""

import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from places.demo import demo_rows  # noqa: E402

R = random.Random(20200201)
CN = "零一二三四五六七八九"
PREFIXES = ["", "", "", "江苏省南通市港闸区", "南通市港闸区", "港闸区", "港闸", "南通港闸区", "南通市", "江苏南通"]
SLIPS = {"苑": "园", "佳": "家", "花": "华", "园": "苑", "村": "存", "桥": "乔", "湾": "弯", "店": "殿", "庙": "妙",
         "都": "督", "和": "禾", "兴": "星", "福": "富", "泰": "太", "岸": "安", "港": "岗", "阳": "扬"}


def cn(n):
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    tens = n % 100
    rest = "" if tens == 0 else ("零" + CN[tens] if tens < 10 else (CN[tens // 10] + "十" + (CN[tens % 10] if tens % 10 else "")))
    return CN[n // 100] + "百" + rest


def num(n):
    return cn(n) if R.random() < 0.3 else str(n)


def building():
    kind = R.choice(["幢", "栋", "号楼", "号", "#"])
    parts = [f"{num(R.randint(1, 30))}{kind}"]
    if R.random() < 0.6:
        parts.append(f"{num(R.randint(1, 4))}单元")
    if R.random() < 0.6:
        parts.append(f"{R.randint(1, 18)}0{R.randint(1, 4)}" + R.choice(["室", "", "室"]))
    return "".join(parts) if R.random() < 0.8 else "-".join(str(R.randint(1, 20)) for _ in range(3))


def noise(text):
    r = R.random()
    if r < 0.15:
        return " ".join(text) if len(text) < 8 else text.replace("区", "区 ", 1)
    if r < 0.25:
        return text.replace("幢", "幢,").replace("单元", "单元 ")
    if r < 0.32:
        return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return text


def slip(name):
    spots = [i for i, ch in enumerate(name) if ch in SLIPS and i > 0]
    if not spots:
        return name
    i = R.choice(spots)
    return name[:i] + SLIPS[name[i]] + name[i + 1:]


def main():
    rows = demo_rows()
    units = {r[0]: r for r in rows}
    street_of = {}
    for code, name, kind, parent, aliases in rows:
        if kind in ("street", "zone"):
            street_of[code] = code
        elif kind in ("community", "compound"):
            street_of[code] = street_of[parent]
    streets = {c: units[c][1] for c in street_of if units[c][2] in ("street", "zone")}
    compounds = [r for r in rows if r[2] == "compound"]
    communities = [r for r in rows if r[2] == "community" and "虚拟" not in r[1]]
    villages = [r for r in communities if r[1].endswith("村")]
    out = []

    def emit(address, street, community):
        out.append((noise(address), street, community))

    for _ in range(120):  # compounds, often with building/room
        code, name, _k, parent, aliases = R.choice(compounds)
        said = R.choice([name, name, name] + aliases + ([name.replace("佳苑", "家园")] if "佳苑" in name else []))
        if R.random() < 0.15:
            said = slip(said)
        street_name = streets[street_of[code]] if R.random() < 0.25 else ""
        emit(R.choice(PREFIXES) + street_name + said + (building() if R.random() < 0.8 else R.choice(["东门", "门口", "北门附近", ""])),
             street_of[code], parent)
    for _ in range(60):  # communities by name (社区/居委会)
        code, name, _k, parent, aliases = R.choice(communities)
        said = name if R.random() < 0.7 or name.endswith("村") else name.replace("社区", "居委会")
        tail = f"{num(R.randint(1, 12))}组{R.randint(1, 60)}号" if name.endswith("村") else R.choice(["", "附近", "这边", "一带"])
        street_name = streets[street_of[code]] if R.random() < 0.3 else ""
        emit(R.choice(PREFIXES) + street_name + said + tail, street_of[code], code)
    for _ in range(30):  # villages by 组, sometimes 村委会
        code, name, _k, parent, aliases = R.choice(villages)
        said = name + R.choice(["", "", "委会"])
        emit(R.choice(PREFIXES) + said + f"{num(R.randint(1, 15))}组", street_of[code], code)
    # roads and landmarks of the illustrative gazetteer, with the community the range says
    roads = [("永和路", "320611001", "320611001007"), ("越江路", "320611001", "320611001011"),
             ("公园路", "320611002", "320611002001"), ("闸东路", "320611002", "320611002013"),
             ("泽生路", "320611003", "320611003006"), ("苏阳路", "320611004", "320611004007"),
             ("丽都路", "320611005", "320611005002"), ("秦西路", "320611006", "320611006008"),
             ("花桥路", "320611006", "")]
    for _ in range(25):
        name, street, community = R.choice(roads)
        emit(R.choice(PREFIXES) + name + f"{num(R.randint(1, 300))}号", street, community)
    for _ in range(10):
        n = R.randint(1, 700)
        community = "320611001007" if n <= 199 else "320611001011" if n <= 499 else "320611001012"
        emit(R.choice(PREFIXES) + f"永兴大道{n}号", "320611001", community)
    marks = [("唐闸古镇", "320611002", ""), ("大生纱厂", "320611002", ""), ("天生港电厂", "320611003", ""),
             ("永和菜场", "320611001", "320611001007"), ("闸东菜市场", "320611002", "320611002013"),
             ("秦灶卫生院", "320611004", "320611004006"), ("陈桥卫生院", "320611005", "")]
    for _ in range(15):
        name, street, community = R.choice(marks)
        emit(R.choice(["", "港闸区", "港闸"]) + name + R.choice(["", "旁边", "对面", "附近"]), street, community)
    for base, street in (("花桥", "320611006"), ("施店", "320611006"), ("曙光", "320611001"), ("祖望", "320611006"),
                         ("转水", "320611006"), ("五里树", "320611005")):  # 社区 and 村 share the name
        emit(R.choice(["港闸区", "", "南通市港闸区"]) + base + R.choice(["", "那边", "附近"]), street, "")
    for street_code, name in streets.items():  # street only
        emit(R.choice(PREFIXES[1:6]) + name, street_code, "")
    outside = ["崇川区和平桥街道文峰花园3幢", "南通市崇川区钟秀街道", "通州区金沙街道金沙新村", "如皋市如城街道",
               "海门市三厂镇", "启东市汇龙镇", "上海市浦东新区张江镇", "苏州市工业园区", "湖北省武汉市江汉区",
               "南通市通州区兴东街道", "如东县掘港街道", "海安县城东镇", "南通市崇川区任港街道", "江苏省南京市鼓楼区",
               "崇川区观音山街道", "武汉市洪山区"]
    for address in outside:
        emit(address, "", "")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["address", "street_code", "community_code"])
    for row in out:
        writer.writerow(row)


if __name__ == "__main__":
    main()

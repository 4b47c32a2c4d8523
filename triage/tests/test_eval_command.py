"""triage_eval: the exact output contract, on a database holding only the migrated defaults and the org tree."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from triage import classify as clf

DATA = Path(__file__).parent / "data"


def run(*args):
    out = StringIO()
    call_command("triage_eval", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_routing_contract_and_goal_on_the_demo_set(org):
    last = run("routing", str(DATA / "routing_demo.csv"))
    match = re.fullmatch(r"street_accuracy=(\d\.\d{3}) community_accuracy=(\d\.\d{3}) unknown_rate=(\d\.\d{3}) n=(\d+)", last)
    assert match, last
    street, community, unknown, n = float(match[1]), float(match[2]), float(match[3]), int(match[4])
    assert n >= 300 and street >= 0.98 and community >= 0.95 and unknown <= 0.02


def test_routing_unknown_counts_as_wrong_and_in_the_rate(org, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("address,street_code,community_code\n永和佳苑3幢,320611001,320611001007\n"
                 "不知道哪里,320611001,\n崇川区钟秀街道,,\n", encoding="utf-8")
    assert run("routing", str(f)) == "street_accuracy=0.667 community_accuracy=0.667 unknown_rate=0.333 n=3"


def test_classify_contract_with_rules_on_codes(db, tmp_path):
    clf.invalidate_rules()
    f = tmp_path / "c.csv"
    f.write_text("text,label\n药店口罩卖二十块一个太贵了,EP-PRICE\n棋牌室还在营业打麻将,EP-GATHER\n"
                 "孩子什么时候开学,EP-POLICY\n路灯坏了,EP-PRICE\n", encoding="utf-8")
    last = run("classify", str(f), "--text-col", "text", "--label-col", "label")
    assert re.fullmatch(r"macro_f1=\d\.\d{3} accuracy=0\.750 n=4", last), last


def test_classify_cross_validation_on_xlsx_with_joined_columns(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["主题", "详情", "一级分类"])
    for i in range(10):
        ws.append([f"口罩涨价{i}", f"\n\t  药店口罩卖{i + 10}元一个", "价格"])
        ws.append([f"打麻将{i}", f"\n\t  棋牌室{i}楼还在营业", "聚集"])
    wb.save(tmp_path / "c.xlsx")
    last = run("classify", str(tmp_path / "c.xlsx"), "--text-col", "主题+详情", "--label-col", "一级分类", "--cv", "5")
    assert last == "macro_f1=1.000 accuracy=1.000 n=20"


def test_bad_file_is_a_clear_error(db, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("foo\n1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少列"):
        run("routing", str(f))
    with pytest.raises(CommandError, match="找不到文件"):
        run("classify", str(tmp_path / "none.csv"))

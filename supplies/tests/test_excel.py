import io

import pytest
from openpyxl import Workbook, load_workbook

from supplies import excel, ledger, services
from supplies.models import Donation, Donor, StockMove
from supplies.tests.factories import donor, give, item, keeper


def sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append([c for c, _ in excel.TEMPLATE_COLUMNS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def row(batch="B1", name="文峰超市", unit="320611005002", item_name="84消毒液", uom="桶", qty=6, **over):
    values = {"批次号": batch, "捐赠日期": "2020-02-06", "捐赠方类型": "单位", "捐赠方名称": name,
              "同意公开致谢": "是", "接收单位编码": unit, "物资名称": item_name, "计量单位": uom, "数量": qty}
    values.update(over)
    return [values.get(c, "") for c, _ in excel.TEMPLATE_COLUMNS]


def test_import_groups_rows_by_batch_and_books_stock(org):
    actor = keeper(org.chenqiao)
    created = excel.import_donations(actor, sheet([
        row(), row(batch="B2", name="吴正平", unit="320611005", item_name="额温枪", uom="把", qty=11,
                   **{"捐赠方类型": "个人", "身份": "人大代表", "联系电话": "13951300606"}),
        row(batch="B2", name="吴正平", unit="320611005", item_name="一次性医用口罩", uom="个", qty=1000,
            **{"捐赠方类型": "个人", "身份": "人大代表", "联系电话": "13951300606"}),
        row(batch="B3", name="通城电建公司", unit="320611005", item_name="", uom="", qty="",
            **{"捐款金额(元)": 150000, "定向用途": "防护用品", "定向受赠方": "320611D08"}),
    ]))
    assert len(created) == 3
    assert ledger.on_hand(org.lidu, item("84消毒液", "桶")) == 6
    assert ledger.on_hand(org.chenqiao, item("一次性医用口罩")) == 1000
    wu = Donor.objects.get(name="吴正平")
    assert wu.title == Donor.Title.NPC and wu.phone == "13951300606"
    cash = Donation.objects.get(donor__name="通城电建公司")
    assert cash.splits.get().recipient_unit.code == "320611D08"


def test_import_with_a_bad_row_reports_row_and_reason_and_writes_nothing(org):
    actor = keeper(org.chenqiao)
    with pytest.raises(excel.ImportRejected) as exc:
        excel.import_donations(actor, sheet([
            row(),
            row(batch="B2", item_name="金条", uom="根"),
            row(batch="B3", qty=-1),
            row(batch="B4", unit="320611006"),  # 幸福街道: not this keeper's
            row(batch="B5", **{"统一社会信用代码": "91350100M000100Y40"}),
        ]))
    errors = dict(exc.value.errors)
    assert set(errors) == {3, 4, 5, 6}
    assert "金条" in errors[3] and "负数" in errors[4] and "无权" in errors[5] and "校验位" in errors[6]
    assert not Donation.objects.exists() and not StockMove.objects.exists() and not Donor.objects.exists()


def test_import_refuses_a_foreign_header(org):
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    with pytest.raises(excel.ImportRejected, match="表头"):
        excel.import_donations(keeper(org.chenqiao), out)


def test_template_round_trips_through_the_importer(org):
    created = excel.import_donations(keeper(org.chenqiao), io.BytesIO(excel.template_workbook()))
    assert len(created) == 1 and created[0].lines.count() == 2


def test_export_masks_private_donors_and_lists_stock_and_allocations(org):
    actor = keeper(org.chenqiao)
    person = donor("吴正平", kind=Donor.Kind.PERSON, phone="13951300606")
    give(actor, org.chenqiao, {"一次性医用口罩": 1000}, donor_obj=person)
    services.allocate(actor, org.chenqiao, org.lidu, [(item("一次性医用口罩"), 300)])
    wb = load_workbook(io.BytesIO(excel.export_workbook(actor)))
    assert wb.sheetnames == ["捐赠", "定向用途", "库存", "调拨"]
    cells = [str(c) for r in wb["捐赠"].iter_rows(values_only=True) for c in r]
    assert "吴*平" in cells and "139****0606" in cells
    assert not any("吴正平" in c or "13951300606" in c for c in cells)
    stock = list(wb["库存"].iter_rows(values_only=True))
    assert any(r[1] == "陈桥街道" and r[4] == 700 for r in stock)
    assert list(wb["调拨"].iter_rows(values_only=True))[1][5] == "在途"

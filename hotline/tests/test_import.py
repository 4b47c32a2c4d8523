from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook

from hotline.models import WorkOrder
from hotline.services.imports import COLUMNS, ImportFailed, import_orders, template_xlsx

pytestmark = pytest.mark.django_db

GOOD = ["NT001", "2020-02-07 09:30", "上级平台", "举报", "EP-PERSON", "张三", "13812345678", "否", "永和佳苑3幢",
        "有从湖北返回人员未居家隔离", "是", "一般", "否"]


def xlsx(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append([c[0] for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_template_imports_cleanly(personas, categories):
    created = import_orders(personas.operator, BytesIO(template_xlsx()))
    assert len(created) == 1 and created[0].channel == "upper" and created[0].epidemic
    assert created[0].number == "GZ20200207-0001"


def test_bad_row_stops_the_file_with_its_number(personas, categories):
    bad = list(GOOD)
    bad[0], bad[6] = "NT002", "1381234"
    with pytest.raises(ImportFailed, match="第 3 行"):
        import_orders(personas.operator, xlsx(GOOD, bad))
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize("index,value,reason", [
    (4, "NOPE", "分类编码"), (3, "闲聊", "诉求类型"), (1, "昨天", "受理时间"), (9, "", "诉求内容")])
def test_row_reasons(personas, categories, index, value, reason):
    row = list(GOOD)
    row[index] = value
    with pytest.raises(ImportFailed, match=reason):
        import_orders(personas.operator, xlsx(row))


def test_duplicate_external_ids_are_refused(personas, categories):
    with pytest.raises(ImportFailed, match="重复"):
        import_orders(personas.operator, xlsx(GOOD, GOOD))
    import_orders(personas.operator, xlsx(GOOD))
    with pytest.raises(ImportFailed, match="已导入"):
        import_orders(personas.operator, xlsx(GOOD))


def test_import_screen(client, personas, categories):
    client.force_login(personas.operator)
    assert client.get(reverse("hotline:import"), {"template": 1}).status_code == 200
    bad = list(GOOD)
    bad[4] = "NOPE"
    response = client.post(reverse("hotline:import"), {"file": xlsx(bad)})
    assert "第 2 行" in response.content.decode()
    response = client.post(reverse("hotline:import"), {"file": xlsx(GOOD)})
    assert response.status_code == 302 and WorkOrder.objects.count() == 1
    client.force_login(personas.xf_liaison)
    assert client.get(reverse("hotline:import")).status_code == 403

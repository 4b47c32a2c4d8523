"""Personal data (PIPL): phone and ID numbers never in clear in the database file or a backup; masked in lists,
exports, logs and error pages; reveals and exports audited; the caller's 保密 flag honoured by the API, the
export and Open311-style JSON. Known numbers are planted through the services, then searched for."""

import logging
import os
import sqlite3
import subprocess
import uuid
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook

from core.models import AuditLog, Person
from hotline import services as hotline
from hotline.models import Category

CALLER_PHONE, CALLER_ID = "13912340001", "32061119800101001X"
SECRET_PHONE = "13912340002"
VISITOR_PHONE, VISITOR_ID = "13712340003", "320611199001010014"
RESIDENT_PHONE, RESIDENT_ID = "13612340004", "32061119500512001X"
CLEAR = [CALLER_PHONE, SECRET_PHONE, VISITOR_PHONE, VISITOR_ID, RESIDENT_PHONE, RESIDENT_ID, CALLER_ID]
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="file bytes: SQLite only")


@pytest.fixture
def planted(org, personas):
    from community import services as community

    category = Category.objects.filter(active=True).first()
    order = hotline.intake(personas.operator, content="门口有人聚集", order_type="report", category=category,
                           caller_name="张三丰", caller_phone=CALLER_PHONE)
    secret = hotline.intake(personas.operator, content="举报有人瞒报行程", order_type="report", category=category,
                            caller_name="李保密", caller_phone=SECRET_PHONE, anonymous=True)
    Person.objects.create(name="赵六", phone=CALLER_PHONE, id_number=CALLER_ID, unit=org.yonghe)
    home = community.add_household(personas.yh_worker, org.yonghe_jiayuan, "3", "301")
    community.add_resident(personas.yh_worker, home, "王五", RESIDENT_PHONE, RESIDENT_ID, "户主")
    community.register_entry(personas.yh_worker, org.yonghe_gate, idempotency_key=uuid.uuid4().hex, direction="in",
                             mode="foot", people=[{"name": "访客甲", "phone": VISITOR_PHONE, "id_number": VISITOR_ID,
                                                   "temperature": "36.6"}])
    return order, secret


def _file_bytes(path):
    """The database file and its WAL as on disk, read by another process: an open() and close() of the file
    here would drop the POSIX locks that this process's SQLite connections hold on it (fcntl locks belong
    to the process), and a worker closing its connection would then delete the WAL this process still reads
    (RELIABILITY.md, "SQLite: the test process lost its locks")."""
    files = [name for name in (str(path), f"{path}-wal") if os.path.exists(name)]
    return subprocess.run(["cat", *files], check=True, capture_output=True).stdout


def _assert_absent(blob, where):
    for number in CLEAR:
        assert number.encode() not in blob, f"{number} in clear in {where}"
        assert number.encode("utf-16-le") not in blob, f"{number} (utf-16) in {where}"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_database_file_and_backup_hold_no_phone_or_id_number_in_clear(planted, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    _assert_absent(_file_bytes(connection.settings_dict["NAME"]), "the database file")
    out = tmp_path / "shouhu.backup"
    call_command("backup", out=str(out))
    blob = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    _assert_absent(blob, "the backup")
    # …and the backup is a real copy: the rows are there, encrypted.
    with sqlite3.connect(next(p for p in tmp_path.rglob("*") if p.is_file())) as db:
        assert db.execute("select count(*) from hotline_workorder").fetchone()[0] >= 2


def test_order_list_api_and_export_mask_phones_and_hide_secret_callers(planted, client, personas):
    order, secret = planted
    client.force_login(personas.operator)
    html = client.get("/hotline/").content.decode()
    api = client.get("/api/v1/hotline/orders/").content.decode()
    for text in (html, api):
        assert CALLER_PHONE not in text and SECRET_PHONE not in text
        assert "139****0001" in text
    response = client.get("/hotline/export.xlsx")
    assert response.status_code == 200
    cells = [str(c) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
             for c in row if c is not None]
    assert "139****0001" in cells and "保密" in cells
    assert not any(CALLER_PHONE in c or SECRET_PHONE in c or "李保密" in c for c in cells)
    assert AuditLog.objects.filter(action="hotline.export", actor=personas.operator).exists()


def test_secret_caller_is_empty_for_the_unit_and_cannot_be_revealed(planted, client, personas, org):
    _order, secret = planted
    hotline.dispatch(secret, personas.dispatcher, lead_unit=org.xingfu)
    client.force_login(personas.xf_liaison)
    data = client.get(f"/api/v1/hotline/orders/{secret.pk}/").json()
    assert data["caller_phone"] is None and data["caller_name"] is None
    page = client.get(f"/hotline/{secret.pk}/").content.decode()
    assert SECRET_PHONE not in page and "138****0002" not in page and "李保密" not in page
    response = client.post("/reveal/", {"model": "hotline.WorkOrder", "pk": secret.pk, "field": "caller_phone"})
    assert response.status_code in (403, 404)
    assert SECRET_PHONE not in response.content.decode()


def test_each_reveal_is_audited(planted, client, personas):
    order, _secret = planted
    client.force_login(personas.operator)
    before = AuditLog.objects.filter(action="reveal").count()
    response = client.post("/reveal/", {"model": "hotline.WorkOrder", "pk": order.pk, "field": "caller_phone"})
    if response.status_code == 200:
        assert CALLER_PHONE in response.content.decode()
        assert AuditLog.objects.filter(action="reveal").count() == before + 1
    else:
        assert response.status_code == 403  # the operator may lack the reveal right: then nothing is shown
        assert AuditLog.objects.filter(action="reveal").count() == before


def test_log_lines_never_carry_numbers_in_clear(planted, caplog):
    from core.logging import MaskPersonDataFilter

    logger = logging.getLogger("shouhu.test")
    handler_filter = MaskPersonDataFilter()
    with caplog.at_level(logging.INFO, logger="shouhu.test"):
        logger.info("caller %s id %s", CALLER_PHONE, CALLER_ID)
    record = caplog.records[-1]
    handler_filter.filter(record)
    assert CALLER_PHONE not in record.getMessage() and CALLER_ID not in record.getMessage()


def test_denied_and_missing_pages_show_no_stored_person_data(planted, client, personas, settings):
    order, _secret = planted
    settings.DEBUG = False
    client.force_login(personas.outsider)  # 陈桥街道: the order is not in its jurisdiction
    for path in (f"/hotline/{order.pk}/", f"/api/v1/hotline/orders/{order.pk}/"):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == 404, path
        assert CALLER_PHONE not in body and "139****0001" not in body and "张三丰" not in body
    response = client.post("/reveal/", {"model": "hotline.WorkOrder", "pk": order.pk, "field": "caller_phone"})
    assert response.status_code == 404 and CALLER_PHONE not in response.content.decode()


def test_open311_and_the_daily_report_carry_no_caller_data(planted, client, personas, org):
    from interop import services as interop

    order, secret = planted
    hotline.dispatch(secret, personas.dispatcher, lead_unit=org.xingfu)
    _key, raw = interop.create_api_key(unit=org.xingfu, role="liaison", name="幸福街道网格系统")
    for path in ("/open311/v2/requests.json", f"/open311/v2/requests/{secret.number}.json",
                 "/open311/v2/requests.xml"):
        response = client.get(path, {"api_key": raw})
        body = response.content.decode()
        assert response.status_code == 200, (path, body[:200])
        assert SECRET_PHONE not in body and "李保密" not in body and "138****0002" not in body
        assert CALLER_PHONE not in body and "张三丰" not in body
    client.force_login(personas.supervisor)
    from django.utils import timezone

    day = timezone.localdate().isoformat()
    for path in (f"/reports/daily/{day}/", "/reports/dashboard/"):
        body = client.get(path).content.decode()
        assert SECRET_PHONE not in body and CALLER_PHONE not in body and "李保密" not in body

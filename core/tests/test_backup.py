import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core import audit
from core.models import AuditLog, Person
from places.models import OrgUnit

PHONE = "13912345678"


def _snapshot_sqlite(path):
    con = sqlite3.connect(path)
    try:
        return {
            "units": con.execute("SELECT code, path FROM places_orgunit ORDER BY code").fetchall(),
            "people": con.execute("SELECT name, phone, phone_hash FROM core_person ORDER BY id").fetchall(),
            "audit": con.execute("SELECT action FROM core_auditlog ORDER BY id").fetchall(),
        }
    finally:
        con.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_identically(tmp_path, personas, org):
    Person.objects.create(name="张三", phone=PHONE, unit=org.huaqiao)
    audit.record(personas.operator, "test.before_backup")
    out = tmp_path / "shouhu.backup"
    call_command("backup", out=str(out))
    assert PHONE.encode() not in out.read_bytes()  # person data stays encrypted in the backup

    if connection.vendor == "sqlite":
        fresh = tmp_path / "fresh.sqlite3"
        call_command("restore", str(out), database_name=str(fresh), yes=True)
        restored = _snapshot_sqlite(fresh)
        assert restored == _snapshot_sqlite(connection.settings_dict["NAME"])
        assert len(restored["units"]) == OrgUnit.objects.count() and len(restored["people"]) == 1
    else:
        db = connection.settings_dict
        fresh = db["NAME"] + "_restore"
        base = ["-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"]]
        subprocess.run(["dropdb", "--if-exists", *base, fresh], check=True)
        subprocess.run(["createdb", *base, fresh], check=True)
        try:
            call_command("restore", str(out), database_name=fresh, yes=True)
            query = "SELECT count(*) FROM places_orgunit; SELECT count(*) FROM core_person; SELECT count(*) FROM core_auditlog;"
            counts = subprocess.run(["psql", *base, "-tA", "-d", fresh, "-c", query], check=True,
                                    capture_output=True, text=True).stdout.split()
            assert [int(c) for c in counts] == [OrgUnit.objects.count(), 1, AuditLog.objects.count()]
        finally:
            subprocess.run(["dropdb", "--if-exists", *base, fresh], check=True)


def test_restore_refuses_without_confirmation_and_missing_files(tmp_path, db):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.backup"))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "x.backup"), yes=True)

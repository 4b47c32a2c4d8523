"""Consistent backups and restores: SQLite's online backup API, pg_dump/pg_restore for PostgreSQL.

Person data stays encrypted in backups (it is ciphertext in the database); keep SHOUHU_DATA_KEYS and
SHOUHU_HASH_KEY in a different place from the backups, or a restored backup cannot be read.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _pg_env_args(db):
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    if db.get("HOST"):
        args += ["-h", db["HOST"]]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return env, args


def _tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}:请安装 PostgreSQL 客户端工具(postgresql-client)。")
    return path


def backup(out_path, alias="default"):
    """Write a consistent copy of the live database to out_path; returns the path."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            with target:
                connection.connection.backup(target)  # online: writers may go on meanwhile
        finally:
            target.close()
        return out
    if connection.vendor == "postgresql":
        env, args = _pg_env_args(db)
        cmd = [_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(out), *args, db["NAME"]]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump 失败:{result.stderr.strip()}")
        return out
    raise BackupError(f"不支持的数据库:{connection.vendor}")


def restore(in_path, alias="default", database_name=None):
    """Replace the database `database_name` (default: the configured one) with the backup's contents."""
    src = Path(in_path)
    if not src.exists():
        raise BackupError(f"找不到备份文件:{src}")
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        target_path = database_name or db["NAME"]
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        try:
            integrity = source.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                raise BackupError(f"备份文件已损坏:{integrity}")
            connection.close()
            target = sqlite3.connect(target_path)
            try:
                with target:
                    source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        return target_path
    if connection.vendor == "postgresql":
        env, args = _pg_env_args(db)
        name = database_name or db["NAME"]
        cmd = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "-d", name, *args, str(src)]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore 失败:{result.stderr.strip()}")
        return name
    raise BackupError(f"不支持的数据库:{connection.vendor}")

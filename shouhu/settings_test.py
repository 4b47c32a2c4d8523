"""Test settings: the real settings with SHOUHU_TESTING on (development keys, fast hashing)."""

import os

os.environ.setdefault("SHOUHU_TESTING", "1")

from shouhu.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production keeps PBKDF2
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 - live-server threads must not keep the test DB open

# A replica alias mirroring the test database, so a test can switch SHOUHU_REPLICA_READS on and check that the
# reports' screens really read through it (core/dbrouter.py); off by default, as without a configured replica.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

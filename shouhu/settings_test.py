"""Test settings: the real settings with SHOUHU_TESTING on (development keys, fast hashing)."""

import os

os.environ.setdefault("SHOUHU_TESTING", "1")

from shouhu.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production keeps PBKDF2
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 - live-server threads must not keep the test DB open

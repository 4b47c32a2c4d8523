"""Encryption at rest and keyed hashes for person data.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under SHOUHU_DATA_KEYS; the first key
encrypts, every listed key decrypts, so a key is rotated by putting a new one first and running
`manage.py rotate_person_data`. Exact search uses an HMAC-SHA256 "blind index" under SHOUHU_HASH_KEY.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PERSON_DATA_KEYS))


def encrypt(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return fernet().decrypt(token[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("person data cannot be decrypted with the configured SHOUHU_DATA_KEYS") from exc


def rotate(token: str) -> str:
    """Re-encrypt under the newest key (MultiFernet.rotate keeps the timestamp)."""
    return PREFIX + fernet().rotate(token[len(PREFIX):].encode("ascii")).decode("ascii")


def blind_index(kind: str, normalized: str) -> str:
    key = settings.PERSON_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()

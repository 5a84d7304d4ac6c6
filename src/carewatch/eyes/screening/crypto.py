"""Encryption at rest for patient photos: Fernet (AES-128-CBC + HMAC) with rotatable keys.

DATA_KEY holds one or more keys separated by commas, newest first. New data is always
encrypted with the first; any of them decrypts. To rotate: put a new key first, run
`carewatch manage rotate_data_key`, then drop the old key.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

__all__ = ["InvalidToken", "decrypt", "encrypt", "fernet_from", "keyring", "read", "rotate"]


def fernet_from(key: str) -> Fernet:
    """A Fernet key as is; any other secret (the generated default) through SHA-256."""
    try:
        return Fernet(key)
    except ValueError:
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def keyring_for(keys: str) -> MultiFernet:
    return MultiFernet([fernet_from(k.strip()) for k in keys.split(",") if k.strip()])


@cache
def _keyring(keys: str) -> MultiFernet:
    return keyring_for(keys)


def keyring() -> MultiFernet:
    return _keyring(settings.DATA_KEY)


def encrypt(data: bytes) -> bytes:
    return keyring().encrypt(data)


def decrypt(token: bytes) -> bytes:
    return keyring().decrypt(token)


def encrypted_file(data: bytes) -> ContentFile:
    return ContentFile(encrypt(data), name="photo.bin")


def read(field: FieldFile) -> bytes:
    """The plaintext of an encrypted file field."""
    with field.open("rb") as fh:
        return decrypt(fh.read())


def rotate(field: FieldFile) -> None:
    """Re-encrypt a stored file with the newest key, replacing it in place."""
    with field.open("rb") as fh:
        token = fh.read()
    fresh = keyring().rotate(token)
    name = str(field.name)
    field.storage.delete(name)
    field.storage.save(name, ContentFile(fresh))

"""Photos are encrypted at rest with DATA_KEY, and the key can be rotated."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from PIL import Image as PILImage

from carewatch.eyes.screening import crypto, visits
from carewatch.eyes.screening.uploads import check_photo
from carewatch.platform.lib.env import ConfigError, read_secret
from tests.base import BaseTestCase
from tests.eyes.helpers import fundus_like, make_patient, make_visit

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


class EncryptionTests(BaseTestCase):
    def add_photo(self, data: bytes):
        visit = make_visit(make_patient(self.clinic, self.screener), self.screener)
        return visits.add_image(visit, "left", check_photo(data, 10**7), self.screener)

    def test_it_stores_bytes_that_are_not_the_photo(self) -> None:
        image = self.add_photo(fundus_like())
        for field in (image.photo, image.thumbnail):
            stored = Path(field.path).read_bytes()
            self.assertFalse(stored.startswith(b"\xff\xd8"), "a JPEG on disk")
            # no stretch of the photo's own bytes, its header included ("JFIF" alone
            # turns up by chance in a long enough token now and then)
            plain = crypto.read(field)
            middle = len(plain) // 2
            self.assertNotIn(plain[:20], stored)
            self.assertNotIn(plain[middle : middle + 32], stored)
            with pytest.raises(PILImage.UnidentifiedImageError):
                PILImage.open(io.BytesIO(stored))

    def test_it_decrypts_back_to_the_photo(self) -> None:
        image = self.add_photo(fundus_like(size=300))
        photo = PILImage.open(io.BytesIO(crypto.read(image.photo)))
        self.assertEqual((photo.format, photo.size), ("JPEG", (300, 300)))
        thumb = PILImage.open(io.BytesIO(crypto.read(image.thumbnail)))
        self.assertEqual(thumb.size, (256, 256))

    def test_it_rotates_to_a_new_key_and_drops_the_old_one(self) -> None:
        with override_settings(DATA_KEY=OLD_KEY):
            image = self.add_photo(fundus_like())
            plain = crypto.read(image.photo)
        with override_settings(DATA_KEY=NEW_KEY), pytest.raises(crypto.InvalidToken):
            crypto.read(image.photo)
        with override_settings(DATA_KEY=f"{NEW_KEY},{OLD_KEY}"):
            self.assertEqual(crypto.read(image.photo), plain)  # both keys during the change
            crypto.rotate(image.photo)
        with override_settings(DATA_KEY=NEW_KEY):
            self.assertEqual(crypto.read(image.photo), plain)
        with override_settings(DATA_KEY=OLD_KEY), pytest.raises(crypto.InvalidToken):
            crypto.read(image.photo)

    def test_it_encrypts_new_data_with_the_first_key(self) -> None:
        with override_settings(DATA_KEY=f"{NEW_KEY},{OLD_KEY}"):
            token = crypto.encrypt(b"secret")
        self.assertEqual(Fernet(NEW_KEY.encode()).decrypt(token), b"secret")

    def test_it_accepts_a_generated_secret_that_is_not_a_fernet_key(self) -> None:
        fernet = crypto.fernet_from("any long random string from DATA_KEY_FILE")
        self.assertEqual(fernet.decrypt(fernet.encrypt(b"x")), b"x")


def test_it_keeps_a_generated_data_key_in_the_data_dir(tmp_path: Path) -> None:
    key = read_secret({}, "DATA_KEY", tmp_path, production=False)
    assert (tmp_path / "data_key.txt").read_text() == key
    assert read_secret({}, "DATA_KEY", tmp_path, production=False) == key


def test_it_requires_a_data_key_in_production(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DATA_KEY"):
        read_secret({}, "DATA_KEY", tmp_path, production=True)


class RotateCommandTests(BaseTestCase):
    def test_it_re_encrypts_every_stored_file_with_the_new_key(self) -> None:
        from django.core.management import call_command

        visit = make_visit(make_patient(self.clinic, self.screener), self.screener)
        with override_settings(DATA_KEY=OLD_KEY):
            image = visits.add_image(
                visit, "right", check_photo(fundus_like(), 10**7), self.screener
            )
            plain = crypto.read(image.thumbnail)
        out = io.StringIO()
        with override_settings(DATA_KEY=f"{NEW_KEY},{OLD_KEY}"):
            call_command("rotate_data_key", stdout=out)
        self.assertIn("Re-encrypted 2 files", out.getvalue())
        with override_settings(DATA_KEY=NEW_KEY):
            self.assertEqual(crypto.read(image.thumbnail), plain)
            crypto.read(image.photo)


class ErasureTests(BaseTestCase):
    def test_it_removes_the_encrypted_files_when_the_patient_is_erased(self) -> None:
        patient = make_patient(self.clinic, self.screener)
        visit = make_visit(patient, self.screener)
        image = visits.add_image(visit, "right", check_photo(fundus_like(), 10**7), self.screener)
        paths = [Path(image.photo.path), Path(image.thumbnail.path)]
        self.assertTrue(all(p.exists() for p in paths))
        with self.captureOnCommitCallbacks(execute=True):
            patient.delete()
        self.assertFalse(any(p.exists() for p in paths))

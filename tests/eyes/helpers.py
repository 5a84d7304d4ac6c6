"""Patients, visits and photos for the Eyes tests."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from carewatch.eyes.screening.models import ConsentKind, Patient, Visit, record_consent
from carewatch.platform.accounts.models import Clinic, User
from tests.conftest import SHARED_DIR, require

APTOS = SHARED_DIR / "fundus" / "aptos224"


def make_patient(clinic: Clinic, by: User, number: str = "P1", name: str = "Meena Iyer") -> Patient:
    patient = Patient.objects.create(
        clinic=clinic,
        number=number,
        name=name,
        date_of_birth=date(1968, 4, 2),
        sex="female",
        phone="+919800000001",
        diabetes_type="type2",
        diabetes_since=2012,
    )
    record_consent(patient, ConsentKind.SCREENING, True, by)
    return patient


def make_visit(patient: Patient, by: User) -> Visit:
    return Visit.objects.create(patient=patient, created_by=by)


def fundus_like(size: int = 400, fmt: str = "JPEG", shade: int = 0, exif: bytes = b"") -> bytes:
    """A red disc on black: passes the upload checks (it is not meant to be gradable)."""
    img = Image.new("RGB", (size, size), "black")
    ImageDraw.Draw(img).ellipse((20, 20, size - 20, size - 20), fill=(180 + shade, 70, 30))
    out = io.BytesIO()
    img.save(out, fmt, **({"exif": exif} if exif else {}))
    return out.getvalue()


def upload(
    data: bytes, name: str = "eye.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def aptos_photos(count: int) -> list[Path]:
    photos = sorted(APTOS.glob("*.jpg"))[:count] if APTOS.is_dir() else []
    require(len(photos) == count, f"{count} real fundus photos in {APTOS}")
    return photos


def dicom_photo(
    rgb: bytes | None = None,
    laterality: str = "R",
    patient_id: str = "P1",
    name: str = "Iyer^Meena",
    jpeg: bool = False,
    size: int = 300,
) -> bytes:
    """A DICOM Ophthalmic Photography file, uncompressed RGB or JPEG baseline."""
    import numpy as np
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.encaps import encapsulate
    from pydicom.uid import ExplicitVRLittleEndian, JPEGBaseline8Bit, generate_uid

    pixels = np.asarray(open_image(rgb or fundus_like(size)).convert("RGB"))
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.77.1.5.1"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = JPEGBaseline8Bit if jpeg else ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, generate_uid()
    ds.Modality, ds.PatientName, ds.PatientID = "OP", name, patient_id
    if laterality:
        ds.ImageLaterality = laterality
    ds.Rows, ds.Columns = pixels.shape[:2]
    ds.SamplesPerPixel, ds.PlanarConfiguration, ds.PixelRepresentation = 3, 0, 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
    if jpeg:
        ds.PixelData = encapsulate([fundus_like(size)])
        ds["PixelData"].VR = "OB"
        ds.PhotometricInterpretation = "YBR_FULL_422"
    else:
        ds.PixelData = pixels.tobytes()
        ds.PhotometricInterpretation = "RGB"
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def open_image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def add_photo(visit: Visit, eye: str, by: User, shade: int = 0) -> Any:
    from carewatch.eyes.screening import visits
    from carewatch.eyes.screening.uploads import check_photo

    return visits.add_image(visit, eye, check_photo(fundus_like(shade=shade), 10**7), by)

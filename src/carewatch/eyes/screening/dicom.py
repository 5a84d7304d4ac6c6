"""DICOM ophthalmic photographs (what fundus cameras export): the pixels, the eye, the patient.

Plain Python, no Django. Reads uncompressed and JPEG-baseline pixel data (pydicom with
Pillow); anything else raises BadUpload("dicom_unreadable"), worded as a request for a JPEG
export.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from carewatch.eyes.screening.upload_errors import BadUpload

LATERALITY = {"R": "right", "L": "left"}


@dataclass(frozen=True)
class DicomTags:
    laterality: str | None = None  # "right" or "left" from (0020,0062) or (0020,0060)
    patient_id: str = ""
    patient_name: str = ""


def read(raw: bytes, check_size: Callable[[int, int], None]) -> tuple[Image.Image, DicomTags]:
    from pydicom import dcmread

    try:
        ds = dcmread(io.BytesIO(raw))
    except Exception:  # pydicom raises many types for damaged files
        raise BadUpload("dicom_unreadable") from None
    if "PixelData" not in ds or not ds.get("Rows") or not ds.get("Columns"):
        raise BadUpload("dicom_no_image")
    check_size(int(ds.Columns), int(ds.Rows))  # before decoding: a header can lie
    if int(ds.get("NumberOfFrames", 1) or 1) > 1:
        raise BadUpload("dicom_frames")
    return Image.fromarray(pixels(ds)), tags(ds)


def pixels(ds: Any) -> np.ndarray:
    try:
        array = np.asarray(ds.pixel_array)  # YBR is converted to RGB by pydicom
    except Exception:  # unsupported compression or truncated pixel data
        raise BadUpload("dicom_unreadable") from None
    if array.dtype != np.uint8:
        top = float(array.max()) or 1.0
        array = (array.astype(np.float32) * (255 / top)).astype(np.uint8)
    return array


def tags(ds: Any) -> DicomTags:
    side = str(ds.get("ImageLaterality", "") or ds.get("Laterality", "")).strip().upper()
    return DicomTags(
        laterality=LATERALITY.get(side),
        patient_id=str(ds.get("PatientID", "") or "").strip(),
        patient_name=str(ds.get("PatientName", "") or "").replace("^", " ").strip(),
    )

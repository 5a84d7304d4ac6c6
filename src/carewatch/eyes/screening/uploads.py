"""Check an uploaded fundus photo and make the copies we keep. Plain Python, no Django.

A file we cannot use raises BadUpload with a code (upload_errors.py); eyes/wording.py says
it in the user's language.

JPEG, PNG and DICOM ophthalmic photographs (see dicom.py).

The type is sniffed from the content (never the name), the pixel count is checked from
the header before decoding (decompression bombs), and the photo is re-encoded from its
pixels so EXIF and other metadata (camera serials, GPS, names) never reach storage.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from carewatch.eyes.screening import dicom
from carewatch.eyes.screening.dicom import DicomTags
from carewatch.eyes.screening.upload_errors import BadUpload

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_PIXELS = 40_000_000  # a 7000x5700 fundus camera frame fits; bombs do not
MIN_SIDE = 200  # pixels; smaller photos cannot show lesions
THUMBNAIL_SIDE = 256


@dataclass
class CheckedPhoto:
    data: bytes  # re-encoded, no metadata
    content_type: str
    thumbnail: bytes  # JPEG
    width: int
    height: int
    sha256: str  # of the bytes as uploaded
    dicom: DicomTags  # laterality and patient from a DICOM file; empty for JPEG and PNG


def check_photo(raw: bytes, max_bytes: int) -> CheckedPhoto:
    if not raw:
        raise BadUpload("empty")
    if len(raw) > max_bytes:
        raise BadUpload("too_big", mb=max_bytes // 2**20)
    if raw.startswith(b"%PDF"):
        raise BadUpload("pdf")
    tags = DicomTags()
    if raw[128:132] == b"DICM":
        img, tags = dicom.read(raw, _check_size)
        img_format = "PNG"  # lossless: the camera's pixels, without the DICOM header
    else:
        img = _decode(raw)
        img_format = str(img.format)
        img = ImageOps.exif_transpose(img)
    img = img.convert("RGB")
    return CheckedPhoto(
        data=_encode(img, img_format),
        content_type=FORMATS[img_format],
        thumbnail=_thumbnail(img),
        width=img.width,
        height=img.height,
        sha256=hashlib.sha256(raw).hexdigest(),
        dicom=tags,
    )


def _decode(raw: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(raw))
            if img.format not in FORMATS:
                raise BadUpload("format", format=img.format)
            _check_size(*img.size)
            img.load()
    except BadUpload:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadUpload("bomb") from None
    except (OSError, SyntaxError, ValueError):
        raise BadUpload("unreadable") from None
    return img


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise BadUpload("bomb")
    if min(width, height) < MIN_SIDE:
        raise BadUpload("too_small", width=width, height=height, min=MIN_SIDE)


def _encode(img: Image.Image, img_format: str) -> bytes:
    out = io.BytesIO()
    if img_format == "PNG":
        img.save(out, "PNG", optimize=False)
    else:
        img.save(out, "JPEG", quality=95, subsampling=0)
    return out.getvalue()


def _thumbnail(img: Image.Image) -> bytes:
    small = img.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=85)
    return out.getvalue()

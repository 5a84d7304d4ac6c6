"""Check an uploaded fundus photo and make the copies we keep. Plain Python, no Django.

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

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
MAX_PIXELS = 40_000_000  # a 7000x5700 fundus camera frame fits; bombs do not
MIN_SIDE = 200  # pixels; smaller photos cannot show lesions
THUMBNAIL_SIDE = 256


class BadUpload(ValueError):
    """The file cannot be used. `code` and `params` let the web layer say it in the user's
    language; the English message says what to do next."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message % params)
        self.code, self.params = code, params


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
        raise BadUpload("empty", "The file is empty: choose the photo again.")
    if len(raw) > max_bytes:
        raise BadUpload(
            "too_big",
            "The file is larger than the %(mb)d MB we accept: export the photo as JPEG.",
            mb=max_bytes // 2**20,
        )
    if raw.startswith(b"%PDF"):
        raise BadUpload(
            "pdf", "This file is a PDF document, not a photo: upload the JPEG or PNG photo."
        )
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
                raise BadUpload(
                    "format",
                    "This file is a %(format)s image: upload the photo as JPEG or PNG.",
                    format=img.format,
                )
            _check_size(*img.size)
            img.load()
    except BadUpload:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadUpload(
            "bomb", "The image is too large to open safely: upload the camera's original photo."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise BadUpload(
            "unreadable",
            "This file is not a readable JPEG or PNG photo (it may be damaged or cut short): "
            "export it from the camera again and upload it.",
        ) from None
    return img


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise BadUpload(
            "bomb", "The image is too large to open safely: upload the camera's original photo."
        )
    if min(width, height) < MIN_SIDE:
        raise BadUpload(
            "too_small",
            "The image is only %(width)dx%(height)d pixels, too small to grade: "
            "upload a photo at least %(min)d pixels on each side.",
            width=width,
            height=height,
            min=MIN_SIDE,
        )


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

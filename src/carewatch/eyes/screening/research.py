"""De-identification for the research export. Plain Python (Pillow only), no Django.

What leaves the centre: a pseudonym per patient, an age band, sex, diabetes type, years
since diagnosis, which visit (1 = first) and eye, the grades and the model version, and
the photo re-encoded from its pixels. Never a name, number, phone, e-mail or any date:
ages and durations are computed here and only the band or the whole years go out, and the
zip's own timestamps are a fixed 1980-01-01.

The pseudonym is HMAC-SHA256 of our internal patient id under a key derived from the
deployment's SECRET_KEY and the centre: the same patient gets the same pseudonym in every
export from that centre (studies can follow them over time), it differs between centres,
and without SECRET_KEY nobody can link it back. Rotating SECRET_KEY changes every pseudonym.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO

from PIL import Image

COLUMNS = [
    "patient", "age_band", "sex", "diabetes_type", "years_since_diagnosis", "visit", "eye",
    "ai_grade", "final_grade", "dme_risk", "referable", "model_version", "photo",
]  # fmt: skip
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no export or visit date leaks
README = """De-identified eye screening photos and grades (CareWatch research export).

photos.csv, one row per gradable photo:
patient               pseudonym, the same for one patient in every export from this centre
age_band              age at the visit, in ten-year bands (90+ for 90 and over)
sex                   female, male or other
diabetes_type         type1, type2, gestational or other
years_since_diagnosis whole years from the year of diagnosis to the year of the visit
visit                 1 for the patient's first visit with a gradable photo, 2 for the next
eye                   right or left
ai_grade              the software's ICDR grade, 0 (none) to 4 (proliferative)
final_grade           the doctor's signed grade; empty when not signed
dme_risk              macular-edema risk: 0 none, 1 away from, 2 near the centre (signed if any)
referable             yes or no (signed if any)
model_version         the grading model bundle that produced ai_grade
photo                 the file in photos/, re-encoded from its pixels without any metadata
"""


@dataclass(frozen=True)
class EyePhoto:
    """One gradable photo with what is known about it; identifying fields stay in here."""

    patient_id: int
    born: date
    sex: str
    diabetes_type: str
    diabetes_since: int
    visit_date: date
    visit: int  # 1, 2, ... per patient
    eye: str
    ai_grade: int | None
    final_grade: int | None
    dme_risk: int | None
    referable: bool | None
    model_version: str
    content_type: str


def export_key(secret_key: str, clinic_id: int) -> bytes:
    message = f"carewatch research export pseudonyms, centre {clinic_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).digest()


def pseudonym(key: bytes, patient_id: int) -> str:
    # 80 bits: no collision in any centre's lifetime, short enough to read in a table.
    return hmac.new(key, str(patient_id).encode(), hashlib.sha256).hexdigest()[:20]


def age_band(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    low = max(0, age) // 10 * 10
    return "90+" if low >= 90 else f"{low}-{low + 9}"


def photo_name(row: dict[str, str], content_type: str) -> str:
    extension = "png" if content_type == "image/png" else "jpg"
    return f"{row['patient']}-{row['visit']}-{row['eye']}.{extension}"


def row_for(photo: EyePhoto, key: bytes) -> dict[str, str]:
    row = {
        "patient": pseudonym(key, photo.patient_id),
        "age_band": age_band(photo.born, photo.visit_date),
        "sex": photo.sex,
        "diabetes_type": photo.diabetes_type,
        "years_since_diagnosis": str(max(0, photo.visit_date.year - photo.diabetes_since)),
        "visit": str(photo.visit),
        "eye": photo.eye,
        "ai_grade": _text(photo.ai_grade),
        "final_grade": _text(photo.final_grade),
        "dme_risk": _text(photo.dme_risk),
        "referable": "" if photo.referable is None else ("yes" if photo.referable else "no"),
        "model_version": photo.model_version,
    }
    row["photo"] = photo_name(row, photo.content_type)
    return row


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def without_metadata(data: bytes, content_type: str) -> bytes:
    """A new image from the pixels alone: no EXIF, ICC, text chunks or comments survive."""
    with Image.open(io.BytesIO(data)) as original:
        rgb = original.convert("RGB")
    bare = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    out = io.BytesIO()
    if content_type == "image/png":
        bare.save(out, "PNG")
    else:
        bare.save(out, "JPEG", quality=95)
    return out.getvalue()


def write_zip(out: IO[bytes], rows: Iterable[tuple[dict[str, str], bytes]]) -> int:
    """Writes the export; `rows` pairs each CSV row with its photo. Returns the row count.

    Stored, not deflated: photos do not shrink, and the bytes can be checked as written."""
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for row, photo in rows:
            writer.writerow(row)
            archive.writestr(zipfile.ZipInfo(f"photos/{row['photo']}", ZIP_TIME), photo)
            count += 1
        archive.writestr(zipfile.ZipInfo("photos.csv", ZIP_TIME), table.getvalue())
        archive.writestr(zipfile.ZipInfo("README.txt", ZIP_TIME), README)
    return count

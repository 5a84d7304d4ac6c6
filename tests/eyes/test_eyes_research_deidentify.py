"""De-identifying the research export (pure logic: no Django, no database)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from PIL import Image

from carewatch.eyes.screening.research import (
    COLUMNS,
    EyePhoto,
    age_band,
    export_key,
    pseudonym,
    row_for,
    without_metadata,
    write_zip,
)

KEY = export_key("a-secret-key", clinic_id=1)


def photo(**changes: object) -> EyePhoto:
    fields: dict[str, object] = dict(
        patient_id=7, born=date(1968, 4, 2), sex="female", diabetes_type="type2",
        diabetes_since=2012, visit_date=date(2026, 3, 1), visit=1, eye="right", ai_grade=2,
        final_grade=3, dme_risk=1, referable=True, model_version="retina-1.0",
        content_type="image/jpeg",
    )  # fmt: skip
    return EyePhoto(**(fields | changes))  # type: ignore[arg-type]


def jpeg_with_metadata() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "FundusCam Maker"  # Make
    exif[0x0132] = "2026:03:01 10:00:00"  # DateTime
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (150, 60, 30)).save(
        out, "JPEG", exif=exif, comment=b"Meena Iyer P9"
    )
    return out.getvalue()


def test_it_bands_ages_by_decade_on_the_visit_day() -> None:
    assert age_band(date(1968, 4, 2), date(2026, 4, 1)) == "50-59"  # 57, birthday tomorrow
    assert age_band(date(1968, 4, 2), date(2026, 4, 2)) == "50-59"
    assert age_band(date(1966, 4, 2), date(2026, 4, 2)) == "60-69"
    assert age_band(date(1930, 1, 1), date(2026, 1, 1)) == "90+"
    assert age_band(date(2020, 1, 1), date(2026, 1, 1)) == "0-9"


def test_it_gives_a_patient_the_same_pseudonym_in_every_export_from_a_centre() -> None:
    assert pseudonym(KEY, 7) == pseudonym(export_key("a-secret-key", 1), 7)
    assert pseudonym(KEY, 7) != pseudonym(KEY, 8)
    assert len(pseudonym(KEY, 7)) == 20


def test_it_gives_different_pseudonyms_in_other_centres_and_deployments() -> None:
    assert pseudonym(KEY, 7) != pseudonym(export_key("a-secret-key", 2), 7)
    assert pseudonym(KEY, 7) != pseudonym(export_key("another-secret", 1), 7)


def test_it_writes_years_and_bands_never_dates() -> None:
    row = row_for(photo(), KEY)
    assert list(row) == COLUMNS
    assert row["age_band"] == "50-59"
    assert row["years_since_diagnosis"] == "14"
    assert (row["ai_grade"], row["final_grade"], row["dme_risk"], row["referable"]) == (
        "2", "3", "1", "yes"
    )  # fmt: skip
    assert row["photo"] == f"{row['patient']}-1-right.jpg"
    text = ",".join(row.values())
    for leak in ("1968", "2026", "04-02", "03-01", "2012"):
        assert leak not in text


def test_it_leaves_unknown_grades_empty() -> None:
    row = row_for(photo(final_grade=None, referable=None, content_type="image/png"), KEY)
    assert (row["final_grade"], row["referable"]) == ("", "")
    assert row["photo"].endswith("-1-right.png")


def test_it_re_encodes_photos_without_exif_or_comments() -> None:
    original = jpeg_with_metadata()
    assert b"FundusCam" in original and b"Meena" in original
    clean = without_metadata(original, "image/jpeg")
    assert b"FundusCam" not in clean and b"Meena" not in clean and b"2026" not in clean
    with Image.open(io.BytesIO(clean)) as img:
        assert not img.getexif()
        assert img.size == (300, 300)


def test_it_dates_every_zip_entry_1980_and_lists_each_photo_in_the_csv() -> None:
    out = io.BytesIO()
    row = row_for(photo(), KEY)
    assert write_zip(out, [(row, b"jpeg bytes")]) == 1
    with zipfile.ZipFile(out) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read(f"photos/{row['photo']}") == b"jpeg bytes"
        lines = archive.read("photos.csv").decode().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith(row["patient"] + ",50-59,female,type2,14,1,right,2,3,1,yes,")

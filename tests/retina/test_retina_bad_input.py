"""Bad input never gets a grade and never crashes the grader."""

from __future__ import annotations

from pathlib import Path

import matplotlib.cbook
import pytest
from PIL import Image
from retina_fakes import fake_fundus, jpeg_bytes

from retina import load_bundle
from retina.quality import REASONS


@pytest.fixture(scope="module")
def grader():
    return load_bundle()


def png(img: Image.Image) -> bytes:
    import io

    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def enormous_header() -> bytes:
    data = bytearray(jpeg_bytes(Image.new("RGB", (16, 16))))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (65000).to_bytes(2, "big") * 2
    return bytes(data)


CASES = {
    "empty": lambda: b"",
    "text": lambda: b"%PDF-1.4 this is a PDF, not a photo",
    "truncated jpeg": lambda: jpeg_bytes(fake_fundus())[:3000],
    "1x1": lambda: png(Image.new("RGB", (1, 1), (200, 90, 40))),
    "enormous dimensions": enormous_header,
    "greyscale": lambda: jpeg_bytes(fake_fundus().convert("L")),
    "portrait": lambda: Path(
        matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    ).read_bytes(),
    "all black": lambda: jpeg_bytes(Image.new("RGB", (800, 600))),
}


@pytest.mark.parametrize("name", CASES)
def test_it_reports_bad_input_without_a_grade(grader, name):
    result = grader.grade(CASES[name]())
    assert result.status in ("invalid", "ungradable")
    assert result.grade is None and result.referable is None
    # ungradable: a code the product words for people; invalid: an English sentence
    assert result.reason in REASONS or (result.reason.endswith(".") and len(result.reason) > 20)


def test_it_reports_a_missing_file_as_invalid(grader, tmp_path):
    result = grader.grade(tmp_path / "nope.jpg")
    assert result.status == "invalid" and result.grade is None


def test_it_grades_good_photos_in_a_batch_beside_bad_ones(grader):
    results = grader.grade_many([b"junk", jpeg_bytes(fake_fundus()), CASES["1x1"]()])
    assert [r.status for r in results] == ["invalid", "graded", "ungradable"]
    assert results[1].grade in range(5)

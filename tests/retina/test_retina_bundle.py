from __future__ import annotations

import json
import shutil

import pytest
from retina_fakes import fake_fundus, jpeg_bytes

from retina import BundleError, load_bundle
from retina.bundle import DEFAULT_BUNDLE


@pytest.fixture
def bundle_copy(tmp_path):
    folder = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, folder)
    return folder


def test_it_loads_the_shipped_bundle_and_names_its_version():
    grader = load_bundle()
    result = grader.grade(jpeg_bytes(fake_fundus()))
    assert result.model_version == grader.metadata["version"]
    assert 0 < grader.threshold < 1


def test_it_ships_the_metadata_the_issue_asks_for():
    meta = json.loads((DEFAULT_BUNDLE / "metadata.json").read_text())
    for key in (
        "version",
        "changelog",
        "training",
        "preprocessing",
        "thresholds",
        "metrics",
        "library_versions",
        "weights",
    ):
        assert key in meta, key
    assert set(meta["metrics"]) == {
        "idrid",
        "aptos224",
        "eyepacs256",
        "eyepacs256_extra",
        "eyepacs_full",
    }
    measured_beside = [old["version"] for old in meta["previous"]]  # on our validation split
    assert measured_beside == ["1.0.0", "2.0.0"]
    assert {p["name"] for p in meta["profiles"]} == {"low_res", "cropped", "full_frame"}
    assert (DEFAULT_BUNDLE / "MODEL_CARD.md").read_text().count(meta["version"]) >= 1


def test_it_refuses_weights_whose_sha256_does_not_match(bundle_copy):
    with open(bundle_copy / "model.onnx", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(BundleError, match="sha256"):
        load_bundle(bundle_copy)


def test_it_refuses_metadata_declaring_another_hash(bundle_copy):
    meta = json.loads((bundle_copy / "metadata.json").read_text())
    meta["weights"]["sha256"] = "0" * 64
    (bundle_copy / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(BundleError, match="refusing"):
        load_bundle(bundle_copy)


def test_it_refuses_a_bundle_without_weights(bundle_copy):
    (bundle_copy / "model.onnx").unlink()
    with pytest.raises(BundleError):
        load_bundle(bundle_copy)


def test_it_grades_deterministically_alone_or_in_a_batch():
    grader = load_bundle()
    photos = [jpeg_bytes(fake_fundus(seed=s)) for s in range(3)]
    alone = [grader.grade(p) for p in photos]
    batch = grader.grade_many(photos, batch_size=3)
    for a, b in zip(alone, batch, strict=True):
        assert a.grade == b.grade
        assert a.referable_probability == pytest.approx(b.referable_probability, abs=1e-4)
        assert a.heatmap is not None and a.heatmap.dtype.name == "uint8"
        assert sum(a.grade_probabilities) == pytest.approx(1.0, abs=1e-3)

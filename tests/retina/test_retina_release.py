"""A bundle built from released ONNX networks, an ensemble partner and camera profiles."""

from __future__ import annotations

import json

from retina_fakes import fake_fundus, jpeg_bytes, real_fundus_folder

from retina import load_bundle
from retina.bundle import DEFAULT_BUNDLE, sha256_of
from retina.data import SETS, read_labels
from retina.release import main

PROFILES = [
    {
        "name": "small",
        "input_size": 224,
        "threshold": 0.5,
        "urgent_threshold": 0.5,
        "max_long_side": 512,
        "views": [{"model": "main"}, {"model": "twin", "flip": "h"}],
    },
    {
        "name": "camera",
        "input_size": 256,
        "threshold": 0.5,
        "urgent_threshold": 0.5,
        "min_long_side": 512,
        "views": [{"model": "main"}, {"model": "main", "flip": "v"}],
    },
]


def validation_slice(tmp_path, per_set=14):
    """The first validation photos of every set, linked into a folder of their own."""
    root = real_fundus_folder()
    data = tmp_path / "fundus"
    for name in SETS:
        (data / name).mkdir(parents=True)
        rows = (root / name / "labels.csv").read_text().splitlines()
        val = {ex.image for ex in read_labels(root / name / "labels.csv") if ex.split == "val"}
        kept = [r for r in rows[1:] if r.split(",")[0] in val][:per_set]
        (data / name / "labels.csv").write_text("\n".join([rows[0], *kept]) + "\n")
        for row in kept:
            (data / name / row.split(",")[0]).symlink_to(root / name / row.split(",")[0])
    return data


def test_a_bundle_is_built_from_released_networks_with_its_profiles_views_and_partner(tmp_path):
    data, out = validation_slice(tmp_path), tmp_path / "bundle"
    (tmp_path / "profiles.json").write_text(json.dumps(PROFILES))
    base = json.loads((DEFAULT_BUNDLE / "metadata.json").read_text())
    base |= {"version": "9.9.9", "more_weights": {"twin": {"about": "the main one again"}}}
    (tmp_path / "base.json").write_text(json.dumps(base))
    main([
        "--onnx", str(DEFAULT_BUNDLE / "model.onnx"),
        "--more", f"twin={DEFAULT_BUNDLE / 'model.onnx'}",
        "--profiles", str(tmp_path / "profiles.json"),
        "--base", str(tmp_path / "base.json"),
        "--data", str(data), "--out", str(out), "--previous", str(DEFAULT_BUNDLE),
    ])  # fmt: skip
    meta = json.loads((out / "metadata.json").read_text())
    twin = meta["more_weights"]["twin"]
    assert twin["sha256"] == sha256_of(out / "model_twin.onnx") == meta["weights"]["sha256"]
    assert [p["views"] for p in meta["profiles"]] == [p["views"] for p in PROFILES]
    assert all(0 < p["threshold"] < 1 for p in meta["profiles"])  # fitted on validation
    assert [old["version"] for old in meta["previous"]] == [load_bundle().version]
    card = (out / "MODEL_CARD.md").read_text()
    assert "main + twin (h flip)" in card and "the main one again" in card
    result = load_bundle(out).grade(jpeg_bytes(fake_fundus(1024, 680)))
    assert result.profile == "camera" and result.model_version == "9.9.9"

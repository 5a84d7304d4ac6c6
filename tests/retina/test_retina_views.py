"""A camera profile grades with several views (networks, mirrored photos) and averages."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pytest
from PIL import Image, ImageOps
from retina_fakes import fake_fundus

from retina import BundleError, load_bundle
from retina.bundle import DEFAULT_BUNDLE
from retina.infer import mirrored
from retina.preprocess import load_fundus, normalise
from retina.profiles import View, from_metadata


def png_bytes(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG")  # lossless: a mirrored photo is exactly the mirror image
    return out.getvalue()


def bundle_with_profiles(tmp_path, rows, more_weights=None):
    folder = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, folder)
    meta = json.loads((folder / "metadata.json").read_text())
    meta["profiles"] = rows
    if more_weights is not None:
        meta["more_weights"] = more_weights
    (folder / "metadata.json").write_text(json.dumps(meta))
    return folder


def one_profile(*views, size=224):
    return [
        {
            "name": "all",
            "input_size": size,
            "threshold": 0.5,
            "urgent_threshold": 0.5,
            "views": [{"model": m, "flip": f} for m, f in views],
        }
    ]


def test_mirroring_flips_the_last_axis_left_right_and_the_one_before_upside_down():
    batch = np.arange(2 * 3 * 4).reshape(1, 2, 3, 4)
    assert (mirrored(batch, "none") == batch).all()
    assert (mirrored(batch, "h") == batch[..., ::-1]).all()
    assert (mirrored(batch, "v") == batch[..., ::-1, :]).all()
    assert (mirrored(batch, "hv") == batch[..., ::-1, ::-1]).all()
    assert mirrored(batch, "h").flags["C_CONTIGUOUS"]


def test_a_profile_without_views_runs_the_main_network_once_and_an_unknown_flip_is_refused():
    row = {"name": "all", "input_size": 224, "threshold": 0.5}
    (profile,) = from_metadata({"profiles": [row]})
    assert profile.views == (View("main", "none"),)
    with pytest.raises(ValueError, match="Unknown flip"):
        View("main", "diagonal")


def test_the_scores_are_the_mean_of_the_views_and_the_heatmap_is_mirrored_back(tmp_path):
    folder = bundle_with_profiles(tmp_path, one_profile(("main", "none"), ("main", "h")))
    grader = load_bundle(folder)
    photo = fake_fundus(480, 480, seed=3)
    result = grader.grade(png_bytes(photo))
    x = normalise(load_fundus(png_bytes(photo), 224).rgb, False)[None]
    plain, plain_map = grader.session.run(None, {"image": x})
    flipped, flipped_map = grader.session.run(None, {"image": mirrored(x, "h")})
    expected = (plain[0] + flipped[0]) / 2
    assert result.referable_probability == pytest.approx(float(expected[4]), abs=1e-4)
    assert result.dme_probabilities == pytest.approx(expected[5:].tolist(), abs=1e-4)
    heat = (plain_map[0] + flipped_map[0][:, ::-1]) / 2
    assert result.heatmap is not None
    assert np.abs(result.heatmap.astype(float) - np.clip(heat, 0, 1) * 255).max() <= 1


def test_with_a_mirrored_view_a_photo_and_its_mirror_image_get_the_same_grade(tmp_path):
    folder = bundle_with_profiles(tmp_path, one_profile(("main", "none"), ("main", "h")))
    grader = load_bundle(folder)
    photo = fake_fundus(480, 480, seed=5)
    left = grader.grade(png_bytes(photo))
    right = grader.grade(png_bytes(ImageOps.mirror(photo)))
    assert left.referable_probability == pytest.approx(right.referable_probability, abs=2e-3)
    assert left.grade == right.grade
    assert left.heatmap is not None and right.heatmap is not None
    difference = np.abs(left.heatmap.astype(int) - right.heatmap[:, ::-1].astype(int))
    assert np.median(difference) <= 2  # the same map, mirrored (resampling differs a little)


def test_an_ensemble_averages_two_networks_and_keeps_the_first_ones_heatmap(tmp_path):
    main = json.loads((DEFAULT_BUNDLE / "metadata.json").read_text())["weights"]
    # The same network twice under two names: the mean of a network with itself is itself.
    twins = one_profile(("main", "none"), ("twin", "none"))
    twin = bundle_with_profiles(tmp_path / "twin", twins, {"twin": dict(main)})
    single = bundle_with_profiles(tmp_path / "one", one_profile(("main", "none")))
    photo = png_bytes(fake_fundus(seed=7))
    both, alone = load_bundle(twin).grade(photo), load_bundle(single).grade(photo)
    assert both.referable_probability == pytest.approx(alone.referable_probability, abs=1e-4)
    assert both.heatmap is not None and alone.heatmap is not None
    assert np.array_equal(both.heatmap, alone.heatmap)


def test_a_profile_naming_a_network_the_bundle_lacks_is_refused(tmp_path):
    folder = bundle_with_profiles(tmp_path, one_profile(("main", "none"), ("ghost", "none")))
    with pytest.raises(BundleError, match="ghost"):
        load_bundle(folder)


def test_an_ensemble_partner_whose_sha256_does_not_match_is_refused(tmp_path):
    entry = {"file": "model_twin.onnx", "sha256": "0" * 64, "bytes": 1}
    folder = bundle_with_profiles(tmp_path, one_profile(("twin", "none")), {"twin": entry})
    shutil.copyfile(DEFAULT_BUNDLE / "model.onnx", folder / "model_twin.onnx")
    with pytest.raises(BundleError, match="refusing"):
        load_bundle(folder)


def test_the_shipped_bundle_names_only_networks_it_carries():
    meta = json.loads((DEFAULT_BUNDLE / "metadata.json").read_text())
    carried = {"main", *meta.get("more_weights", {})}
    for profile in from_metadata(meta):
        assert {view.model for view in profile.views} <= carried, profile.name
    for entry in meta.get("more_weights", {}).values():
        assert (DEFAULT_BUNDLE / entry["file"]).is_file()

"""The shipped bundle grades each photo at its camera profile, with the urgent flag."""

from __future__ import annotations

import json
import shutil

from retina_fakes import fake_fundus, jpeg_bytes, real_fundus_folder

from retina import load_bundle
from retina.bundle import DEFAULT_BUNDLE
from retina.cli import main


def test_a_small_photo_and_a_camera_frame_are_graded_in_one_batch_at_their_own_sizes():
    grader = load_bundle()
    small, frame = jpeg_bytes(fake_fundus(224, 224)), jpeg_bytes(fake_fundus(1024, 680, seed=2))
    results = grader.grade_many([small, frame, small])
    sizes = [grader.profile_for(wh).input_size for wh in ((224, 224), (1024, 680))]
    assert [r.heatmap.shape[0] for r in results if r.heatmap is not None] == [*sizes, sizes[0]]
    assert results[0].profile != results[1].profile


def test_every_graded_photo_carries_the_urgent_flag_and_its_probability():
    result = load_bundle().grade(jpeg_bytes(fake_fundus()))
    assert result.gradable and isinstance(result.urgent, bool)
    assert result.urgent_probability is not None and 0 <= result.urgent_probability <= 1
    summary = result.summary()
    assert {"urgent", "urgent_probability", "profile"} <= set(summary)


def test_the_referable_flag_uses_the_threshold_of_the_photos_profile():
    grader = load_bundle()
    result = grader.grade(jpeg_bytes(fake_fundus(1024, 680)))
    profile = grader.profile_for((1024, 680))
    assert result.profile == profile.name and result.referable_probability is not None
    assert result.referable == (result.referable_probability >= profile.threshold)


def test_retina_evaluate_prints_one_metrics_line_per_set(tmp_path, capsys):
    root = real_fundus_folder()
    data = tmp_path / "fundus"
    for name in ("idrid", "aptos224"):
        (data / name).mkdir(parents=True)
        rows = (root / name / "labels.csv").read_text().splitlines()[:13]
        (data / name / "labels.csv").write_text("\n".join(rows) + "\n")
        for row in rows[1:]:
            image = row.split(",")[0]
            (data / name / image).symlink_to(root / name / image)
    main(["evaluate", "--data", str(data)])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert [line["set"] for line in lines] == ["aptos224", "idrid"]
    assert all(line["n"] == 12 and "urgent_sensitivity" in line for line in lines)


def test_a_photo_whose_shown_probability_equals_the_threshold_is_flagged(tmp_path):
    """Thresholds are fitted on the probabilities as shown (4 decimals); the flag agrees."""
    folder = tmp_path / "bundle"
    shutil.copytree(DEFAULT_BUNDLE, folder)
    photo = jpeg_bytes(fake_fundus(1024, 680, seed=2))
    first = load_bundle(folder).grade(photo)
    meta = json.loads((folder / "metadata.json").read_text())
    for row in meta["profiles"]:
        row["threshold"] = first.referable_probability
        row["urgent_threshold"] = first.urgent_probability
    (folder / "metadata.json").write_text(json.dumps(meta))
    again = load_bundle(folder).grade(photo)
    assert again.referable is True and again.urgent is True

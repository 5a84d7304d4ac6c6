from __future__ import annotations

import csv
import json

import pytest
from retina_fakes import fake_fundus, jpeg_bytes

from retina.cli import main


def test_it_grades_photos_and_writes_heatmap_overlays(tmp_path, capsys):
    photo = tmp_path / "eye.jpg"
    photo.write_bytes(jpeg_bytes(fake_fundus()))
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"junk")
    main(["grade", str(photo), str(junk), "--out", str(tmp_path / "out")])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[0]["gradable"] and lines[0]["grade"] in range(5)
    assert (tmp_path / "out" / "eye_heatmap.png").exists()
    assert lines[1]["status"] == "invalid" and lines[1]["grade"] is None


def test_it_writes_no_heatmap_unless_asked_for_a_folder(tmp_path, capsys, monkeypatch):
    photo = tmp_path / "in" / "eye.jpg"
    photo.parent.mkdir()
    photo.write_bytes(jpeg_bytes(fake_fundus()))
    monkeypatch.chdir(tmp_path)
    main(["grade", str(photo)])
    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert line["gradable"] and "heatmap_png" not in line
    assert sorted(p.name for p in tmp_path.rglob("*.png")) == []


def test_it_evaluates_a_labelled_folder_and_ends_with_a_json_line(tmp_path, capsys):
    rows = []
    for i in range(6):
        (tmp_path / f"{i}.jpg").write_bytes(jpeg_bytes(fake_fundus(seed=i)))
        rows.append({"image": f"{i}.jpg", "dr_grade": i % 5})
    (tmp_path / "bad.jpg").write_bytes(b"junk")
    rows.append({"image": "bad.jpg", "dr_grade": 0})
    with open(tmp_path / "labels.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, ["image", "dr_grade"])
        writer.writeheader()
        writer.writerows(rows)
    main(
        [
            "evaluate",
            "--images",
            str(tmp_path),
            "--labels",
            str(tmp_path / "labels.csv"),
            "--out",
            str(tmp_path / "report"),
        ]
    )
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in (
        "n",
        "ungradable",
        "qwk",
        "accuracy",
        "referable_auc",
        "sensitivity",
        "specificity",
    ):
        assert key in last
    assert last["n"] == 7 and last["ungradable"] == 1
    for name in ("confusion_matrix.png", "roc.png", "report.json"):
        assert (tmp_path / "report" / name).exists()


def test_it_counts_and_names_the_photos_the_quality_gate_refuses_without_the_model(
    tmp_path, capsys, monkeypatch
):
    from PIL import ImageEnhance

    from retina.infer import Grader

    folder = tmp_path / "data" / "someset"
    folder.mkdir(parents=True)
    fake_fundus().save(folder / "good.jpg")
    ImageEnhance.Brightness(fake_fundus(seed=1)).enhance(0.08).save(folder / "dark.jpg")
    (folder / "labels.csv").write_text("image,dr_grade\ngood.jpg,0\ndark.jpg,2\n")
    monkeypatch.setattr(Grader, "grade_many", lambda *a, **k: pytest.fail("it ran the model"))
    main(["evaluate", "--data", str(tmp_path / "data"), "--quality-only"])
    refused, summary = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert (refused["image"], refused["reason"], refused["dr_grade"]) == (
        "dark.jpg",
        "too_dark",
        "2",
    )
    assert refused["quality"]["brightness"] < 20
    assert summary == {
        "set": "someset",
        "split": "all",
        "n": 2,
        "ungradable": 1,
        "reasons": {"too_dark": 1},
    }

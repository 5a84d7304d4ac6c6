"""Grade real photos from ../shared/fundus (skipped where absent; must run on CI)."""

from __future__ import annotations

import json

import numpy as np
from retina_fakes import real_fundus_folder

from retina import load_bundle
from retina.cli import main
from retina.data import load_sets, write_labels


def test_it_grades_real_photos_from_each_set_sensibly():
    root = real_fundus_folder()
    grader = load_bundle()
    for name in ("idrid", "aptos224", "eyepacs256"):
        examples = load_sets(root, (name,))
        healthy = [ex for ex in examples if ex.dr_grade == 0][:6]
        severe = [ex for ex in examples if ex.dr_grade >= 3][:6]
        results = grader.grade_many([root / name / ex.image for ex in healthy + severe])
        assert all(r.gradable for r in results), [r.reason for r in results]
        p = np.array([r.referable_probability for r in results])
        assert p[6:].mean() > p[:6].mean(), name
        if name == "idrid":
            assert all(r.dme_risk in (0, 1, 2) for r in results)


def test_it_evaluates_real_photos_from_the_command_line(tmp_path, capsys):
    root = real_fundus_folder()
    examples = load_sets(root, ("aptos224",))[:40]
    write_labels(examples, tmp_path / "labels.csv")
    main(["evaluate", "--images", str(root / "aptos224"), "--labels", str(tmp_path / "labels.csv")])
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["n"] == 40 and last["ungradable"] == 0
    assert last["qwk"] > 0.5

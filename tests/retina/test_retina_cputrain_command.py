"""`retina cputrain`: the CPU training run as a subcommand of the `retina` command, with the
options of `python -m retina.cputrain` (still working). Nothing here trains."""

from __future__ import annotations

import subprocess
import sys

import pytest

from retina.cli import main


def test_the_retina_command_lists_cputrain(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["-h"])
    assert exited.value.code == 0
    assert "cputrain" in capsys.readouterr().out


@pytest.mark.torch
def test_it_shows_the_cputrain_options_under_the_retina_command(capsys):
    pytest.importorskip("torch")
    with pytest.raises(SystemExit) as exited:
        main(["cputrain", "-h"])
    assert exited.value.code == 0
    usage = capsys.readouterr().out
    assert usage.startswith("usage: retina cputrain")
    assert "--resume" in usage and "--camera-size" in usage


@pytest.mark.torch
def test_it_hands_the_options_to_the_training_run(monkeypatch, capsys):
    cputrain = pytest.importorskip("retina.cputrain")
    runs = []

    def train(cfg):
        runs.append(cfg)
        return {"best_epoch": 3, "best_score": 0.5}

    monkeypatch.setattr(cputrain, "train", train)
    main(["cputrain", "--out", "run", "--epochs", "2", "--resume", "--shares", '{"idrid": 1}'])
    (cfg,) = runs
    assert (cfg.out, cfg.epochs, cfg.resume, cfg.shares) == ("run", 2, True, {"idrid": 1})
    assert cfg.camera_size == cputrain.CpuTrainConfig().camera_size
    assert "best epoch 3" in capsys.readouterr().out


@pytest.mark.torch
def test_it_refuses_an_unknown_option_before_training(monkeypatch, capsys):
    cputrain = pytest.importorskip("retina.cputrain")
    monkeypatch.setattr(cputrain, "train", lambda cfg: pytest.fail("it trained"))
    with pytest.raises(SystemExit) as exited:
        main(["cputrain", "--epoch", "2x"])
    assert exited.value.code == 2
    assert "retina cputrain" in capsys.readouterr().err


def test_it_says_how_to_install_pytorch_when_it_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails
    monkeypatch.delitem(sys.modules, "retina.cputrain", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(["cputrain", "--out", "run"])
    assert "uv sync --extra train" in str(exited.value.code)


@pytest.mark.torch
def test_python_dash_m_retina_cputrain_still_works():
    pytest.importorskip("torch")
    done = subprocess.run(
        [sys.executable, "-m", "retina.cputrain", "-h"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: retina cputrain")

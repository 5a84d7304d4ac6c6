"""Train the grader: `retina train --archive DIR --out DIR` (CPU by default, CUDA when present).

All crops sit in memory as one uint8 tensor on the training device; batches are drawn
with class-balancing weights and augmented there (flips, rotation, scale, brightness
and contrast). The best epoch on the validation split is kept (early stopping), and
`last.pt` lets an interrupted run resume.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from retina import metrics
from retina.data import DEFAULT_ROOT, NO_LABEL, SETS, Example, build_archive, load_archive
from retina.model import ModelConfig, RetinaNet, load_imagenet, save_checkpoint


@dataclass
class TrainConfig:
    archive: str = ".train/archive"  # built from `data` by retina.data.build_archive if absent
    data: str = str(DEFAULT_ROOT)
    out: str = "runs/retina"
    imagenet: str = ""  # path to the Lite0 ImageNet .pth; default: the installed package's
    sets: tuple[str, ...] = SETS
    local_contrast: bool = False
    epochs: int = 40
    patience: int = 10
    batch_size: int = 128
    lr: float = 1e-3
    weight_decay: float = 1e-4
    idrid_share: float = 0.15  # share of each epoch's draws given to IDRiD (it is small)
    dme_weight: float = 0.5
    seed: int = 1234
    time_limit: float = 0.0  # seconds; 0 = none
    device: str = ""  # "" = cuda when present, else cpu
    limit: int = 0  # use only this many examples (smoke tests)
    ema: float = 0.993  # weight averaging for evaluation and the saved model; 0 = off
    resume: bool = False


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def sample_weights(examples: list[Example], idrid_share: float) -> np.ndarray:
    """Each (set, grade) cell weighted by 1/sqrt(count); sets by size, IDRiD by idrid_share."""
    cells = Counter((ex.dataset, ex.dr_grade) for ex in examples)
    w = np.array([1 / math.sqrt(cells[ex.dataset, ex.dr_grade]) for ex in examples])
    sets = np.array([ex.dataset for ex in examples])
    others = len([ex for ex in examples if ex.dataset != "idrid"])
    for name in set(sets):
        size_share = (1 - idrid_share) * (sets == name).sum() / others
        share = idrid_share if name == "idrid" else size_share
        w[sets == name] *= share / w[sets == name].sum()
    return w / w.sum()


def augment(x: torch.Tensor, fill: float) -> torch.Tensor:
    """Random flips, rotation, scale, shift, brightness and contrast, on the device."""
    n = x.shape[0]
    dev = x.device
    angle = torch.rand(n, device=dev) * 2 * math.pi
    scale = 1 / (0.92 + 0.16 * torch.rand(n, device=dev))
    flip = torch.where(torch.rand(n, device=dev) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    shift = (torch.rand(n, 2, device=dev) - 0.5) * 0.06
    theta = torch.stack(
        [
            torch.stack([cos * flip, -sin, shift[:, 0]], 1),
            torch.stack([sin * flip, cos, shift[:, 1]], 1),
        ],
        1,
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x - fill, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    contrast = 0.8 + 0.4 * torch.rand(n, 1, 1, 1, device=dev)
    brightness = (torch.rand(n, 1, 1, 1, device=dev) - 0.5) * 30
    return (x * contrast + brightness + fill).clamp(0, 255)


@torch.no_grad()
def update_ema(ema: RetinaNet, net: RetinaNet, decay: float) -> None:
    """Exponential moving average of the weights; BatchNorm statistics copied as they are."""
    for e, p in zip(ema.parameters(), net.parameters(), strict=True):
        e.lerp_(p.detach(), 1 - decay)
    for eb, b in zip(ema.buffers(), net.buffers(), strict=True):
        eb.copy_(b)


def loss_fn(
    out: tuple[torch.Tensor, ...], grade: torch.Tensor, dme: torch.Tensor, dme_weight: float
) -> torch.Tensor:
    ordinal, referable, dme_logits, _ = out
    above = (grade[:, None] > torch.arange(4, device=grade.device)[None]).float()
    loss = F.binary_cross_entropy_with_logits(ordinal.float(), above)
    loss = loss + F.binary_cross_entropy_with_logits(referable.float(), (grade >= 2).float())
    if (dme != NO_LABEL).any():
        loss = loss + dme_weight * F.cross_entropy(dme_logits.float(), dme, ignore_index=NO_LABEL)
    return loss


@torch.no_grad()
def predict(net: RetinaNet, images: torch.Tensor, batch: int, amp: bool) -> np.ndarray:
    """scores (N, 8) as the ONNX file gives them: P(grade > k), P(referable), P(DME)."""
    net.eval()
    rows = []
    for i in range(0, len(images), batch):
        x = to_input(images[i : i + batch].float())
        with torch.autocast(x.device.type, torch.bfloat16, enabled=amp):
            ordinal, referable, dme, _ = net(x)
        rows.append(
            torch.cat(
                [
                    ordinal.float().sigmoid(),
                    referable.float().sigmoid()[:, None],
                    dme.float().softmax(1),
                ],
                1,
            ).cpu()
        )
    return torch.cat(rows).numpy()


def to_input(x: torch.Tensor) -> torch.Tensor:
    """uint8-valued NCHW -> the model's scaling (the same as preprocess.normalise)."""
    return ((x - 127.0) / 128.0).contiguous(memory_format=torch.channels_last)


def evaluate(examples: list[Example], scores: np.ndarray) -> dict[str, dict[str, float]]:
    """Per-set validation metrics from predicted scores."""
    report = {}
    for name in sorted({ex.dataset for ex in examples}):
        idx = [i for i, ex in enumerate(examples) if ex.dataset == name]
        truth = np.array([examples[i].dr_grade for i in idx])
        s = scores[idx]
        pred = metrics.ordinal_to_grade(s[:, :4])
        row = {
            "n": len(idx),
            "qwk": metrics.quadratic_kappa(truth, pred),
            "accuracy": metrics.accuracy(truth, pred),
            "referable_auc": metrics.roc_auc(truth >= 2, s[:, 4]),
        }
        dme = np.array([examples[i].dme_risk for i in idx])
        if (dme != NO_LABEL).any():
            known = dme != NO_LABEL
            row["dme_accuracy"] = metrics.accuracy(dme[known], s[known, 5:].argmax(1))
        report[name] = row
    return report


def selection_score(report: dict[str, dict[str, float]]) -> float:
    """Mean of every set's kappa and AUC, plus IDRiD's DME accuracy: higher is better."""
    values = [
        v
        for row in report.values()
        for k, v in row.items()
        if k in ("qwk", "referable_auc", "dme_accuracy") and not math.isnan(v)
    ]
    return float(np.mean(values))


def train(cfg: TrainConfig) -> dict[str, Any]:
    seed_everything(cfg.seed)
    device = torch.device(cfg.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    amp = device.type == "cuda"
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    if not (Path(cfg.archive) / "split.csv").exists():
        print(f"building the training archive {cfg.archive} from {cfg.data}", flush=True)
        build_archive(Path(cfg.data), Path(cfg.archive))
    examples, images_np = load_archive(Path(cfg.archive), cfg.local_contrast)
    keep = [i for i, ex in enumerate(examples) if ex.dataset in cfg.sets]
    if cfg.limit:
        keep = keep[:: max(1, len(keep) // cfg.limit)][: cfg.limit]
    examples, images_np = [examples[i] for i in keep], images_np[keep]
    images = torch.from_numpy(images_np).permute(0, 3, 1, 2).contiguous().to(device)
    grades = torch.tensor([ex.dr_grade for ex in examples], device=device)
    dmes = torch.tensor([ex.dme_risk for ex in examples], device=device)
    train_idx = [i for i, ex in enumerate(examples) if ex.split == "train"]
    val_idx = [i for i, ex in enumerate(examples) if ex.split == "val"]
    weights = torch.tensor(sample_weights([examples[i] for i in train_idx], cfg.idrid_share))
    print(
        f"{len(train_idx)} training and {len(val_idx)} validation images on {device}, "
        f"loaded in {time.time() - started:.0f} s",
        flush=True,
    )

    net = RetinaNet(ModelConfig(image_size=images.shape[-1], local_contrast=cfg.local_contrast))
    load_imagenet(net, Path(cfg.imagenet) if cfg.imagenet else None)
    net = net.to(device).to(memory_format=torch.channels_last)
    ema = copy.deepcopy(net) if cfg.ema else net
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps_per_epoch = max(1, len(train_idx) // cfg.batch_size)
    total = cfg.epochs * steps_per_epoch

    def warmup_cosine(step: int) -> float:
        warmup = min(1, (step + 1) / steps_per_epoch)
        return warmup * 0.5 * (1 + math.cos(math.pi * min(step, total) / total))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_cosine)
    state: dict[str, Any] = {"epoch": 0, "best_score": -1.0, "best_epoch": -1, "history": []}
    if cfg.resume and (out / "last.pt").exists():
        ckpt = torch.load(out / "last.pt", map_location=device, weights_only=False)
        net.load_state_dict(ckpt["model"])
        ema.load_state_dict(ckpt["ema"])
        opt.load_state_dict(ckpt["optimizer"])
        sched.load_state_dict(ckpt["scheduler"])
        state = ckpt["state"]
        torch.set_rng_state(ckpt["rng"])
        print(f"resumed after epoch {state['epoch']}", flush=True)

    fill = 128.0 if cfg.local_contrast else 0.0
    train_t = torch.tensor(train_idx, device=device)
    while state["epoch"] < cfg.epochs:
        net.train()
        draws = train_t[torch.multinomial(weights, len(train_idx), replacement=True).to(device)]
        bar = tqdm(
            range(steps_per_epoch),
            desc=f"epoch {state['epoch'] + 1}/{cfg.epochs}",
            leave=False,
            mininterval=2,
        )
        for step in bar:
            idx = draws[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            x = to_input(augment(images[idx].float(), fill))
            with torch.autocast(device.type, torch.bfloat16, enabled=amp):
                loss = loss_fn(net(x), grades[idx], dmes[idx], cfg.dme_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            if cfg.ema:
                update_ema(ema, net, min(cfg.ema, (1 + sched.last_epoch) / (10 + sched.last_epoch)))
            bar.set_postfix(loss=f"{loss.item():.3f}")
        state["epoch"] += 1
        report = evaluate([examples[i] for i in val_idx], predict(ema, images[val_idx], 256, amp))
        score = selection_score(report)
        state["history"].append(
            {
                "epoch": state["epoch"],
                "loss": loss.item(),
                "score": score,
                "seconds": round(time.time() - started, 1),
                "val": report,
            }
        )
        print(json.dumps(state["history"][-1]), flush=True)
        if score > state["best_score"]:
            state["best_score"], state["best_epoch"] = score, state["epoch"]
            save_checkpoint(
                copy.deepcopy(ema).cpu().float(),
                out / "best.pt",
                epoch=state["epoch"],
                val=report,
                train_config=asdict(cfg),
            )
        torch.save(
            {
                "model": net.state_dict(),
                "ema": ema.state_dict(),
                "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(),
                "state": state,
                "rng": torch.get_rng_state(),
            },
            out / "last.pt",
        )
        (out / "history.json").write_text(json.dumps(state, indent=1))
        if state["epoch"] - state["best_epoch"] >= cfg.patience:
            print(f"early stop: no better validation score for {cfg.patience} epochs", flush=True)
            break
        if cfg.time_limit and time.time() - started > cfg.time_limit:
            print("stopping: time limit reached", flush=True)
            break
    state["train_seconds"] = round(time.time() - started, 1)
    state["device"] = torch.cuda.get_device_name() if amp else "cpu"
    (out / "history.json").write_text(json.dumps(state, indent=1))
    return state


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="retina train",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    for name, value in asdict(TrainConfig()).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            parser.add_argument(flag, action="store_true", help=" ")
        elif isinstance(value, tuple):
            parser.add_argument(flag, nargs="+", default=list(value), help=" ")
        else:
            parser.add_argument(flag, type=type(value), default=value, help=" ")
    args = vars(parser.parse_args(argv))
    args["sets"] = tuple(args["sets"])
    state = train(TrainConfig(**args))
    print(
        f"best epoch {state['best_epoch']} (score {state['best_score']:.4f}), "
        f"{state['train_seconds']} s on {state['device']}"
    )


if __name__ == "__main__":
    main()

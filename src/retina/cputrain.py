"""CPU training: fine-tune the top of a released model on cached trunk features.

    nice -n 19 retina cputrain --out .train/run > .train/run.log 2>&1 &

(`python -m retina.cputrain` is the same command.)

1. The released model's trunk (stem and blocks 0-10, down to stride 16) runs once over
   every photo, in four flips, at its profile's input size, with ONNX Runtime; the
   features are cached in `--cache` as float16, one file per set and size (a killed
   run keeps the finished files).
2. The top (blocks 11-15, head convolution, a new stride-16 side branch and the heads)
   trains on the cache with the BatchNorm statistics frozen; draws are balanced across
   sets and grades. Every epoch is measured on the validation split (each photo as
   served, no flips); the best epoch is kept as best.pt and last.pt resumes
   a stopped run. At the end the best epoch is measured with four-flip test-time
   augmentation too (history.json "best_with_flips"), to decide whether serving should.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from retina import metrics
from retina.data import DEFAULT_ROOT, NO_LABEL, Example, load_sets
from retina.model import TRUNK_BLOCKS, ModelConfig, RetinaNet, save_checkpoint
from retina.preprocess import load_fundus, normalise
from retina.train import loss_fn, seed_everything
from retina.warmstart import from_onnx

SMALL_SIZE = 224
CAMERA_SETS = ("idrid", "eyepacs_full")  # camera frames: cached at both sizes
CROP_SETS = ("eyepacs256", "eyepacs256_extra")  # EyePACS crops: cached at crop_size
EYEPACS = ("eyepacs256", "eyepacs256_extra", "eyepacs_full")
Key = tuple[str, int]  # (set, input size)


@dataclass
class CpuTrainConfig:
    base: str = "src/retina/bundle/model.onnx"
    data: str = str(DEFAULT_ROOT)
    cache: str = ".train/cache"
    out: str = ".train/run"
    camera_size: int = 384
    crop_size: int = SMALL_SIZE  # the cropped profile's input size (2.1.0 serves at 288)
    side_channels: int = 128
    frozen_blocks: int = TRUNK_BLOCKS  # 11: train from stride 16; 5: from stride 8
    epochs: int = 16
    draws: int = 3000  # examples drawn per epoch
    batch_size: int = 32
    lr: float = 3e-4
    weight_decay: float = 1e-4
    dme_weight: float = 0.5
    shares: dict[str, float] = field(
        default_factory=lambda: {
            "aptos224": 0.30,
            "eyepacs256": 0.30,
            "eyepacs256_extra": 0.15,
            "eyepacs_full": 0.05,
            "idrid": 0.20,
        }
    )
    seed: int = 1234
    time_limit: float = 0.0
    resume: bool = False


def sizes_for(dataset: str, camera_size: int, crop_size: int = SMALL_SIZE) -> tuple[int, ...]:
    if dataset in CAMERA_SETS:
        return (SMALL_SIZE, camera_size)
    return (crop_size,) if dataset in CROP_SETS else (SMALL_SIZE,)


def home_size(dataset: str, camera_size: int, crop_size: int = SMALL_SIZE) -> int:
    """The input size the set's photos are served at (their camera profile's)."""
    if dataset in CAMERA_SETS:
        return camera_size
    return crop_size if dataset in CROP_SETS else SMALL_SIZE


def export_trunk(net: RetinaNet, path: Path, blocks: int) -> None:
    class Trunk(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.net.trunk(x, blocks)

    torch.onnx.export(
        Trunk().eval(),
        (torch.zeros(2, 3, SMALL_SIZE, SMALL_SIZE),),
        str(path),
        input_names=["image"],
        opset_version=17,
        dynamo=False,
        dynamic_axes={"image": {0: "batch", 2: "h", 3: "w"}},
    )


def flips(rgb: np.ndarray) -> list[np.ndarray]:
    """The four flips of an HWC image: as is, left-right, up-down, both."""
    return [rgb, rgb[:, ::-1], rgb[::-1], rgb[::-1, ::-1]]


def cache_name(dataset: str, size: int, blocks: int) -> str:
    return f"{dataset}_{size}" + ("" if blocks == TRUNK_BLOCKS else f"_b{blocks}")


def cache_set(session: Any, root: Path, dataset: str, size: int, folder: Path, blocks: int) -> Path:
    """Trunk features (N, 4 flips, C, H, W) float16 of one set at one size."""
    path = folder / f"{cache_name(dataset, size, blocks)}.npy"
    if path.exists():
        return path
    examples = load_sets(root, (dataset,))
    probe = np.zeros((1, 3, size, size), np.float32)
    shape = session.run(None, {"image": probe})[0].shape[1:]
    tmp = folder / f"{cache_name(dataset, size, blocks)}.partial.npy"
    out = np.lib.format.open_memmap(tmp, "w+", np.float16, (len(examples), 4, *shape))

    def prepare(ex: Example) -> list[np.ndarray]:
        rgb = load_fundus(root / dataset / ex.image, size).rgb
        return [normalise(np.ascontiguousarray(v), False) for v in flips(rgb)]

    started = time.time()
    with ThreadPoolExecutor(2) as pool:
        for i in range(0, len(examples), 16):
            views = [v for vs in pool.map(prepare, examples[i : i + 16]) for v in vs]
            (feats,) = session.run(None, {"image": np.stack(views)})
            out[i : i + len(views) // 4] = feats.reshape(-1, 4, *feats.shape[1:])
    out.flush()
    del out
    tmp.rename(path)
    print(f"cached {dataset} at {size} px: {len(examples)} photos in {time.time() - started:.0f} s")
    return path


def build_cache(cfg: CpuTrainConfig) -> None:
    import onnxruntime as ort

    folder = Path(cfg.cache)
    folder.mkdir(parents=True, exist_ok=True)
    trunk = folder / f"trunk_b{cfg.frozen_blocks}.onnx"
    if not trunk.exists():
        export_trunk(from_onnx(Path(cfg.base), ModelConfig()), trunk, cfg.frozen_blocks)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(trunk), options, providers=["CPUExecutionProvider"])
    for dataset in cfg.shares:
        for size in sizes_for(dataset, cfg.camera_size, cfg.crop_size):
            cache_set(session, Path(cfg.data), dataset, size, folder, cfg.frozen_blocks)


@dataclass
class Cached:
    examples: dict[Key, list[Example]]
    feats: dict[Key, np.ndarray]
    blocks: int  # the features are the output of this many blocks


def load_cache(cfg: CpuTrainConfig) -> Cached:
    examples, feats = {}, {}
    for dataset in cfg.shares:
        for size in sizes_for(dataset, cfg.camera_size, cfg.crop_size):
            key = (dataset, size)
            examples[key] = load_sets(Path(cfg.data), (dataset,))
            name = cache_name(dataset, size, cfg.frozen_blocks)
            feats[key] = np.load(Path(cfg.cache) / f"{name}.npy")
    return Cached(examples, feats, cfg.frozen_blocks)


def draw_weights(rows: list[Example], shares: dict[str, float]) -> np.ndarray:
    """Each (set, grade) cell weighted 1/sqrt(count); each set gets its share of draws."""
    cells = Counter((ex.dataset, ex.dr_grade) for ex in rows)
    w = np.array([1 / math.sqrt(cells[ex.dataset, ex.dr_grade]) for ex in rows])
    sets = np.array([ex.dataset for ex in rows])
    for name in set(sets):
        w[sets == name] *= shares[name] / w[sets == name].sum()
    return w / w.sum()


def trainable(net: RetinaNet, frozen_blocks: int) -> list[nn.Parameter]:
    frozen = {id(p) for p in net._conv_stem.parameters()} | {id(p) for p in net._bn0.parameters()}
    for block in net._blocks[:frozen_blocks]:
        frozen |= {id(p) for p in block.parameters()}
    return [p for p in net.parameters() if id(p) not in frozen]


def train_mode(net: RetinaNet) -> None:
    """Dropout on; BatchNorm statistics frozen, except the new side branch's."""
    net.train()
    for module in net.modules():
        if isinstance(module, nn.BatchNorm2d) and module is not getattr(net, "side_bn", None):
            module.eval()


@torch.no_grad()
def predict(
    net: RetinaNet, feats: np.ndarray, start: int, views: int = 1, batch: int = 64
) -> np.ndarray:
    """Scores (N, 8) like the ONNX output: of the photo as it is (views=1, what serving
    does), or averaged over the first `views` cached flips (test-time augmentation)."""
    net.eval()
    out = []
    for i in range(0, len(feats), batch):
        chunk = torch.from_numpy(feats[i : i + batch, :views].astype(np.float32))
        n = chunk.shape[0]
        grade, referable, dme, _ = net.forward_mid(chunk.flatten(0, 1), start)
        scores = torch.cat([grade.sigmoid(), referable.sigmoid()[:, None], dme.softmax(1)], 1)
        out.append(scores.reshape(n, views, -1).mean(1))
    return torch.cat(out).numpy()


def set_report(rows: list[Example], scores: np.ndarray) -> dict[str, float]:
    truth = np.array([ex.dr_grade for ex in rows])
    pred = metrics.ordinal_to_grade(scores[:, :4])
    positive = truth >= 2
    threshold = metrics.threshold_for_sensitivity(positive, scores[:, 4])
    _, spec = metrics.sensitivity_specificity(positive, scores[:, 4] >= threshold)
    report = {
        "n": len(rows),
        "qwk": metrics.quadratic_kappa(truth, pred),
        "referable_auc": metrics.roc_auc(positive, scores[:, 4]),
        "threshold_for_90_sensitivity": threshold,
        "specificity_at_90_sensitivity": spec,
    }
    dme = np.array([ex.dme_risk for ex in rows])
    if (dme != NO_LABEL).any():
        report["dme_accuracy"] = metrics.accuracy(dme, scores[:, 5:].argmax(1))
    return {k: round(float(v), 4) for k, v in report.items()}


def validate(
    net: RetinaNet, cached: Cached, camera_size: int, views: int = 1, crop_size: int = SMALL_SIZE
) -> dict[str, dict[str, float]]:
    """Per set (and size), plus all EyePACS folders together at their serving sizes."""
    report, pooled_rows, pooled_scores = {}, [], []
    for key, rows in cached.examples.items():
        idx = [i for i, ex in enumerate(rows) if ex.split == "val"]
        scores = predict(net, cached.feats[key][idx], cached.blocks, views)
        val = [rows[i] for i in idx]
        report[f"{key[0]}@{key[1]}"] = set_report(val, scores)
        if key[0] in EYEPACS and key[1] == home_size(key[0], camera_size, crop_size):
            pooled_rows += val
            pooled_scores.append(scores)
    if pooled_rows:
        report["eyepacs_all"] = set_report(pooled_rows, np.concatenate(pooled_scores))
    return report


def selection_score(report: dict[str, dict[str, float]], camera_size: int) -> float:
    """Mean of QWK and AUC on APTOS, all EyePACS and IDRiD, EyePACS specificity at 90 %
    sensitivity and IDRiD DME accuracy (validation only)."""
    wanted = {
        "aptos224@224": ("qwk", "referable_auc"),
        "eyepacs_all": ("qwk", "referable_auc", "specificity_at_90_sensitivity"),
        f"idrid@{camera_size}": ("qwk", "referable_auc", "dme_accuracy"),
    }
    values = [report[k].get(m, math.nan) for k, ms in wanted.items() if k in report for m in ms]
    return float(np.nanmean(values)) if values else 0.0


def step(
    net: RetinaNet, cached: Cached, pool: list[tuple[Key, int]], picks: np.ndarray, cfg: Any
) -> torch.Tensor:
    """One batch: grouped by input size (BatchNorm is frozen, so groups are independent)."""
    groups: dict[Key, list[int]] = {}
    for p in picks:
        key, row = pool[p]
        groups.setdefault(key, []).append(row)
    total = torch.zeros(())
    for key, rows in groups.items():
        views = np.random.randint(0, 4, len(rows))
        x = torch.from_numpy(cached.feats[key][rows, views].astype(np.float32))
        exs = [cached.examples[key][r] for r in rows]
        grade = torch.tensor([ex.dr_grade for ex in exs])
        dme = torch.tensor([ex.dme_risk for ex in exs])
        out = net.forward_mid(x, cached.blocks)
        total = total + loss_fn(out, grade, dme, cfg.dme_weight) * len(rows)
    return total / len(picks)


def train(cfg: CpuTrainConfig) -> dict[str, Any]:
    seed_everything(cfg.seed)
    torch.set_num_threads(2)
    started = time.time()
    build_cache(cfg)
    cached = load_cache(cfg)
    print(f"cache ready in {time.time() - started:.0f} s", flush=True)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    pool = [
        ((ex.dataset, size), i)
        for (dataset, size), rows in cached.examples.items()
        if size == home_size(dataset, cfg.camera_size, cfg.crop_size)
        for i, ex in enumerate(rows)
        if ex.split == "train"
    ]
    weights = draw_weights([cached.examples[k][i] for k, i in pool], cfg.shares)
    net = from_onnx(Path(cfg.base), ModelConfig(side_channels=cfg.side_channels))
    if cfg.side_channels:
        net.side_bn.momentum = 0.1
    params = trainable(net, cfg.frozen_blocks)
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps = cfg.draws // cfg.batch_size
    total = cfg.epochs * steps
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt,
        lambda s: min(1, (s + 1) / steps) * 0.5 * (1 + math.cos(math.pi * min(s, total) / total)),
    )
    state: dict[str, Any] = {"epoch": 0, "best_score": -1.0, "best_epoch": -1, "history": []}
    if cfg.resume and (out / "last.pt").exists():
        ckpt = torch.load(out / "last.pt", weights_only=False)
        net.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        sched.load_state_dict(ckpt["scheduler"])
        state = ckpt["state"]
        np.random.seed(cfg.seed + state["epoch"])
        print(f"resumed after epoch {state['epoch']}", flush=True)
    else:
        report = validate(net, cached, cfg.camera_size, crop_size=cfg.crop_size)
        state["baseline"] = report  # epoch 0: the released model itself
        print(json.dumps({"epoch": 0, "val": report}), flush=True)
    while state["epoch"] < cfg.epochs:
        train_mode(net)
        picks = np.random.choice(len(pool), steps * cfg.batch_size, p=weights)
        for s in range(steps):
            loss = step(
                net, cached, pool, picks[s * cfg.batch_size : (s + 1) * cfg.batch_size], cfg
            )
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        state["epoch"] += 1
        report = validate(net, cached, cfg.camera_size, crop_size=cfg.crop_size)
        score = selection_score(report, cfg.camera_size)
        row = {"epoch": state["epoch"], "loss": round(loss.item(), 4), "score": round(score, 4)}
        row |= {"seconds": round(time.time() - started, 1), "val": report}
        state["history"].append(row)
        print(json.dumps(row), flush=True)
        if score > state["best_score"]:
            state["best_score"], state["best_epoch"] = score, state["epoch"]
            save_checkpoint(
                net, out / "best.pt", epoch=state["epoch"], val=report, train_config=asdict(cfg)
            )
        ckpt = {"model": net.state_dict(), "optimizer": opt.state_dict()}
        torch.save({**ckpt, "scheduler": sched.state_dict(), "state": state}, out / "last.pt")
        (out / "history.json").write_text(json.dumps(state, indent=1))
        if cfg.time_limit and time.time() - started > cfg.time_limit:
            print("stopping: time limit reached", flush=True)
            break
    state["train_seconds"] = round(time.time() - started, 1)
    best = from_onnx(Path(cfg.base), ModelConfig(side_channels=cfg.side_channels))
    best.load_state_dict(torch.load(out / "best.pt", weights_only=False)["model"])
    state["best_with_flips"] = validate(best, cached, cfg.camera_size, 4, cfg.crop_size)
    (out / "history.json").write_text(json.dumps(state, indent=1))
    return state


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="retina cputrain", description=__doc__)
    for name, value in asdict(CpuTrainConfig()).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            parser.add_argument(flag, action="store_true")
        elif isinstance(value, dict):
            parser.add_argument(flag, type=json.loads, default=value, help="JSON object")
        else:
            parser.add_argument(flag, type=type(value), default=value)
    state = train(CpuTrainConfig(**vars(parser.parse_args(argv))))
    print(f"best epoch {state['best_epoch']} (score {state['best_score']:.4f})")


if __name__ == "__main__":
    main()

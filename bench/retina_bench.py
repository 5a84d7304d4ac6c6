"""Retina engine throughput and latency on this machine's CPU.

    uv run python bench/retina_bench.py [--quick] [--data ../shared/fundus] [--out FILE]

(--out defaults to test-artifacts/retina_bench.json.)

Measures, per image: decode (+ crop), preprocessing (quality gate + normalisation) and
model inference with ONNX Runtime, beside the same model in PyTorch eager (skipped with
a note when torch is absent); end-to-end images/s for small JPEGs (aptos224, the low_res
profile), for EyePACS-like 256 px crops (the cropped profile) and for camera frames
(IDRiD's 1024 px photos, graded at the full-frame profile's input size), each with the
CPU time each photo took (all threads: other work on the machine changes it far less
than the rate); for camera frames each stage's CPU time in one thread (decode, grey +
crop + resize, quality gate, normalisation, ONNX batch of 8, scores and heatmap), and
the p95 latency from a 12-megapixel JPEG file to a grade.
Peak memory from getrusage.
The last line printed is one JSON object with every figure (also written to --out).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from retina import load_bundle
from retina.infer import Grader, GradeResult, usable_cpus
from retina.preprocess import crop_to_fundus, load_fundus, normalise, open_image
from retina.quality import assess

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "fundus"


def timed(fn: Callable[[], object], repeat: int) -> np.ndarray:
    """Milliseconds per call."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return np.array(out)


def stats(ms: np.ndarray) -> dict[str, float]:
    return {
        "mean_ms": round(float(ms.mean()), 2),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
    }


def sample_photos(folder: Path, count: int, fake_size: tuple[int, int]) -> list[bytes]:
    """The first `count` JPEGs of a set, or synthetic fundus photos of that size."""
    sources = sorted(folder.glob("*.jpg"))[:count]
    if sources:
        return [p.read_bytes() for p in sources]
    sys.path.insert(0, str(ROOT / "tests" / "retina"))
    from retina_fakes import fake_fundus, jpeg_bytes

    return [jpeg_bytes(fake_fundus(*fake_size, seed=i)) for i in range(count)]


def end_to_end(grader: Grader, photos: list[bytes], size: tuple[int, int]) -> dict[str, object]:
    """grade_many's rate over these photos, the CPU each took, and the profile's views."""
    profile = grader.profile_for(size)
    cpu_start = time.process_time()
    seconds = np.median(timed(lambda: grader.grade_many(photos), 3)) / 1000
    cpu_ms = (time.process_time() - cpu_start) * 1000 / (3 * len(photos))
    return {
        "photos": len(photos),
        "profile": profile.name,
        "input_size": profile.input_size,
        "views": len(profile.views),
        "end_to_end_images_per_s": round(len(photos) / seconds, 1),
        "target_images_per_s": 40,
        # All threads' CPU time: the load of other work changes it far less than the rate.
        "end_to_end_cpu_ms_per_photo": round(cpu_ms, 1),
        "images_per_s_if_every_cpu_were_ours": round(usable_cpus() * 1000 / cpu_ms, 1),
    }


def twelve_megapixel(data: Path, folder: Path) -> Path:
    """An IDRiD photo upscaled to the camera's 4288x2848 (or a synthetic one)."""
    sources = sorted((data / "idrid").glob("*.jpg"))
    if sources:
        img = Image.open(sources[0]).convert("RGB")
    else:
        sys.path.insert(0, str(ROOT / "tests" / "retina"))
        from retina_fakes import fake_fundus

        img = fake_fundus(1024, 680)
    path = folder / "camera_12mp.jpg"
    img.resize((4288, 2848), Image.Resampling.BICUBIC).save(path, quality=92)
    return path


def torch_eager(batch: np.ndarray, repeat: int) -> dict[str, object]:
    try:
        import torch

        from retina.model import Exportable, RetinaNet
    except ImportError:
        return {"note": "PyTorch not installed (the 'train' extra): eager comparison skipped"}
    torch.set_num_threads(usable_cpus())
    net = Exportable(RetinaNet().eval()).eval()  # same graph; weights do not change speed
    x = torch.from_numpy(batch)
    with torch.inference_mode():
        net(x)
        ms = timed(lambda: net(x), repeat) / len(batch)
    return {"torch": torch.__version__, **stats(ms), "images_per_s": round(1000 / np.median(ms), 1)}


def frame_stages(grader: Grader, frames: list[bytes]) -> dict[str, float]:
    """Where a camera frame's time goes: each stage over every frame in this one thread."""
    profile = grader.profile_for((1024, 680))
    size = profile.input_size
    images = [open_image(f, size)[0] for f in frames]
    fundi = [load_fundus(f, size) for f in frames]
    x = np.stack([normalise(f.rgb, grader.local_contrast) for f in fundi[:8]])
    session = grader.photo_session()
    session.run(None, {"image": x})
    scores, heatmaps = session.run(None, {"image": x})
    results = [GradeResult("graded", "", grader.version, profile=profile.name) for _ in x]

    def fill(rounds: int) -> None:  # the scores read and the heatmap made uint8
        for _ in range(rounds):
            for r, s, h in zip(results, scores, heatmaps, strict=True):
                grader._fill(r, s, h)

    stages: dict[str, Callable[[], object]] = {
        "decode": lambda: [open_image(f, size) for f in frames],
        "grey_crop_resize": lambda: (
            [np.asarray(i.convert("L")) for i in images] + [crop_to_fundus(i, size) for i in images]
        ),
        "quality_gate": lambda: [assess(f) for f in fundi],
        "normalise": lambda: [normalise(f.rgb, grader.local_contrast) for f in fundi],
        "onnx_batch8": lambda: [session.run(None, {"image": x}) for _ in range(len(frames) // 8)],
        "scores_and_heatmap": lambda: fill(len(frames) // 8),
    }
    return {name: round(cpu_ms(fn) / len(frames), 2) for name, fn in stages.items()}


def cpu_ms(fn: Callable[[], object]) -> float:
    """CPU time of one call: unlike wall time, not counting while other work has the CPU."""
    start = time.process_time()
    fn()
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (about a minute)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "retina_bench.json")
    parser.add_argument("--bundle", type=Path, help="a bundle folder (default: the shipped one)")
    args = parser.parse_args()
    n_small, repeat_big, repeat_model = (128, 20, 10) if args.quick else (512, 60, 30)

    grader = load_bundle(args.bundle)
    small = sample_photos(args.data / "aptos224", n_small, (224, 224))
    size = grader.profile_for((224, 224)).input_size
    frames = sample_photos(args.data / "idrid", n_small // 2, (1024, 680))
    result: dict[str, object] = {
        "cpu_count": usable_cpus(),
        "model_version": grader.version,
        "input_size": size,
        "camera_frame_input_size": grader.profile_for((1024, 680)).input_size,
        "small_images": len(small),
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }

    decode = timed(lambda: [load_fundus(b, size) for b in small], 1) / len(small)
    fundi = [load_fundus(b, size) for b in small]
    prep = timed(
        lambda: [(assess(f), normalise(f.rgb, grader.local_contrast)) for f in fundi], 1
    ) / len(small)
    batch = np.stack([normalise(f.rgb, grader.local_contrast) for f in fundi[:16]])
    grader.session.run(None, {"image": batch})
    onnx_ms = timed(lambda: grader.session.run(None, {"image": batch}), repeat_model) / len(batch)
    onnx: dict[str, float] = {**stats(onnx_ms), "images_per_s": round(1000 / np.median(onnx_ms), 1)}
    small_rate = end_to_end(grader, small, (224, 224))
    serving_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    eager = torch_eager(batch, repeat_model)
    if "mean_ms" in eager:
        speedup = float(eager["p50_ms"]) / onnx["p50_ms"]  # type: ignore[arg-type]
        onnx["speedup_vs_torch_eager"] = round(speedup, 2)
    result["small_jpeg"] = {
        "decode_crop_ms": round(float(decode.mean()), 2),
        "quality_and_normalise_ms": round(float(prep.mean()), 2),
        "end_to_end_note": "grade_many: decode, quality gate, normalise, ONNX, heatmap; "
        "one batch of at most 8 photos per CPU at a time, on a single-threaded session",
        "onnxruntime_batch16": onnx,
        "torch_eager_batch16": eager,
        **small_rate,
    }
    crops = sample_photos(args.data / "eyepacs256", n_small, (256, 256))
    result["eyepacs_crop_jpeg"] = {
        "size": "256x256 (EyePACS crops)",
        **end_to_end(grader, crops, (256, 256)),
    }
    result["camera_frame_jpeg"] = {
        "size": "1024x680 (IDRiD)",
        **end_to_end(grader, frames, (1024, 680)),
        "stages_ms_per_photo_one_thread": frame_stages(grader, frames),
    }
    with tempfile.TemporaryDirectory() as tmp:
        big = twelve_megapixel(args.data, Path(tmp))
        grader.grade(big)
        latency = timed(lambda: grader.grade(big), repeat_big)
        big_size = grader.profile_for((4288, 2848)).input_size
        decode_big = timed(lambda: load_fundus(big, big_size), max(3, repeat_big // 2))
        result["twelve_megapixel_jpeg"] = {
            "size": "4288x2848",
            "input_size": big_size,
            "file_bytes": big.stat().st_size,
            "decode_crop": stats(decode_big),
            "file_to_grade": stats(latency),
            "target_p95_ms": 300,
        }
    result["peak_rss_mb_serving_only"] = round(serving_rss, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_rss_mb_with_torch"] = round(peak, 1)
    result["load_average_at_end"] = round(os.getloadavg()[0], 2)
    report(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result))


def report(r: dict[str, object]) -> None:
    s, b, c = r["small_jpeg"], r["twelve_megapixel_jpeg"], r["camera_frame_jpeg"]
    k = r["eyepacs_crop_jpeg"]
    assert isinstance(s, dict) and isinstance(b, dict) and isinstance(c, dict)
    assert isinstance(k, dict)
    o, e = s["onnxruntime_batch16"], s["torch_eager_batch16"]
    print(f"model {r['model_version']}, input {r['input_size']} px, {r['cpu_count']} CPUs")
    print(
        f"load average {r['load_average_at_start']} at start, {r['load_average_at_end']} at end "
        "(other work on this machine slows every figure)"
    )
    print(
        f"small JPEG: decode+crop {s['decode_crop_ms']} ms, quality+normalise "
        f"{s['quality_and_normalise_ms']} ms, ONNX Runtime p50 {o['p50_ms']} ms/image "
        f"({o['images_per_s']} images/s, batch 16)"
    )
    if "p50_ms" in e:
        print(
            f"  PyTorch eager p50 {e['p50_ms']} ms/image ({e['images_per_s']} images/s): "
            f"ONNX Runtime is {o['speedup_vs_torch_eager']}x faster"
        )
    else:
        print(f"  {e['note']}")
    for label, x in (("small JPEG", s), ("EyePACS crop", k)):
        print(
            f"{label} ({x['profile']} profile, {x['input_size']} px, {x['views']} views): end to "
            f"end {x['end_to_end_images_per_s']} images/s (target >= 40); "
            f"{x['end_to_end_cpu_ms_per_photo']} ms of CPU per photo, so at most "
            f"{x['images_per_s_if_every_cpu_were_ours']} images/s on {r['cpu_count']} idle CPUs"
        )
    print(
        f"camera frames ({c['size']}, input {r['camera_frame_input_size']} px): end to end "
        f"{c['end_to_end_images_per_s']} images/s (target >= 40); "
        f"{c['end_to_end_cpu_ms_per_photo']} ms of CPU per photo, so at most "
        f"{c['images_per_s_if_every_cpu_were_ours']} images/s on {r['cpu_count']} idle CPUs"
    )
    stages = ", ".join(f"{k} {v}" for k, v in c["stages_ms_per_photo_one_thread"].items())
    print(f"  ms per photo in one thread: {stages}")
    print(
        f"12-MP JPEG: decode+crop p95 {b['decode_crop']['p95_ms']} ms, file to grade "
        f"p50 {b['file_to_grade']['p50_ms']} ms, p95 {b['file_to_grade']['p95_ms']} ms "
        "(target <= 300)"
    )
    print(
        f"peak memory {r['peak_rss_mb_serving_only']} MB serving (ONNX Runtime), "
        f"{r['peak_rss_mb_with_torch']} MB after loading PyTorch for the comparison"
    )


if __name__ == "__main__":
    main()

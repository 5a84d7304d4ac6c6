"""Export a training checkpoint to ONNX: `retina export CHECKPOINT --out model.onnx`.

The graph takes a float32 batch (N, 3, S, S) scaled like `preprocess.normalise` and
returns `scores` (N, 8) and `heatmap` (N, S, S); see `model.Exportable`. S may be any
multiple of 32 (the camera profiles use several): the "same" padding of every layer is
then the same as at the size the model was built for.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from retina.model import Exportable, RetinaNet, load_checkpoint

TOLERANCE = 1e-4  # max abs difference allowed between ONNX Runtime and PyTorch outputs


def export(net: RetinaNet, out: Path) -> Path:
    """Write the ONNX file with a dynamic batch dimension."""
    wrapped = Exportable(net.eval()).eval()
    size = net.config.image_size
    example = torch.zeros(2, 3, size, size)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        wrapped,
        (example,),
        str(out),
        input_names=["image"],
        output_names=["scores", "heatmap"],
        opset_version=17,
        dynamo=False,
        dynamic_axes={
            "image": {0: "batch", 2: "height", 3: "width"},
            "scores": {0: "batch"},
            "heatmap": {0: "batch", 1: "height", 2: "width"},
        },
    )
    return out


def max_difference(net: RetinaNet, onnx_path: Path, x: np.ndarray) -> float:
    """Largest absolute difference of both outputs between PyTorch and ONNX Runtime."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = session.run(None, {"image": x})
    with torch.no_grad():
        want = Exportable(net.eval())(torch.from_numpy(x))
    return max(float(np.abs(g - w.numpy()).max()) for g, w in zip(got, want, strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="retina export", description=__doc__)
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("--out", type=Path, default=Path("model.onnx"))
    args = parser.parse_args(argv)
    net = load_checkpoint(args.checkpoint)
    export(net, args.out)
    size = net.config.image_size
    x = np.random.default_rng(0).uniform(-1, 1, (4, 3, size, size)).astype(np.float32)
    diff = max_difference(net, args.out, x)
    print(
        f"wrote {args.out}; ONNX vs PyTorch max abs difference {diff:.2e} "
        f"(tolerance {TOLERANCE:.0e})"
    )
    if diff > TOLERANCE:
        raise SystemExit("ONNX output disagrees with PyTorch beyond the tolerance.")


if __name__ == "__main__":
    main()

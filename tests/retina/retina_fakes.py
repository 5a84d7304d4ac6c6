"""Synthetic fundus photos, and the real sets when they are present (test helpers)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

FUNDUS = Path(__file__).resolve().parents[2].parent / "shared" / "fundus"


def real_fundus_folder() -> Path:
    """../shared/fundus; skipped when absent, except on CI (CI=true), where it must exist."""
    if not (FUNDUS / "idrid" / "labels.csv").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{FUNDUS} is missing on CI; the real-image tests must run there.")
        pytest.skip(f"{FUNDUS} is not on this machine")
    return FUNDUS


def fake_fundus(width: int = 640, height: int = 480, seed: int = 0) -> Image.Image:
    """An orange disc on black with a brighter optic disc and dark vessels."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (width, height), (0, 0, 0))
    draw = ImageDraw.Draw(img)
    r = min(width, height) * 0.45
    cx, cy = width / 2, height / 2
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(200, 90, 40))
    draw.ellipse([cx + r * 0.4, cy - r * 0.15, cx + r * 0.7, cy + r * 0.15], fill=(250, 200, 120))
    for _ in range(12):
        angle = rng.uniform(0, 2 * np.pi)
        end = (cx + r * 0.9 * np.cos(angle), cy + r * 0.9 * np.sin(angle))
        draw.line([(cx + r * 0.55, cy), end], fill=(120, 30, 20), width=max(2, int(r / 60)))
    pixels = np.asarray(img).astype(np.float32)
    pixels += rng.normal(0, 4, pixels.shape) * (pixels.sum(axis=2, keepdims=True) > 0)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def jpeg_bytes(img: Image.Image, quality: int = 92) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()

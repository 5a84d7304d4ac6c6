"""Fundus photo -> model input: decode, crop to the fundus circle, resize, normalise.

The SAME functions run when the training archive is built (`retina.data`), when the
training images are loaded on the GPU machine, and when a photo is graded, so the
model never sees a different pipeline in serving than in training.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

SIZE = 224  # model input, pixels (square)
MAX_PIXELS = 60_000_000  # refuse headers claiming more (decompression-bomb guard)
BACKGROUND_LEVEL = 12  # 0-255: darker pixels are the camera's black surround

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class InvalidImage(ValueError):
    """The bytes are not a usable image; the message says what to do next."""


@dataclass
class Fundus:
    """A cropped, square RGB fundus image plus what the quality gate needs."""

    rgb: np.ndarray  # uint8 (SIZE, SIZE, 3), fundus circle inscribed
    mode: str  # PIL mode of the original file ("RGB", "L", ...)
    source_size: tuple[int, int]  # width, height of the original file
    fundus_fraction: float  # share of the original frame that is fundus (not black surround)
    corner_brightness: float  # mean brightness of the original's corners (0-255)


SizeRule = int | Callable[[tuple[int, int]], int]  # an input size, or one chosen per photo


def open_image(
    source: bytes | str | Path, size: SizeRule = SIZE
) -> tuple[Image.Image, tuple[int, int]]:
    """Open and decode a photo, at reduced scale when it is much bigger than needed.

    `size` may be a function of the declared (width, height): the camera profile's input
    size. Returns the decoded image and the size the file declares.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        img = Image.open(io.BytesIO(data))
        width, height = img.size
        if width * height > MAX_PIXELS:
            raise InvalidImage(
                f"The image claims {width}x{height} pixels, more than we accept; "
                "send the camera's original photo."
            )
        side = size if isinstance(size, int) else size((width, height))
        img.draft("RGB", (side * 2, side * 2))  # JPEG DCT scaling: far faster for 12 MP
        img.load()
    except InvalidImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidImage(
            "The image is too large to decode safely; send the camera's original photo."
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidImage(
            f"The file is not a readable image ({exc}); send a JPEG or PNG photo."
        ) from exc
    return img, (width, height)


def fundus_box(gray: np.ndarray) -> tuple[int, int, int, int] | None:
    """Bounding box (left, top, right, bottom) of the non-black fundus area, or None."""
    return box_of(gray > BACKGROUND_LEVEL)


def box_of(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """fundus_box of a ready mask. Counts over the side equal mask.mean() exactly."""
    height, width = mask.shape
    rows = np.flatnonzero(np.count_nonzero(mask, axis=1) / width > 0.02)
    cols = np.flatnonzero(np.count_nonzero(mask, axis=0) / height > 0.02)
    if rows.size < 2 or cols.size < 2:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def crop_to_fundus(img: Image.Image, size: int = SIZE) -> np.ndarray:
    """Crop to the fundus circle, pad to a square (a cut-off circle stays round), resize."""
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    return _crop(rgb, np.asarray(rgb.convert("L")) > BACKGROUND_LEVEL, size)


def _crop(rgb: Image.Image, mask: np.ndarray, size: int) -> np.ndarray:
    """crop_to_fundus of an RGB image whose non-black mask is known (computed once)."""
    box = box_of(mask) or (0, 0, rgb.width, rgb.height)
    left, top, right, bottom = box
    side = max(right - left, bottom - top)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    half = side / 2
    square = (round(cx - half), round(cy - half), round(cx + half), round(cy + half))
    cropped = rgb.crop(square)  # areas outside the photo come back black
    return np.asarray(cropped.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0))


def corner_brightness(gray: np.ndarray) -> float:
    """Mean brightness of the four corner patches: near black on a fundus photo."""
    h, w = gray.shape
    k = max(1, min(h, w) // 12)
    corners = [gray[:k, :k], gray[:k, -k:], gray[-k:, :k], gray[-k:, -k:]]
    return float(np.mean([c.mean() for c in corners]))


def load_fundus(source: bytes | str | Path, size: SizeRule = SIZE) -> Fundus:
    """Decode and crop a fundus photo; raises InvalidImage for unusable files."""
    img, source_size = open_image(source, size)
    side = size if isinstance(size, int) else size(source_size)
    try:
        gray = np.asarray(img.convert("L"))
        mask = gray > BACKGROUND_LEVEL
        # An RGB photo (nearly all) is cropped on this same mask; other modes' grey may
        # differ from their RGB conversion's, so crop_to_fundus measures its own.
        rgb = _crop(img, mask, side) if img.mode == "RGB" else crop_to_fundus(img, side)
    except (OSError, ValueError) as exc:  # exotic modes Pillow cannot convert
        raise InvalidImage(
            f"The image cannot be read as a photo ({exc}); send a JPEG or PNG colour photo."
        ) from exc
    fraction = float(np.count_nonzero(mask) / mask.size)  # == mask.mean(), fewer passes
    return Fundus(rgb, img.mode, source_size, fraction, corner_brightness(gray))


@lru_cache(maxsize=16)
def circle_mask(size: int = SIZE, radius: float = 0.96) -> np.ndarray:
    """Boolean disc inscribed in a size x size square (radius as a share of half the side)."""
    yy, xx = np.mgrid[:size, :size]
    c = (size - 1) / 2
    mask = (xx - c) ** 2 + (yy - c) ** 2 <= (radius * size / 2) ** 2
    mask.setflags(write=False)
    return mask


def ben_graham(rgb: np.ndarray) -> np.ndarray:
    """Local-contrast normalisation (Ben Graham, Kaggle DR 2015): 4*(img - blur) + 128.

    Evens out illumination and camera colour casts; outside the disc is set to 128 (zero
    after model scaling) so the circle's edge does not become a bright ring.
    """
    size = rgb.shape[0]
    blur = np.asarray(Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(size / 60)))
    out = 4.0 * (rgb.astype(np.float32) - blur) + 128.0
    out = np.clip(out, 0, 255, out=out).astype(np.uint8)
    out[~circle_mask(size, 0.92)] = 128
    return out


def normalise(rgb: np.ndarray, local_contrast: bool) -> np.ndarray:
    """The model's view of a cropped image: uint8 HWC -> float32 CHW scaled (x - 127) / 128."""
    pixels = ben_graham(rgb) if local_contrast else rgb
    return ((pixels.astype(np.float32) - 127.0) / 128.0).transpose(2, 0, 1)

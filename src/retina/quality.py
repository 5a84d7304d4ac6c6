"""Is a photo gradable? Cheap image statistics with thresholds set on the real sets.

Calibrated on the 8,321 graded photos of ../shared/fundus (idrid, aptos224, eyepacs256,
eyepacs256_extra, eyepacs_full) and on degraded copies: darkened (brightness x
0.08-0.15) and blurred (Gaussian, radius 1/40 of the width) copies are caught. Two
graded photos are refused: EyePACS 14915_right, a washed-out frame with no visible
retina (grey, not red: "not_fundus"), and IDRiD_059, whose retina is mostly one smooth
lesion ("blurred": fine detail 0.04-0.07 of coarse, under 0.08, where blurred copies
of real photos reach 0.079). EyePACS 10464_left (a blue-cast photo, R/B 1.34) passes
since MIN_REDNESS went from 1.4 to 1.25 (a portrait measures 1.17). The tests repeat
these checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from retina.preprocess import Fundus, circle_mask

MIN_SIDE = 200  # pixels: smaller photos cannot show microaneurysms
MIN_BRIGHTNESS = 20.0  # mean 0-255 inside the disc; real photos: min 28.6
MIN_SHARPNESS = 0.08  # fine / coarse detail inside the disc; real: 0.5th percentile 0.14
MAX_CORNER_BRIGHTNESS = 35.0  # a fundus camera frames the disc with black corners ...
MIN_REDNESS = 1.25  # ... unless the disc fills the frame; then it must be red (R / B)
MIN_COLOUR = 6.0  # mean |R - G| + |G - B| inside the disc: below this the photo is grey
# Why a photo is not gradable, as codes: the sentences (what to do next, in the reader's
# language) are the product's (carewatch.eyes.wording), so a reworded sentence here can
# never break a translation there. too_small's size is measures["min_side"].
REASONS = ("too_small", "greyscale", "not_fundus", "too_dark", "blurred")


@dataclass(frozen=True)
class Quality:
    gradable: bool
    reason: str  # "" when gradable; otherwise one of REASONS (the product words it for people)
    measures: dict[str, float]


def measure(fundus: Fundus) -> dict[str, float]:
    rgb = fundus.rgb.astype(np.float32)
    inside = circle_mask(rgb.shape[0], 0.8)
    r, g, b = (rgb[..., i][inside] for i in range(3))
    gray = rgb.mean(axis=2)
    return {
        "min_side": float(min(fundus.source_size)),
        "brightness": float(gray[inside].mean()),
        "sharpness": detail_ratio(fundus.rgb[..., 1], inside),
        "corner_brightness": fundus.corner_brightness,
        "redness": float(r.mean() / max(b.mean(), 1.0)),
        "colour": float(np.abs(r - g).mean() + np.abs(g - b).mean()),
    }


def detail_ratio(green: np.ndarray, inside: np.ndarray) -> float:
    """Detail finer than 1 px over detail finer than 4 px: a blurred photo lost the former.

    A ratio, so it does not depend on exposure or on how much the photo shows.
    """
    img = Image.fromarray(green)
    g = green.astype(np.float32)
    fine = np.abs(g - np.asarray(img.filter(ImageFilter.GaussianBlur(1)), np.float32))
    coarse = np.abs(g - np.asarray(img.filter(ImageFilter.GaussianBlur(4)), np.float32))
    return float(fine[inside].mean() / max(coarse[inside].mean(), 1e-3))


def assess(fundus: Fundus) -> Quality:
    """Gradable, or the first reason it is not (checked in the order a photographer fixes)."""
    m = measure(fundus)
    if m["min_side"] < MIN_SIDE:
        return Quality(False, "too_small", m)
    if fundus.mode not in ("RGB", "RGBA", "CMYK", "YCbCr", "P") or m["colour"] < MIN_COLOUR:
        return Quality(False, "greyscale", m)
    if m["corner_brightness"] > MAX_CORNER_BRIGHTNESS and m["redness"] < MIN_REDNESS:
        return Quality(False, "not_fundus", m)
    if m["brightness"] < MIN_BRIGHTNESS:
        return Quality(False, "too_dark", m)
    if m["sharpness"] < MIN_SHARPNESS:
        return Quality(False, "blurred", m)
    return Quality(True, "", m)
